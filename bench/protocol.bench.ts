/**
 * Protocol and simulation micro-benchmarks. Plain script, no assertions:
 *
 *   npx tsx bench/protocol.bench.ts
 *
 * Prints four tables: codec throughput, snapshot sizes, bandwidth per player, and the
 * arena simulation's step time. Inputs are generated from a seeded PRNG, so every run
 * measures the same work; only the timings vary with the machine. Takes ~10–15 s.
 */
import os from 'node:os';
import {
  ARENA_SCHEMA,
  Buttons,
  ClientType,
  PLAYER_FIELDS,
  Phase,
  ServerType,
  applySnapshotDelta,
  decodeClient,
  decodeServer,
  diffSnapshot,
  encodeClient,
  encodeSnapshotDelta,
  movePlayer,
  quantizeAngle,
  quantizePosition,
  viewAim,
  type InputMsg,
  type MapGeometry,
  type SnapshotDelta,
  type SnapshotState,
} from '../protocol/index.js';
import type { PlayerInput } from '../server/rooms/gameMode.js';
import { arenaMode } from '../server/game/arena/arenaMode.js';
import { prng } from '../test/support/prng.js';

// ---- harness --------------------------------------------------------------------------


/** Keeps results observable so the JIT cannot drop the measured work. */
let sink = 0;
function consume(v: unknown): void {
  if (v instanceof Uint8Array) sink ^= v.length;
  else if (v && typeof v === 'object' && 'ok' in v) sink ^= (v as { ok: boolean }).ok ? 1 : 2;
  else sink ^= 3;
}

const now = () => process.hrtime.bigint();
const ms = (ns: bigint) => Number(ns) / 1e6;

interface Throughput {
  opsPerSec: number;
  nsPerOp: number;
}

/**
 * Runs `fn` for ~250 ms to warm up, sizes a batch to ~40–50 ms, then times 9 batches and
 * reports the median batch rate (robust against a GC pause in one batch).
 */
function measure(fn: (i: number) => unknown): Throughput {
  let i = 0;
  const warmEnd = now() + 250_000_000n;
  while (now() < warmEnd) for (let k = 0; k < 100; k++) consume(fn(i++));
  let batch = 100;
  for (;;) {
    const t0 = now();
    for (let k = 0; k < batch; k++) consume(fn(i++));
    const elapsed = ms(now() - t0);
    if (elapsed >= 40) break;
    batch = Math.ceil(batch * Math.min(10, Math.max(1.5, 50 / Math.max(elapsed, 0.01))));
  }
  const rates: number[] = [];
  for (let r = 0; r < 9; r++) {
    const t0 = now();
    for (let k = 0; k < batch; k++) consume(fn(i++));
    rates.push(batch / (Number(now() - t0) / 1e9));
  }
  rates.sort((a, b) => a - b);
  const opsPerSec = rates[4];
  return { opsPerSec, nsPerOp: 1e9 / opsPerSec };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const fmtInt = (n: number) => Math.round(n).toLocaleString('en-US');
const fmt1 = (n: number) => n.toFixed(1);
const fmt2 = (n: number) => n.toFixed(2);

function table(title: string, head: string[], rows: string[][]): void {
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) =>
    '| ' + cells.map((s, c) => (c === 0 ? s.padEnd(widths[c]) : s.padStart(widths[c]))).join(' | ') + ' |';
  console.log(`\n${title}`);
  console.log(line(head));
  console.log('|' + widths.map((w, c) => (c === 0 ? '-'.repeat(w + 2) : '-'.repeat(w + 1) + ':')).join('|') + '|');
  for (const r of rows) console.log(line(r));
}

// ---- synthetic match (protocol only) --------------------------------------------------

const TICK_RATE = 30;
const SNAPSHOT_RATE = 15;
const TICKS_PER_SNAPSHOT = TICK_RATE / SNAPSHOT_RATE;
const DT = 1 / TICK_RATE;
const OPEN_MAP: MapGeometry = { width: 1600, height: 1000, walls: [] };
const PROJECTILE_SPEED = 600;
const PROJECTILE_LIFETIME_TICKS = 30;

interface SimPlayer {
  id: number;
  x: number;
  y: number;
  buttons: number;
  aim: number;
  hp: number;
  score: number;
  deaths: number;
  seq: number;
}
interface SimProjectile {
  id: number;
  owner: number;
  x: number;
  y: number;
  /** Where and when it was fired: the constant snapshot row (ProjectileField). */
  spawnX: number;
  spawnY: number;
  spawnTick: number;
  angle: number;
  vx: number;
  vy: number;
  ticksLeft: number;
}

