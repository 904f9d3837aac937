/**
 * `npm run example:tag:load -- --target http://localhost:8080 --players 64 --seconds 30`:
 * runs the tag bot swarm (swarm.ts) against a server started with
 * `npm run example:tag -- --load-test` and prints what the bots measured. Exit code 1 when
 * any bot failed to join, decode or stay connected.
 */
import { parseArgs } from 'node:util';
import { runSwarm } from './swarm.js';

function positive(name: string, v: string | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) {
    console.error(`tag load: --${name} must be a positive number (got ${JSON.stringify(v)})`);
    process.exit(2);
  }
  return n;
}

const { values } = parseArgs({
  options: { target: { type: 'string' }, players: { type: 'string' }, seconds: { type: 'string' } },
  strict: true,
});
const target = values.target ?? 'http://localhost:8080';
const players = Math.floor(positive('players', values.players, 32));
const seconds = positive('seconds', values.seconds, 20);

console.log(`tag load: ${players} bots against ${target} for ${seconds} s`);
const r = await runSwarm({ target, players, seconds });
console.table({
  joined: `${r.joined}/${r.players} in ${r.matches} matches`,
  'snapshots/s per player': r.snapshotsPerSecond.toFixed(1),
  'kB/s down per player': r.kbPerSecondDown.toFixed(2),
  'ping RTT p50 / p99 ms': `${r.rttP50Ms.toFixed(1)} / ${r.rttP99Ms.toFixed(1)}`,
  errors: r.errors.length,
});
for (const e of r.errors.slice(0, 10)) console.log(`  ${e}`);
process.exit(r.errors.length > 0 ? 1 : 0);
