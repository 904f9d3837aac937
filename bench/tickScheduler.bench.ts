/**
 * Tick lateness and wake-ups with the real clock (`npx tsx bench/tickScheduler.bench.ts`):
 * BENCH_MATCHES tick loops (default 200, i.e. 1,600 players) at 30 Hz whose ticks each burn
 * BENCH_TICK_US of CPU (default 40 µs, a measured arena tick), run for BENCH_SECONDS (5)
 * twice back to back: one timer per match (the old layout: a private scheduler each) and
 * all matches on one shared TickScheduler (default slots, 1 ms apart). Prints lateness percentiles,
 * wake-ups per second and the process CPU of each run. Matches start at random moments in
 * the interval, as players arrive.
 */
import { systemClock } from '../server/clock.js';
import { TickLoop } from '../server/rooms/tickLoop.js';
import { TickScheduler } from '../server/rooms/tickScheduler.js';

function envNum(name: string, fallback: number): number {
  const n = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(n) || n <= 0) {
    console.error(`bench: ${name} must be a number > 0 (got ${process.env[name]})`);
    process.exit(2);
  }
  return n;
}

const MATCHES = Math.round(envNum('BENCH_MATCHES', 200));
const TICK_US = envNum('BENCH_TICK_US', 40);
const SECONDS = envNum('BENCH_SECONDS', 5);

function burn(us: number): void {
  const end = performance.now() + us / 1000;
  while (performance.now() < end);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function run(shared: boolean): Promise<string> {
  const scheduler = shared ? new TickScheduler({ clock: systemClock, tickRate: 30 }) : null;
  const lateness: number[] = [];
  const loops: TickLoop[] = [];
  let wakeups = 0;
  const privateSchedulers: TickScheduler[] = [];
  for (let i = 0; i < MATCHES; i++) {
    const own = scheduler ?? new TickScheduler({ clock: systemClock, tickRate: 30, phases: 1 });
    if (!scheduler) privateSchedulers.push(own);
    loops.push(new TickLoop({ clock: systemClock, tickRate: 30, scheduler: own, onTick: () => burn(TICK_US), onStats: (s) => lateness.push(s.latenessMs) }));
  }
  // Staggered starts over one interval.
  for (const loop of loops) {
    loop.start();
    await sleep(Math.random() * (1000 / 30 / MATCHES) * 2);
  }
  await sleep(1000);
  lateness.length = 0;
  const w0 = scheduler ? scheduler.wakeups : privateSchedulers.reduce((a, s) => a + s.wakeups, 0);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await sleep(SECONDS * 1000);
  const cpu = process.cpuUsage(cpu0);
  const wall = (performance.now() - t0) / 1000;
  wakeups = (scheduler ? scheduler.wakeups : privateSchedulers.reduce((a, s) => a + s.wakeups, 0)) - w0;
  for (const loop of loops) loop.stop();
  const sorted = lateness.slice().sort((a, b) => a - b);
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
  return `${shared ? 'one scheduler   ' : 'timer per match '} | ${(wakeups / wall).toFixed(0).padStart(6)} wake-ups/s | lateness p50 ${q(0.5).toFixed(2)} p99 ${q(0.99).toFixed(2)} max ${sorted.at(-1)?.toFixed(1)} ms | ${sorted.length} ticks | CPU ${(((cpu.user + cpu.system) / 1000 / (wall * 1000)) * 100).toFixed(0)} % of a core`;
}

console.log(`${MATCHES} matches at 30 Hz, ${TICK_US} µs per tick, ${SECONDS} s each, Node ${process.versions.node}`);
console.log(await run(false));
console.log(await run(true));
console.log(await run(false));
console.log(await run(true));