/**
 * Players walk with WASD held for random spells and turn their aim smoothly, like humans;
 * projectiles fly straight and expire after 1 s, spawned at a rate that keeps about
 * `targetProjectiles` in the air. A snapshot every second tick (30 Hz sim, 15 Hz snapshots).
 */
class SyntheticMatch {
  private readonly rnd: () => number;
  private readonly players: SimPlayer[] = [];
  private readonly projectiles: SimProjectile[] = [];
  private tick = 0;
  private nextProjectileId = 1;

  constructor(
    seed: number,
    playerCount: number,
    private readonly targetProjectiles: number,
  ) {
    this.rnd = prng(seed);
    for (let id = 1; id <= playerCount; id++) {
      this.players.push({
        id,
        x: 100 + this.rnd() * 1400,
        y: 100 + this.rnd() * 800,
        buttons: 0,
        aim: Math.floor(this.rnd() * 65536),
        hp: 100,
        score: 0,
        deaths: 0,
        seq: 0,
      });
    }
  }

  private stepTick(): void {
    const rnd = this.rnd;
    this.tick++;
    for (const p of this.players) {
      if (rnd() < 0.06) p.buttons = [0, Buttons.Up, Buttons.Down, Buttons.Left, Buttons.Right][Math.floor(rnd() * 5)] | (rnd() < 0.5 ? [Buttons.Up, Buttons.Down, Buttons.Left, Buttons.Right][Math.floor(rnd() * 4)] : 0);
      p.aim = (p.aim + Math.floor((rnd() - 0.5) * 1200)) & 0xffff;
      p.seq++;
      const pos = movePlayer(p, p.buttons, DT, OPEN_MAP);
      p.x = pos.x;
      p.y = pos.y;
      if (rnd() < 0.002) {
        p.hp = Math.max(0, p.hp - 25);
        if (p.hp === 0) {
          p.hp = 100;
          p.deaths++;
          this.players[Math.floor(rnd() * this.players.length)].score++;
        }
      }
    }
    let kept = 0;
    for (const pr of this.projectiles) {
      pr.x += pr.vx;
      pr.y += pr.vy;
      if (--pr.ticksLeft > 0) this.projectiles[kept++] = pr;
    }
    this.projectiles.length = kept;
    if (this.targetProjectiles > 0 && rnd() < this.targetProjectiles / PROJECTILE_LIFETIME_TICKS) {
      const owner = this.players[Math.floor(rnd() * this.players.length)];
      const a = (owner.aim / 65536) * 2 * Math.PI;
      this.projectiles.push({
        id: this.nextProjectileId++,
        owner: owner.id,
        x: owner.x,
        y: owner.y,
        spawnX: owner.x,
        spawnY: owner.y,
        spawnTick: this.tick,
        angle: quantizeAngle(a),
        vx: Math.cos(a) * PROJECTILE_SPEED * DT,
        vy: Math.sin(a) * PROJECTILE_SPEED * DT,
        ticksLeft: PROJECTILE_LIFETIME_TICKS,
      });
    }
  }

  /** Advances to the next snapshot and renders it. */
  nextSnapshot(): SnapshotState {
    for (let t = 0; t < TICKS_PER_SNAPSHOT; t++) this.stepTick();
    const players = new Map<number, number[]>();
    for (const p of this.players) {
      // The arena row (protocol v2): view aim, no input sequence (that is each receiver's ack).
      players.set(p.id, [quantizePosition(p.x), quantizePosition(p.y), viewAim(p.aim), p.hp, p.score, p.deaths, 9]);
    }
    const projectiles = new Map<number, number[]>();
    for (const pr of this.projectiles) {
      projectiles.set(pr.id, [quantizePosition(pr.spawnX), quantizePosition(pr.spawnY), pr.owner, pr.angle, pr.spawnTick]);
    }
    return { tick: this.tick, header: [Phase.Playing, 5400 - this.tick], tables: [{ rows: players }, { rows: projectiles }] };
  }

  projectileCount(): number {
    return this.projectiles.length;
  }
}

interface SizeStats {
  deltaAvg: number;
  deltaMin: number;
  deltaMax: number;
  deltaP95: number;
  keyframe: number;
  projectilesAvg: number;
}

