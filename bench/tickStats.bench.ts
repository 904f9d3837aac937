/**
 * What observing one tick's stats allocates (`npx tsx bench/tickStats.bench.ts`): the three
 * tick histograms of server/observability/metrics.ts observed BENCH_TICKS times (default
 * 300,000, ~100 s of ticks at 800 players) with lateness-like values, then the same through
 * the room-hook wrapper the server puts around them (combineHooks). Prints bytes per tick
 * (V8's sampling heap profiler, every 128 B, counting objects a GC already collected) and
 * the top sites, and CPU per tick of an unprofiled run (load-dependent: compare runs made
 * back to back). Uses only APIs older than the preallocated histograms, so the same file
 * measures an earlier checkout.
 */
import { startAllocationSampling } from './support/allocationProfile.js';
import { Metrics } from '../server/observability/metrics.js';
import { combineHooks } from '../server/rooms/combineHooks.js';
import type { Room } from '../server/rooms/room.js';
import type { TickStats } from '../server/rooms/tickLoop.js';

const TICKS = Number(process.env.BENCH_TICKS ?? 300_000);
const metrics = new Metrics();
const stats: TickStats = { latenessMs: 0, wakeLatenessMs: 0, durationMs: 0 };
const direct = (_room: Room, s: TickStats) => {
  metrics.tickDuration.observe(s.durationMs);
  metrics.tickLateness.observe(s.latenessMs);
  metrics.tickWakeLateness.observe(s.wakeLatenessMs);
};
const hooks = combineHooks({}, { onTickStats: direct });
const room = {} as Room;

function run(onTickStats: (room: Room, s: TickStats) => void, n: number): void {
  for (let i = 0; i < n; i++) {
    stats.latenessMs = (i % 97) * 0.037;
    stats.wakeLatenessMs = (i % 89) * 0.021;
    stats.durationMs = 0.05 + (i % 13) * 0.01;
    onTickStats(room, stats);
  }
}

async function measure(label: string, onTickStats: (room: Room, s: TickStats) => void): Promise<void> {
  run(onTickStats, TICKS / 10); // warm-up: optimized code, as on a running server
  // CPU without the profiler attached (it slows allocation down), then bytes with it.
  const t0 = process.cpuUsage();
  run(onTickStats, TICKS);
  const cpu = process.cpuUsage(t0);
  const stop = await startAllocationSampling(128);
  run(onTickStats, TICKS);
  const { total, sites } = await stop();
  console.log(`${label}: ${(total / TICKS).toFixed(1)} B per tick, ${(((cpu.user + cpu.system) * 1000) / TICKS).toFixed(0)} ns CPU per tick (load-dependent)`);
  for (const [k, v] of sites.slice(0, 6)) console.log(`  ${(v / TICKS).toFixed(1).padStart(7)} B/tick  ${k}`);
}

console.log(`tick stats: 3 histograms observed ${TICKS} times, Node ${process.versions.node}`);
await measure('observe ×3', direct);
await measure('observe ×3 through combineHooks', hooks.onTickStats!);
const text = await metrics.text();
console.log(text.split('\n').filter((l) => l.startsWith('tickwire_tick_lateness_ms_count')).join('\n'));
