/**
 * The arena's own share of a tick, without a room (`npx tsx bench/arenaTick.bench.ts`):
 * BENCH_MATCHES arena states (default 100) × 8 human players replaying the load-test input
 * pattern, one input per player per tick (viewTick a few ticks back, as an interpolating
 * client sends, so lag compensation runs), `step` every tick and `snapshot` every second
 * tick with the snapshot before the previous one recycled, as MatchSnapshots does. Events
 * are dropped after each step (the room keeps them; that is not the arena's cost).
 *
 * Prints bytes allocated per player·s, measured as young-generation growth over chunks of
 * ticks that saw no GC (exact, not sampled; run with a large young generation so most chunks qualify:
 * the script re-executes itself with --max-semi-space-size=64), and CPU µs per player·s
 * (load-dependent: compare two runs made back to back only).
 * BENCH_ALLOC_SITES=1 adds V8's sampled top allocation sites (the sampler itself changes what
 * V8 optimizes: some runs show a function left unoptimized and allocating far more).
 * Run-to-run spread of the exact figure is ±20 %: compare medians of a few runs.
 *
 * Cache-cold variant, BENCH_EVICT_KB=1024 (say): after each match's step (and snapshot) the
 * harness writes through a buffer of that many KiB, so the next match starts with caches
 * holding someone else's data, as on the live server, where a match's next tick comes 33 ms
 * later with the kernel's network path, 800 sockets' frames and 99 other matches in between.
 * The figure to read then is "arena time": wall time inside step and snapshot only (the
 * eviction walk excluded), per player·s. Being wall time, it also counts every time slice
 * the OS gave another process in the middle of a match's step; on a shared machine compare
 * the second line, which drops the slowest 2 % of match ticks (those preempted ones).
 */
import { execFileSync } from 'node:child_process';
import { startAllocationSampling } from './support/allocationProfile.js';
import { performance, PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics } from 'node:v8';
import type { SnapshotState } from '../protocol/index.js';
import { arenaMode } from '../server/game/arena/arenaMode.js';
import type { ArenaState } from '../server/game/arena/state.js';
import type { PlayerInput } from '../server/rooms/gameMode.js';
import { patternRing, type TickIntent } from '../loadtest/lib/playerPattern.js';
import { envNum } from './support/benchEnv.js';