/** Encoded bytes of every delta over `count` snapshots after a warm-up, plus a keyframe. */
function snapshotSizes(next: () => SnapshotState, projectiles: () => number, count: number): SizeStats {
  let prev = next();
  for (let i = 0; i < 30; i++) prev = next();
  const sizes: number[] = [];
  let proj = 0;
  let keyframeSum = 0;
  for (let i = 0; i < count; i++) {
    const cur = next();
    sizes.push(encodeSnapshotDelta(diffSnapshot(prev, cur, ARENA_SCHEMA)).length);
    keyframeSum += encodeSnapshotDelta(diffSnapshot(null, cur, ARENA_SCHEMA)).length;
    proj += projectiles();
    prev = cur;
  }
  sizes.sort((a, b) => a - b);
  return {
    deltaAvg: sizes.reduce((a, b) => a + b, 0) / sizes.length,
    deltaMin: sizes[0],
    deltaMax: sizes[sizes.length - 1],
    deltaP95: percentile(sizes, 95),
    keyframe: keyframeSum / count,
    projectilesAvg: proj / count,
  };
}

// ---- arena simulation -----------------------------------------------------------------

type ArenaState = ReturnType<typeof arenaMode.create>;

function createArena(playerCount: number, bots: boolean, seed: number): ArenaState {
  const state = arenaMode.create({
    seed,
    tickRate: TICK_RATE,
    // Long match and unreachable score limit: the measured window stays in Playing.
    settings: { map: 'arena', matchSeconds: 86_400, scoreLimit: 1_000_000 },
  });
  for (let id = 1; id <= playerCount; id++) arenaMode.addPlayer(state, id, `p${id}`, bots);
  return state;
}

/**
 * A ring of per-tick input maps for human players: WASD spells, smoothly turning aim and
 * the fire button held about a third of the time (the cooldown decides actual shots).
 */
function scriptedInputs(playerCount: number, ticks: number, seed: number): Array<Map<number, PlayerInput[]>> {
  const rnd = prng(seed);
  const buttons = new Array<number>(playerCount + 1).fill(0);
  const aim = Array.from({ length: playerCount + 1 }, () => Math.floor(rnd() * 65536));
  const ring: Array<Map<number, PlayerInput[]>> = [];
  for (let t = 0; t < ticks; t++) {
    const m = new Map<number, PlayerInput[]>();
    for (let id = 1; id <= playerCount; id++) {
      if (rnd() < 0.06) buttons[id] = Math.floor(rnd() * 16);
      aim[id] = (aim[id] + Math.floor((rnd() - 0.5) * 1500)) & 0xffff;
      const fire = rnd() < 0.33 ? Buttons.Fire : 0;
      m.set(id, [{ seq: t + 1, buttons: buttons[id] | fire, aim: aim[id] }]);
    }
    ring.push(m);
  }
  return ring;
}

interface StepStats {
  mean: number;
  p50: number;
  p99: number;
  max: number;
  projectilesAvg: number;
  phaseOk: boolean;
}

function stepTimes(playerCount: number, bots: boolean, steps: number): StepStats {
  const state = createArena(playerCount, bots, 0xa11ce + playerCount);
  const ring = bots ? [new Map<number, PlayerInput[]>()] : scriptedInputs(playerCount, 600, playerCount);
  // Warm-up: past the 3 s countdown into Playing, and long enough for the JIT to settle.
  for (let t = 0; t < 300; t++) consume(arenaMode.step(state, ring[t % ring.length]));
  const times = new Float64Array(steps);
  let proj = 0;
  for (let t = 0; t < steps; t++) {
    const inputs = ring[t % ring.length];
    const t0 = now();
    const events = arenaMode.step(state, inputs);
    times[t] = Number(now() - t0) / 1000;
    sink ^= events.length;
    proj += state.projectiles.length;
  }
  const sorted = Array.from(times).sort((a, b) => a - b);
  return {
    mean: sorted.reduce((a, b) => a + b, 0) / steps,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1],
    projectilesAvg: proj / steps,
    phaseOk: state.phase === Phase.Playing,
  };
}

/** Snapshot sizes measured on the real arena simulation, one snapshot every second tick. */
function arenaSnapshotSizes(playerCount: number, bots: boolean, count: number): SizeStats {
  const state = createArena(playerCount, bots, 0xb0b + playerCount);
  const ring = bots ? [new Map<number, PlayerInput[]>()] : scriptedInputs(playerCount, 600, 77 + playerCount);
  let t = 0;
  for (; t < 150; t++) arenaMode.step(state, ring[t % ring.length]);
  const next = () => {
    for (let k = 0; k < TICKS_PER_SNAPSHOT; k++, t++) arenaMode.step(state, ring[t % ring.length]);
    return arenaMode.snapshot(state);
  };
  return snapshotSizes(next, () => state.projectiles.length, count);
}

