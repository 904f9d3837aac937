/**
 * The /play socket's receive path alone (`npx tsx bench/recvPath.bench.ts`): the real uWS
 * `message` handler of registerPlayRoute (namespace checks, one decode, the token buckets,
 * the play handler, Room.queueInput, the Pong of a ping), driven by a fake uWS app with
 * frames as uWS hands them (an ArrayBuffer per frame), sockets opened through the route's
 * real `upgrade` and `open`. BENCH_SOCKETS sockets (default 800, 8 per match) send
 * BENCH_ROUNDS rounds (default 3,000; 300 cold) of one input frame each, and a ping every
 * 30th round; no ticks run (the harness empties the seats' queues instead), so the figures
 * are the receive path's own:
 *   - ns per frame (CPU time; load-dependent: compare back-to-back runs only);
 *   - BENCH_ALLOC=1: bytes allocated per frame and the top sites (V8's sampling heap
 *     profiler, collected objects included);
 *   - BENCH_COLD=1: the same with each socket's objects evicted from the caches between
 *     two of its frames, as live (below);
 *   - BENCH_AB=<another checkout>: that checkout's receive path too, in this process, the
 *     two alternating round by round (same machine state for both: on a shared machine the
 *     only comparison that holds still), with each one's figure and their ratio.
 * The harness (bench/support/recvHarness.ts) uses only APIs main already had, so these two
 * files also measure an older checkout on their own.
 */
import { startAllocationSampling } from './support/allocationProfile.js';
import { recvHarness, type RecvHarness } from './support/recvHarness.js';

function envInt(name: string, fallback: number): number {
  const n = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer`);
  return n;
}
const SOCKETS = envInt('BENCH_SOCKETS', 800);
const COLD = process.env.BENCH_COLD === '1';
const ROUNDS = envInt('BENCH_ROUNDS', COLD ? 300 : 3000);
const AB = process.env.BENCH_AB;

const runs: Array<{ name: string; h: RecvHarness; us: number[] }> = [{ name: 'this checkout', h: await recvHarness(new URL('../', import.meta.url), SOCKETS), us: [] }];
if (AB) runs.push({ name: AB, h: await recvHarness(new URL(`file://${AB.replace(/\/?$/, '/')}`), SOCKETS), us: [] });

/**
 * BENCH_COLD=1: the live server handles a socket's frames 33 ms apart, with the kernel's
 * network path and 799 other sockets in between, so each frame's first touch of its
 * socket's objects misses the caches. Here, after every round (all sockets once), a walk
 * over BENCH_COLD_MB (default 64) evicts them the same way; then the harness's own objects
 * (frames, fake sockets) are touched again, since they stand for uWS's side. The figure is the CPU time of the
 * rounds' frame loops alone (read around each), so the walks' cost is not in it. 64 MB is
 * past this VM's last-level cache and gives the live profile's order (~1.2–2 µs a frame
 * against ~2.5 µs live, ~0.3 µs warm); 8–32 MB leave the objects in L3 (~0.55 µs on a
 * quiet machine).
 */
const evictBuf = COLD ? new Uint8Array(envInt('BENCH_COLD_MB', 64) << 20) : new Uint8Array(64);
let evictSink = 0;
function evict(): void {
  const b = evictBuf;
  let s = 0;
  // A write per line, as the kernel's buffers and other objects dirty them live.
  for (let i = 0; i < b.length; i += 64) s += b[i]++;
  evictSink += s;
}

/** Rounds of every checkout in turn; each round's CPU µs (the frame loop alone) into `us`. */
function run(rounds: number): void {
  for (let r = 0; r < rounds; r++) {
    for (const x of runs) {
      const c0 = process.cpuUsage();
      x.h.round();
      const c = process.cpuUsage(c0);
      x.us.push(c.user + c.system);
      x.h.drain();
      if (COLD) {
        evict();
        evictSink += x.h.warmOwn();
      }
    }
  }
}

run(Math.min(COLD ? 100 : 500, ROUNDS));
for (const x of runs) x.us.length = 0;
const ALLOC = process.env.BENCH_ALLOC === '1';
const stop = ALLOC ? await startAllocationSampling(1024) : null;
run(ROUNDS);
const frames = ROUNDS * SOCKETS;
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
console.log(`receive path: ${SOCKETS} sockets (${runs.map((x) => x.h.seated()).join(' / ')} seated), ${ROUNDS} rounds of an input frame each + a ping every 30th, Node ${process.versions.node}${COLD ? `, cold (${evictBuf.length >> 20} MB walked per round)` : ', warm'}`);
const figures = runs.map((x) => ({ mean: (sum(x.us) * 1000) / frames, median: (median(x.us) * 1000) / SOCKETS }));
runs.forEach((x, i) => console.log(`${x.name}: CPU ${figures[i].mean.toFixed(0)} ns per input frame (median round ${figures[i].median.toFixed(0)}; load-dependent: compare within one run)`));
if (runs.length === 2) console.log(`this / other: ${(figures[0].mean / figures[1].mean).toFixed(2)} (median rounds ${(figures[0].median / figures[1].median).toFixed(2)})`);
if (evictSink === -1) console.log('');
if (stop) {
  const { total, sites } = await stop();
  console.log(`allocated: ${(total / frames / runs.length).toFixed(1)} B per input frame${runs.length === 2 ? ' (both checkouts together)' : ''} (sampled every 1 KiB; pings included)`);
  for (const [k, v] of sites.slice(0, 12)) console.log(`  ${(v / frames).toFixed(2).padStart(7)} B/frame  ${k}`);
}
