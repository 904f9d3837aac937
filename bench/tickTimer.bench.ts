/**
 * What the tick scheduler's own timer allocates on the real clock (`npx tsx bench/tickTimer.bench.ts`):
 * one TickScheduler on systemClock with BENCH_MATCHES (default 100) TickLoops whose ticks do
 * nothing, for BENCH_SECONDS (default 5) of real time; prints wake-ups per second and the
 * bytes allocated per wake-up (V8's sampling heap profiler, every 256 B, counting objects a
 * GC already collected) with the top sites, and process CPU per wake-up from a window
 * without the profiler. The roomPath bench runs on a simulated clock, so
 * it cannot show what Node's timers allocate; this can. Uses only APIs older than the
 * reusable timer, so the same file measures an earlier checkout.
 */
import { startAllocationSampling } from './support/allocationProfile.js';
import { systemClock } from '../server/clock.js';
import { TickLoop } from '../server/rooms/tickLoop.js';
import { TickScheduler } from '../server/rooms/tickScheduler.js';

const MATCHES = Number(process.env.BENCH_MATCHES ?? 100);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);

const scheduler = new TickScheduler({ clock: systemClock, tickRate: 30 });
let ticks = 0;
const loops = Array.from({ length: MATCHES }, () => new TickLoop({ clock: systemClock, tickRate: 30, scheduler, onTick: () => void ticks++, onStats: () => {} }));
for (const l of loops) l.start();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

await sleep(1000); // warm-up
// CPU per wake-up from a window without the profiler (it slows allocating code down).
const c0 = process.cpuUsage();
const cw0 = scheduler.wakeups;
await sleep(SECONDS * 1000);
const c = process.cpuUsage(c0);
const cpuPerWake = ((c.user + c.system) * 1000) / (scheduler.wakeups - cw0);
const stop = await startAllocationSampling(256);
const w0 = scheduler.wakeups;
const t0 = ticks;
await sleep(SECONDS * 1000);
const wakeups = scheduler.wakeups - w0;
const ran = ticks - t0;
const { total, sites } = await stop();
for (const l of loops) l.stop();

console.log(`tick timer: ${MATCHES} matches at 30 Hz on systemClock, ${SECONDS} s, Node ${process.versions.node}`);
console.log(`${(wakeups / SECONDS).toFixed(0)} wake-ups/s, ${(ran / SECONDS).toFixed(0)} ticks/s; process CPU ${cpuPerWake.toFixed(0)} ns per wake-up (load-dependent: compare runs made back to back)`);
console.log(`allocated: ${(total / wakeups).toFixed(0)} B per wake-up (${(total / SECONDS / 1024).toFixed(1)} KiB/s; sampled every 256 B, the profiler's own included)`);
for (const [k, v] of sites.slice(0, 12)) console.log(`  ${(v / wakeups).toFixed(1).padStart(7)} B/wake-up  ${k}`);