// ---- run ------------------------------------------------------------------------------

const started = now();
console.log('Tickwire protocol benchmark');
console.log(`node ${process.version} · ${os.cpus()[0]?.model ?? 'unknown cpu'} · ${os.cpus().length} cpus · ${os.platform()} ${os.arch()}`);
console.log(`sim ${TICK_RATE} Hz, snapshots ${SNAPSHOT_RATE} Hz; sizes are MessagePack payload bytes unless noted`);

// Inputs: 1,024 distinct frames so the encoder sees realistic variety.
const inputRnd = prng(1);
const inputs: InputMsg[] = Array.from({ length: 1024 }, (_, i) => ({
  type: ClientType.Input,
  seq: 100_000 + i,
  buttons: Math.floor(inputRnd() * 32),
  aim: Math.floor(inputRnd() * 65536),
  ackTick: 50_000 + (i >> 1),
}));
const inputFrames = inputs.map((m) => encodeClient(m));

// 8-player snapshots (synthetic, no projectiles) for the codec rows.
const codecMatch = new SyntheticMatch(2, 8, 0);
const states: SnapshotState[] = [];
for (let i = 0; i < 257; i++) states.push(codecMatch.nextSnapshot());
const deltas: SnapshotDelta[] = [];
for (let i = 1; i < states.length; i++) deltas.push(diffSnapshot(states[i - 1], states[i], ARENA_SCHEMA));
const deltaFrames = deltas.map((d) => encodeSnapshotDelta(d));
const keyframes = states.slice(1).map((s) => diffSnapshot(null, s, ARENA_SCHEMA));
const keyframeFrames = keyframes.map((d) => encodeSnapshotDelta(d));
const N = deltas.length;

const codecRows: Array<[string, Throughput, string]> = [
  ['input: encodeClient', measure((i) => encodeClient(inputs[i & 1023])), `${inputFrames[0].length} B`],
  ['input: decodeClient', measure((i) => decodeClient(inputFrames[i & 1023])), `${inputFrames[0].length} B`],
  ['snapshot 8p delta: encodeSnapshotDelta', measure((i) => encodeSnapshotDelta(deltas[i % N])), `~${fmt1(deltaFrames.reduce((a, f) => a + f.length, 0) / N)} B`],
  ['snapshot 8p delta: decodeServer', measure((i) => decodeServer(deltaFrames[i % N])), ''],
  ['snapshot 8p keyframe: encodeSnapshotDelta', measure((i) => encodeSnapshotDelta(keyframes[i % N])), `~${fmt1(keyframeFrames.reduce((a, f) => a + f.length, 0) / N)} B`],
  ['snapshot 8p keyframe: decodeServer', measure((i) => decodeServer(keyframeFrames[i % N])), ''],
  ['server: diffSnapshot + encode (8p)', measure((i) => encodeSnapshotDelta(diffSnapshot(states[i % N], states[(i % N) + 1], ARENA_SCHEMA))), 'once per match per snapshot'],
  [
    'client: decodeServer + applySnapshotDelta (8p)',
    measure((i) => {
      const r = decodeServer(deltaFrames[i % N]);
      if (!r.ok || r.value.type !== ServerType.Snapshot) return r;
      return applySnapshotDelta(states[i % N], r.value.delta, ARENA_SCHEMA);
    }),
    'per client per snapshot',
  ],
];
table(
  'Codec throughput (median of 9 timed batches after warm-up)',
  ['operation', 'ops/s', 'ns/op', 'frame / note'],
  codecRows.map(([name, t, note]) => [name, fmtInt(t.opsPerSec), fmtInt(t.nsPerOp), note]),
);

// Snapshot sizes.
const SNAPSHOTS = 450; // 30 s of snapshots at 15 Hz
const syn8 = new SyntheticMatch(3, 8, 0);
const syn8p = new SyntheticMatch(4, 8, 10);
const sizeRows: Array<[string, SizeStats]> = [
  ['synthetic: 8 players moving', snapshotSizes(() => syn8.nextSnapshot(), () => syn8.projectileCount(), SNAPSHOTS)],
  ['synthetic: 8 players + ~10 projectiles', snapshotSizes(() => syn8p.nextSnapshot(), () => syn8p.projectileCount(), SNAPSHOTS)],
  ['arena sim: 8 humans (scripted inputs)', arenaSnapshotSizes(8, false, SNAPSHOTS)],
  ['arena sim: 8 bots', arenaSnapshotSizes(8, true, SNAPSHOTS)],
];
table(
  `Snapshot size per snapshot, bytes (${SNAPSHOTS} consecutive snapshots = 30 s)`,
  ['scenario', 'projectiles avg', 'delta avg', 'delta p95', 'delta max', 'keyframe avg', 'delta/keyframe'],
  sizeRows.map(([name, s]) => [
    name,
    fmt1(s.projectilesAvg),
    fmt1(s.deltaAvg),
    fmtInt(s.deltaP95),
    fmtInt(s.deltaMax),
    fmt1(s.keyframe),
    `${fmt1((100 * s.deltaAvg) / s.keyframe)} %`,
  ]),
);

