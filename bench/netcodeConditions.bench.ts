/**
 * The netcode under three network conditions: the browser client's own modules
 * (GameConnection + GameSession, headless in Node) against a real server, with the
 * client-side lag simulator at 0, 150 ± 30 and 300 ± 80 ms RTT. A remote walker gives the
 * interpolation buffer something to draw; the measured player runs a WASD pattern with
 * bursts of fire. Prints, per condition: RTT, prediction error p99, corrections and
 * interpolation starvations per minute, the interpolation delay, and the upstream/downstream
 * bytes per second.
 *
 *   npx tsx bench/netcodeConditions.bench.ts [seconds per condition, default 20]
 */
import { Buttons, Phase, Tables } from '../protocol/index.js';
import { createServer } from '../server/createServer.js';
import { arenaMode } from '../server/game/arena/arenaMode.js';
import type { ServerConfig } from '../server/config.js';
import { createLogger } from '../server/observability/logger.js';
import { HeadlessPlayer } from '../test/support/headlessPlayer.js';
import { guest, matchmake } from '../test/support/api.js';
import { PlayClient } from '../test/support/playClient.js';

const seconds = Number(process.argv[2] ?? 20);
/** RTT ± spread: `jitterMs` in LagOptions spreads each direction by ±jitter/2, so ±X RTT is X per direction at most. */
const CONDITIONS = [
  { label: '0 ms', lagMs: 0, jitterMs: 0 },
  { label: '150 ± 30 ms', lagMs: 150, jitterMs: 30 },
  { label: '300 ± 80 ms', lagMs: 300, jitterMs: 80 },
];
const PATTERN: Array<[number, number]> = [
  [Buttons.Right, 700],
  [Buttons.Down, 700],
  [Buttons.Left, 700],
  [Buttons.Up, 700],
  [Buttons.Right | Buttons.Down, 600],
  [Buttons.Left | Buttons.Up, 600],
];
const PATTERN_MS = PATTERN.reduce((n, [, ms]) => n + ms, 0);
function patternButtons(elapsed: number): number {
  let t = elapsed % PATTERN_MS;
  for (const [b, ms] of PATTERN) {
    if (t < ms) return b;
    t -= ms;
  }
  return 0;
}

async function main(): Promise<void> {
  const settings: Partial<ServerConfig> = {
    host: '127.0.0.1',
    port: 0,
    jwtSecret: 'bench-secret-0123456789abcdef',
    logLevel: 'silent',
    botFillDelayMs: -1,
    seed: 99,
  };
  const arena = { mode: arenaMode, settings: { map: 'arena', countdownSeconds: 0, minPlayers: 1, matchSeconds: 3600 } };
  const rows: string[] = [];
  for (const c of CONDITIONS) {
    // A fresh server per condition: the previous one's seats would wait out their grace.
    const server = createServer({ ...settings, logger: createLogger('silent'), modes: { arena } });
    await server.listen();
    const http = `http://127.0.0.1:${server.port}`;
    try {
      const w = await guest(http, `Walker${c.lagMs}`);
      const wm = await matchmake(http, w.token);
      const walker = await PlayClient.connect(wm.url, w.token, wm.ticket);
      let n = 0;
      const walkTimer = setInterval(() => walker.input([Buttons.Right, Buttons.Down, Buttons.Left, Buttons.Up][Math.floor(n++ / 20) % 4]), 1000 / 30);
      const h = await HeadlessPlayer.join(http, { name: `Bench${c.lagMs}`, lag: c.lagMs ? { lagMs: c.lagMs, jitterMs: c.jitterMs } : null });
      try {
        await h.waitFor(() => h.session.predictor?.ready && h.session.phase === Phase.Playing, 'playing', 15_000);
        await h.waitFor(() => h.session.latestSnapshot?.tables[Tables.Players].rows.size === 2, 'walker visible', 15_000);
        h.setScript((t) => [patternButtons(t) | (Math.floor(t / 400) % 2 === 0 ? Buttons.Fire : 0), (t / 1000) * 1.3]);
        const s0 = h.session.netStats();
        const c0 = h.session.predictor!.stats.corrections;
        const in0 = h.connection.bytesIn;
        const out0 = h.connection.bytesOut;
        const t0 = performance.now();
        await h.waitFor(() => performance.now() - t0 >= seconds * 1000, 'run', seconds * 1000 + 10_000);
        const minutes = (performance.now() - t0) / 60_000;
        const s = h.session.netStats();
        const corrections = h.session.predictor!.stats.corrections - c0;
        rows.push(
          `| ${c.label} | ${s.rttMs.toFixed(0)} | ${s.predErrorP99.toFixed(3)} | ${(corrections / minutes).toFixed(1)} | ${((s.starvations - s0.starvations) / minutes).toFixed(1)} | ${s.interpDelayMs.toFixed(0)} | ${((h.connection.bytesIn - in0) / (minutes * 60)).toFixed(0)} | ${((h.connection.bytesOut - out0) / (minutes * 60)).toFixed(0)} | ${h.connection.linkEpisodes} |`,
        );
      } finally {
        clearInterval(walkTimer);
        h.stop();
        walker.close();
      }
    } finally {
      await server.close();
    }
  }
  console.log(`netcode under simulated network conditions (${seconds} s each, 30 Hz ticks, 15 Hz snapshots, client-side lag simulator)`);
  console.log('| RTT (simulated) | RTT median ms | prediction error p99 (units) | corrections / min | starvations / min | interpolation delay ms | down B/s | up B/s | link unstable episodes |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) console.log(r);
}

main().catch((e) => {
  console.error(`netcode bench failed: ${(e as Error).message}`);
  process.exit(1);
});
