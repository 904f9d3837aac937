/**
 * Tick lateness under load, in simulated time (`npx tsx bench/tickLateness.bench.ts`):
 * the real TickLoop and TickScheduler on a model of Node's event loop
 * (bench/support/simulatedEventLoop.ts), so layouts can be compared without the machine's
 * noise — the same numbers on any machine, whatever else it runs.
 *
 * Per level (BENCH_PLAYERS, default 800,1600; 8 players a match): matches start at seeded
 * random moments over 2 s, as players arrive; a tick costs BENCH_TICK_US (30 µs) and a
 * snapshot tick (every 2nd at 30 Hz / 15 Hz) BENCH_SNAPSHOT_US (100 µs), ±50 % seeded
 * jitter; the poll phase handles 31 frames per player per second at BENCH_FRAME_US (6 µs)
 * each. Defaults are set so 1,600 players use ~2/3 of a core, as the capacity bench measured.
 * Prints, per layout, tick lateness p50/p99/max (start of a tick − its due time), how much
 * of the p99 is the wake-up being late vs waiting behind other matches in the same
 * wake-up, wake-ups per second, and the simulated core share.
 */
import { TickLoop } from '../server/rooms/tickLoop.js';
import { TickScheduler } from '../server/rooms/tickScheduler.js';
import { SimulatedEventLoop } from './support/simulatedEventLoop.js';
import { envNum, playerLevels } from './support/benchEnv.js';
import { prng } from '../test/support/prng.js';

const LEVELS = playerLevels('800,1600');
const TICK_MS = envNum('BENCH_TICK_US', 30) / 1000;
const SNAPSHOT_MS = envNum('BENCH_SNAPSHOT_US', 100) / 1000;
const FRAME_MS = envNum('BENCH_FRAME_US', 6) / 1000;
const SECONDS = envNum('BENCH_SECONDS', 10);
const TICK_RATE = 30;

interface Layout {
  name: string;
  /** The scheduler every match shares, or null for one private timer per match (before #13). */
  shared: (clock: SimulatedEventLoop) => TickScheduler | null;
}

const LAYOUTS: Layout[] = [
  { name: 'timer per match', shared: () => null },
  // The first scheduler's spacing (2 ms, 16 slots at 30 Hz) against today's default (1 ms).
  { name: 'one scheduler, 16 slots (2 ms)', shared: (clock) => new TickScheduler({ clock, tickRate: TICK_RATE, phases: 16 }) },
  { name: 'one scheduler, default (1 ms slots)', shared: (clock) => new TickScheduler({ clock, tickRate: TICK_RATE }) },
];

function quantile(sorted: Float64Array, q: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : NaN;
}

function run(players: number, layout: Layout): string {
  const matches = Math.ceil(players / 8);
  const clock = new SimulatedEventLoop({ framesPerSecond: players * 31, msPerFrame: FRAME_MS });
  const shared = layout.shared(clock);
  const schedulers: TickScheduler[] = [];
  const rand = prng(13);
  const lateness: number[] = [];
  const wakeLateness: number[] = [];
  let measuring = false;
  let busy = 0;
  const warmup = 3000;
  for (let i = 0; i < matches; i++) {
    const scheduler = shared ?? new TickScheduler({ clock, tickRate: TICK_RATE, phases: 1 });
    if (!shared) schedulers.push(scheduler);
    const loop = new TickLoop({
      clock,
      tickRate: TICK_RATE,
      scheduler,
      onTick: (tick) => {
        const cost = (tick % 2 === 0 ? SNAPSHOT_MS : TICK_MS) * (0.5 + rand());
        clock.work(cost);
        if (measuring) busy += cost;
      },
      onStats: (s) => {
        if (!measuring) return;
        lateness.push(s.latenessMs);
        wakeLateness.push(s.wakeLatenessMs);
      },
    });
    const startAt = rand() * 2000;
    clock.setTimeout(() => loop.start(), startAt);
  }
  clock.runUntil(warmup);
  const wakeups = () => (shared ? shared.wakeups : schedulers.reduce((a, s) => a + s.wakeups, 0));
  const w0 = wakeups();
  measuring = true;
  clock.runUntil(warmup + SECONDS * 1000);
  const late = Float64Array.from(lateness).sort();
  const wake = Float64Array.from(wakeLateness).sort();
  const io = players * 31 * FRAME_MS;
  const core = (busy / (SECONDS * 1000) + io / 1000) * 100;
  const f = (n: number) => n.toFixed(2);
  return `| ${layout.name} | ${players} | ${f(quantile(late, 0.5))} / ${f(quantile(late, 0.99))} / ${f(late.at(-1) ?? NaN)} | ${f(quantile(wake, 0.99))} | ${((wakeups() - w0) / SECONDS).toFixed(0)} | ${core.toFixed(0)} % |`;
}

console.log(`simulated event loop: ${TICK_RATE} Hz, tick ${TICK_MS * 1000} µs, snapshot tick ${SNAPSHOT_MS * 1000} µs (±50 %), ${FRAME_MS * 1000} µs per frame in, ${SECONDS} s measured after 3 s\n`);
console.log('| layout | players | lateness p50 / p99 / max ms | wake lateness p99 ms | wake-ups / s | core |');
console.log('|---|---|---|---|---|---|');
for (const players of LEVELS) for (const layout of LAYOUTS) console.log(run(players, layout));
