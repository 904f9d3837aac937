/**
 * Serves tag: `npm run example:tag` (builds the client into ./dist, then runs this) →
 * http://localhost:8080. A game outside this repo has the same file, importing `tickwire`
 * from node_modules.
 *
 *   --port N       listen port (default 8080, or $PORT)
 *   --load-test    lift the per-address sign-up and matchmaking limits, so the bot swarm
 *                  (load/main.ts), all from one machine, is not refused with 429
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createServer, defaultConfig } from 'tickwire';
import { tagMode } from './server/tagMode.js';

const { values } = parseArgs({ options: { port: { type: 'string' }, 'load-test': { type: 'boolean' } }, strict: true });
const port = Number(values.port ?? process.env.PORT ?? 8080);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`tag: --port must be a port number (got ${JSON.stringify(values.port ?? process.env.PORT)})`);
  process.exit(2);
}
const roomy = { perMinute: 1_000_000, burst: 1_000_000 };

const server = createServer({
  modes: { tag: { mode: tagMode, settings: { matchSeconds: 90 } } },
  clientDir: fileURLToPath(new URL('./dist', import.meta.url)),
  // Bots fill a match a few seconds after its first player arrives, so one person can play.
  botFillDelayMs: 3000,
  ...(values['load-test'] ? { limits: { ...defaultConfig.limits, guestSignupsPerAddress: roomy, matchmakesPerUser: roomy } } : {}),
});

try {
  await server.listen(port);
} catch (e) {
  console.error(`tag: ${(e as Error).message}`);
  process.exit(1);
}
console.log(`tag: play at http://localhost:${server.port}`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, async () => {
    await server.drain(10_000);
    await server.close();
    process.exit(0);
  });
}