if (!process.execArgv.some((a) => a.startsWith('--max-semi-space-size'))) {
  execFileSync(process.execPath, ['--max-semi-space-size=64', ...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit' });
  process.exit(0);
}

const MATCHES = envNum('BENCH_MATCHES', 100);
const SECONDS = envNum('BENCH_SECONDS', 20);
const TICK_RATE = 30;
const PLAYERS = 8;
/** BENCH_BOTS: how many of each match's 8 seats are bots (default 0, as in roomPath). */
const BOTS = Number(process.env.BENCH_BOTS ?? 0);
const VIEW_LAG_TICKS = 5;
const CHUNK_TICKS = 30;
/** BENCH_SKIP=snapshot or step: measure the other one alone (a skipped step leaves the state idle). */
const SKIP = process.env.BENCH_SKIP ?? '';
/** BENCH_EVICT_KB: KiB written between two matches' work (0: off; see the header). */
const EVICT_KB = Number(process.env.BENCH_EVICT_KB ?? 0);
const evictBuf = new Float64Array((EVICT_KB * 1024) / 8);
let evictSink = 0;
function evict(): void {
  // One write per 64-byte line: the line is fetched and dirtied, pushing the match's lines out.
  for (let i = 0; i < evictBuf.length; i += 8) evictBuf[i] += 1;
  evictSink += evictBuf[0];
}
/**
 * Wall ms spent inside step and snapshot (the eviction walk and input filling excluded);
 * timed only in the cache-cold variant (the clock reads allocate, which the default run counts).
 */
let arenaMs = 0;
/**
 * Each match's arena time per tick in the measured window (cache-cold variant), so the
 * report can drop the slowest few: on a shared machine a match's step that the OS
 * preempted counts the other process's time slice, and those outliers, not the arena,
 * decide a comparison between two runs.
 */
let matchSamples: Float64Array | null = null;
let matchSampleCount = 0;

interface Match {
  state: ArenaState;
  inputs: Map<number, PlayerInput[]>;
  rings: TickIntent[][];
  last: SnapshotState | null;
  spare: SnapshotState | null;
}

const matches: Match[] = [];
for (let m = 0; m < MATCHES; m++) {
  const state = arenaMode.create({ seed: m + 1, tickRate: TICK_RATE, settings: { matchSeconds: 86_400, scoreLimit: 1_000_000 } });
  const inputs = new Map<number, PlayerInput[]>();
  const rings: TickIntent[][] = [];
  for (let p = 1; p <= PLAYERS; p++) {
    arenaMode.addPlayer(state, p, `p${p}`, p > PLAYERS - BOTS);
    inputs.set(p, [{ seq: 0, buttons: 0, aim: 0, viewTick: 0 }]);
    rings.push(patternRing(m * PLAYERS + p, TICK_RATE, 256));
  }
  matches.push({ state, inputs, rings, last: null, spare: null });
}

let ticks = 0;
function tickAll(): void {
  ticks++;
  for (const mt of matches) {
    for (let p = 1; p <= PLAYERS; p++) {
      const input = mt.inputs.get(p)![0];
      const intent = mt.rings[p - 1][ticks & 255];
      input.seq = ticks;
      input.buttons = intent.buttons;
      input.aim = intent.aim;
      input.viewTick = Math.max(0, mt.state.tick - VIEW_LAG_TICKS);
    }
    const t0 = EVICT_KB > 0 ? performance.now() : 0;
    if (SKIP !== 'step') arenaMode.step(mt.state, mt.inputs);
    if (ticks % 2 === 0 && SKIP !== 'snapshot') {
      const snap = arenaMode.snapshot(mt.state, mt.spare);
      mt.spare = mt.last;
      mt.last = snap;
    }
    if (EVICT_KB > 0) {
      const d = performance.now() - t0;
      arenaMs += d;
      if (matchSamples !== null && matchSampleCount < matchSamples.length) matchSamples[matchSampleCount++] = d;
      evict();
    }
  }
}

/**
 * Bytes in the young generation and in old space. What the tick allocates lands in the
 * former, or in the latter when V8 pretenures a site whose objects tend to survive (it
 * does for long-lived ones, e.g. projectiles); old space also gets the JIT's feedback
 * and code metadata, so its figure is noisier. Code space is left out.
 */
function spaces(): { young: number; old: number } {
  let young = 0;
  let old = 0;
  for (const s of getHeapSpaceStatistics()) {
    if (s.space_name === 'new_space') young += s.space_used_size;
    else if (s.space_name === 'old_space' || s.space_name === 'large_object_space') old += s.space_used_size;
  }
  return { young, old };
}

let gcs = 0;
new PerformanceObserver((list) => (gcs += list.getEntries().length)).observe({ entryTypes: ['gc'] });

const SITES = process.env.BENCH_ALLOC_SITES === '1';

// Warm-up: 5 simulated s (the match leaves its countdown, the JIT settles).
for (let i = 0; i < 5 * TICK_RATE; i++) tickAll();
const stopSampling = SITES ? await startAllocationSampling(1024) : null;

const total = SECONDS * TICK_RATE;
let cleanBytes = 0;
let cleanOld = 0;
let cleanTicks = 0;
arenaMs = 0;
if (EVICT_KB > 0) matchSamples = new Float64Array(total * MATCHES);
const cpu0 = process.cpuUsage();
const wall0 = performance.now();
for (let done = 0; done < total; done += CHUNK_TICKS) {
  // PerformanceObserver entries arrive asynchronously: yield so a GC of the last chunk is counted.
  await new Promise((r) => setImmediate(r));
  const g = gcs;
  const before = spaces();
  for (let i = 0; i < CHUNK_TICKS; i++) tickAll();
  const after = spaces();
  await new Promise((r) => setImmediate(r));
  if (gcs === g && after.young >= before.young && after.old >= before.old) {
    cleanBytes += after.young - before.young;
    cleanOld += after.old - before.old;
    cleanTicks += CHUNK_TICKS;
  }
}
const cpu = process.cpuUsage(cpu0);
const wallMs = performance.now() - wall0;
const playerSeconds = MATCHES * PLAYERS * SECONDS;
const phases = new Set(matches.map((m) => m.state.phase));

console.log(`arena tick: ${MATCHES} matches × ${PLAYERS} players, ${SECONDS} simulated s, Node ${process.versions.node} (phases ${[...phases].join(',')})`);
console.log(`CPU ${(((cpu.user + cpu.system) / playerSeconds)).toFixed(2)} µs per player·s (${wallMs.toFixed(0)} ms wall)`);
if (EVICT_KB > 0) {
  console.log(
    `arena time ${((arenaMs * 1000) / playerSeconds).toFixed(2)} µs per player·s inside step+snapshot ` +
      `(cache-cold: ${EVICT_KB} KiB written between matches; checksum ${evictSink > 0 ? 'ok' : '?'})`,
  );
  const sorted = matchSamples!.subarray(0, matchSampleCount).sort();
  let kept = 0;
  const keep = Math.floor(sorted.length * 0.98);
  for (let i = 0; i < keep; i++) kept += sorted[i];
  // Scaled back to every match tick, as if the dropped 2 % had cost the kept ones' mean.
  const trimmed = keep > 0 ? (kept / keep) * sorted.length : 0;
  console.log(
    `arena time, slowest 2 % of match ticks dropped: ${((trimmed * 1000) / playerSeconds).toFixed(2)} µs per player·s ` +
      `(median match tick ${(sorted[sorted.length >> 1] * 1000).toFixed(1)} µs; for comparisons on a shared machine)`,
  );
}
if (cleanTicks === 0) console.log('allocated: no chunk without a GC (raise --max-semi-space-size)');
else {
  const perPlayerS = (bytes: number) => (((bytes / cleanTicks) * TICK_RATE) / (MATCHES * PLAYERS)).toFixed(1);
  console.log(
    `allocated: ${perPlayerS(cleanBytes)} B per player·s young + ${perPlayerS(cleanOld)} old space ` +
      `(growth over ${cleanTicks}/${total} ticks without GC; includes the harness's few bytes per chunk)`,
  );
}

if (stopSampling) {
  const sampled = (await stopSampling()).sites.slice(0, 15);
  const scale = 1 / (playerSeconds * 1.0);
  console.log('sampled sites (B per player·s, every 1 KiB; includes warm-up-free window only):');
  for (const [site, bytes] of sampled) console.log(`  ${(bytes * scale).toFixed(1).padStart(8)}  ${site}`);
}