// Bandwidth: every player receives the same snapshot (encoded once, published to a topic).
// A server→client WebSocket frame adds a 2-byte header below 126 bytes, 4 bytes up to 64 KiB.
const wsHeader = (n: number) => (n < 126 ? 2 : n < 65536 ? 4 : 10);
table(
  `Downstream bandwidth per player at ${SNAPSHOT_RATE} snapshots/s (snapshots only; events, pongs excluded)`,
  ['scenario', 'payload B/s', 'with WS header B/s', 'kbit/s', 'keyframe-only B/s'],
  sizeRows.map(([name, s]) => {
    const payload = s.deltaAvg * SNAPSHOT_RATE;
    const framed = (s.deltaAvg + wsHeader(s.deltaAvg)) * SNAPSHOT_RATE;
    return [name, fmtInt(payload), fmtInt(framed), fmt2((framed * 8) / 1000), fmtInt(s.keyframe * SNAPSHOT_RATE)];
  }),
);
const inputFramed = inputFrames.reduce((a, f) => a + f.length, 0) / inputFrames.length + 6; // masked client frame: 2 + 4-byte mask
console.log(`upstream per player: ${fmt1(inputFramed)} B/input frame incl. WS header × ${TICK_RATE}/s = ${fmtInt(inputFramed * TICK_RATE)} B/s`);

// Simulation step time.
const simRows: Array<[string, StepStats]> = [
  ['8 humans (scripted inputs)', stepTimes(8, false, 60_000)],
  ['8 bots', stepTimes(8, true, 60_000)],
  ['64 humans (scripted inputs)', stepTimes(64, false, 15_000)],
  ['64 bots', stepTimes(64, true, 10_000)],
];
const budgetUs = 1e6 / TICK_RATE;
table(
  `Arena simulation: arenaMode.step time per tick, µs (map 'arena', phase Playing; budget ${fmtInt(budgetUs)} µs at ${TICK_RATE} Hz)`,
  ['players', 'projectiles avg', 'mean', 'p50', 'p99', 'max', 'mean % of tick'],
  simRows.map(([name, s]) => [
    name + (s.phaseOk ? '' : ' (!! left Playing)'),
    fmt1(s.projectilesAvg),
    fmt2(s.mean),
    fmt2(s.p50),
    fmt2(s.p99),
    fmt1(s.max),
    `${fmt2((100 * s.mean) / budgetUs)} %`,
  ]),
);

// Per-snapshot server cost at 64 players: snapshot() render + diff + encode.
{
  const state = createArena(64, true, 64);
  for (let t = 0; t < 300; t++) arenaMode.step(state, new Map());
  const first = arenaMode.snapshot(state);
  const pre: SnapshotState[] = [];
  for (let i = 0; i < 64; i++) {
    arenaMode.step(state, new Map());
    arenaMode.step(state, new Map());
    pre.push(arenaMode.snapshot(state));
  }
  const snap = measure(() => arenaMode.snapshot(state));
  const enc = measure((i) => {
    const k = i & 63;
    return encodeSnapshotDelta(diffSnapshot(k === 0 ? first : pre[k - 1], pre[k], ARENA_SCHEMA));
  });
  const bytes = pre.slice(1).reduce((a, s, k) => a + encodeSnapshotDelta(diffSnapshot(pre[k], s, ARENA_SCHEMA)).length, 0) / (pre.length - 1);
  table('Per-snapshot server work at 64 bots', ['operation', 'ops/s', 'µs/op', 'note'], [
    ['arenaMode.snapshot(state)', fmtInt(snap.opsPerSec), fmt2(snap.nsPerOp / 1000), `${PLAYER_FIELDS} fields × 64 players`],
    ['diffSnapshot + encodeSnapshotDelta', fmtInt(enc.opsPerSec), fmt2(enc.nsPerOp / 1000), `delta avg ${fmt1(bytes)} B`],
  ]);
}

console.log(`\ntotal ${fmt1(ms(now() - started) / 1000)} s (sink ${sink & 1})`);
