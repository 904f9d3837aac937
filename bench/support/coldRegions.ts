/**
 * roomPath's cache-cold mode (BENCH_COLD_KB=n): the scrub that evicts the caches between
 * timed regions, the regions' sums, and the prototype wrappers that time the parts of a
 * tick (encoder, fan-out, Room.runTick, input gathering, the game's step and snapshot).
 * Prototype wrappers, not imports of new APIs, so the same bench measures an older checkout.
 */
import type { GameMode } from '../../server/rooms/gameMode.js';
import { SnapshotFanout } from '../../server/rooms/snapshotFanout.js';
import { TickInputs } from '../../server/rooms/tickInputs.js';
import { SnapshotWriter } from '../../protocol/snapshotWriter.js';
import { Room as RoomClass } from '../../server/rooms/room.js';

export const COLD_KB = Number(process.env.BENCH_COLD_KB ?? 0);
const scrubBuf = new Uint8Array(Math.max(1, COLD_KB) * 1024);
let scrubSeed = 0;
/** Evicts the caches: a write to every 64-byte line of COLD_KB KiB. */
export function scrub(): void {
  const b = scrubBuf;
  const v = ++scrubSeed & 0xff;
  for (let i = 0; i < b.length; i += 64) b[i] = v;
}
/**
 * Server time in the timed regions (COLD_KB > 0), ms: ticks (timer callbacks, of which the
 * game's step and snapshot build) and frames. Wall time (performance.now: cheap enough to
 * call around every region, where getrusage cost a microsecond per call); a region longer
 * than CLIP_MS was preempted by the shared machine (a whole time slice in one sum) and is
 * left out, counted in `clipped`.
 */
export const cold = { on: COLD_KB > 0, timing: false, tickMs: 0, frameMs: 0, gameMs: 0, regionGameMs: 0, clipped: 0, regions: 0 };
export const CLIP_MS = 1;
/** Adds one region's time unless it was preempted; returns whether it counted. */
export function region(ms: number): boolean {
  cold.regions++;
  if (ms > CLIP_MS) {
    cold.clipped++;
    return false;
  }
  return true;
}

/**
 * In cold mode, two parts of the send path timed on their own (prototype wrappers, so the
 * same file measures an older checkout): the snapshot encoder and the whole fan-out (which
 * includes the encoder). Calls over CLIP_MS are left out as preempted.
 */
export const parts = { encodeMs: 0, fanoutMs: 0, runTickMs: 0, gatherMs: 0 };
function timeMethod(proto: object, name: string, add: (ms: number) => void): void {
  const target = proto as Record<string, (...args: unknown[]) => unknown>;
  const fn = target[name];
  target[name] = function (this: unknown, ...args: unknown[]) {
    const t0 = performance.now();
    const r = fn.apply(this, args);
    const ms = performance.now() - t0;
    if (cold.timing && ms <= CLIP_MS) add(ms);
    return r;
  };
}
/** Wraps the send path's and the tick's parts in timers (cold mode only; call once). */
export function installColdTimers(): void {
  if (!cold.on) return;
  timeMethod(SnapshotWriter.prototype, 'encode', (ms) => (parts.encodeMs += ms));
  timeMethod(SnapshotFanout.prototype, 'publish', (ms) => (parts.fanoutMs += ms));
  // The room's whole tick: what the scheduler and the tick loop add around it is the rest.
  timeMethod(RoomClass.prototype, 'runTick', (ms) => (parts.runTickMs += ms));
  timeMethod(TickInputs.prototype, 'gather', (ms) => (parts.gatherMs += ms));
}

/** The arena mode, its step and snapshot build timed in cold mode (the game's share of a tick). */
export function timedMode<S>(mode: GameMode<S>): GameMode<S> {
  if (!cold.on) return mode;
  const timed = Object.create(mode) as GameMode<S>;
  timed.step = (state, inputs) => {
    const t0 = performance.now();
    const events = mode.step(state, inputs);
    cold.regionGameMs += performance.now() - t0;
    return events;
  };
  timed.snapshot = (state, recycle) => {
    const t0 = performance.now();
    const snap = mode.snapshot(state, recycle);
    cold.regionGameMs += performance.now() - t0;
    return snap;
  };
  return timed;
}


/** Runs one timer callback (a scheduler wake-up: the ticks), scrubbed before and timed, in cold mode. */
export function runTimer(fn: () => void): void {
  if (!cold.on) return fn();
  scrub();
  cold.regionGameMs = 0;
  const t0 = performance.now();
  fn();
  const ms = performance.now() - t0;
  if (cold.timing && region(ms)) {
    cold.tickMs += ms;
    cold.gameMs += cold.regionGameMs;
  }
}

