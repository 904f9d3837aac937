/**
 * Lag compensation (Valve's Source model; Overwatch, GDC 2017): a shot is judged against the
 * world its shooter saw, not the server's present. The client draws the others
 * `RTT + interpolation delay` in the past, so a shot aimed dead on a strafing target would
 * otherwise land where the target *was*.
 *
 * The state keeps a short position history (one row per tick, at least 1 s and at least the
 * rewind cap), recorded at the end of every step. When a player fires, the input's
 * `viewTick` (the tick its client was drawing the others at) gives the rewind,
 * `state.tick − viewTick`, capped at `lagCompensationMs` (settings; default 350 ms, 0 turns
 * compensation off). The projectile then flies, for its whole life, against the targets'
 * positions `rewind` ticks ago: in the shooter's timeline. Walls do not move, so only player
 * positions are rewound; whether a target is alive and unprotected is judged now (no hits
 * on the dead, no hits through fresh spawn protection).
 *
 * The trade-off: the shooter gets "what I saw is what I hit"; the target can be hit up to
 * the cap after reaching cover on their own screen. The cap bounds that: a player whose
 * RTT + interpolation exceeds it is compensated only up to the cap and must lead their
 * shots by the rest. Pure data and pure functions: the rewind comes in with the input, the
 * history lives in the state, nothing reads a clock.
 */
import type { ArenaState } from './state.js';

/**
 * The position history: a ring of frames (one per tick, the end-of-step positions), in
 * typed arrays rather than one array per player per frame. A shot's targets are read from
 * it for every projectile every tick, on a match whose data is cache-cold by the time its
 * next tick runs (the live server steps 100 matches between two of one match's ticks): one
 * frame's ids and positions sit in two contiguous runs instead of a frame object, a row
 * list and a row array per player. Plain data still (typed arrays deep-compare, clone and
 * log), like the rest of the state.
 */
export interface PositionHistory {
  /** Frames held at most (historyLength). */
  capacity: number;
  /** Players per frame at most; grows (arrays copied) in the rare match that has more. */
  stride: number;
  /** Frames held, and the ring slot of the oldest. */
  size: number;
  start: number;
  /** Per slot: its tick, and how many players it holds. */
  ticks: Float64Array;
  counts: Int32Array;
  /** Per slot × stride: player id in id order; `xy` holds x then y for each. */
  ids: Float64Array;
  xy: Float64Array;
}

const DEFAULT_STRIDE = 8;

export function createHistory(capacity: number, stride = DEFAULT_STRIDE): PositionHistory {
  return {
    capacity,
    stride,
    size: 0,
    start: 0,
    ticks: new Float64Array(capacity),
    counts: new Int32Array(capacity),
    ids: new Float64Array(capacity * stride),
    xy: new Float64Array(capacity * stride * 2),
  };
}

/** Ticks of history kept: ≥ 1 s and ≥ the cap, plus the current tick. */
export function historyLength(tickRate: number, capTicks: number): number {
  return Math.max(Math.ceil(tickRate), capTicks) + 1;
}

/** The rewind cap in ticks for a cap in ms (0: compensation off). */
export function rewindCapTicks(lagCompensationMs: number, tickRate: number): number {
  return Math.max(0, Math.floor((lagCompensationMs * tickRate) / 1000 + 1e-9));
}

/** Re-lays every slot for a larger stride (a frame's rows stay where their index says). */
function widen(h: PositionHistory, stride: number): void {
  const ids = new Float64Array(h.capacity * stride);
  const xy = new Float64Array(h.capacity * stride * 2);
  for (let slot = 0; slot < h.capacity; slot++) {
    ids.set(h.ids.subarray(slot * h.stride, slot * h.stride + h.counts[slot]), slot * stride);
    xy.set(h.xy.subarray(slot * h.stride * 2, (slot * h.stride + h.counts[slot]) * 2), slot * stride * 2);
  }
  h.ids = ids;
  h.xy = xy;
  h.stride = stride;
}

/**
 * Records the end-of-step positions of every player into the ring's next slot, overwriting
 * the oldest frame once the ring is full. Allocates nothing (unless a match outgrows the
 * stride).
 */
export function recordHistory(state: ArenaState): void {
  const h = state.history;
  const players = state.players;
  if (players.length > h.stride) widen(h, players.length);
  let slot: number;
  if (h.size < h.capacity) slot = (h.start + h.size++) % h.capacity;
  else {
    slot = h.start;
    h.start = (h.start + 1) % h.capacity;
  }
  h.ticks[slot] = state.tick;
  h.counts[slot] = players.length;
  const base = slot * h.stride;
  const ids = h.ids;
  const xy = h.xy;
  for (let i = 0; i < players.length; i++) {
    const p = players[i];
    ids[base + i] = p.id;
    xy[(base + i) * 2] = p.x;
    xy[(base + i) * 2 + 1] = p.y;
  }
}

/** The oldest tick in the history (`now` when it is empty). */
export function oldestTick(h: PositionHistory, now: number): number {
  return h.size > 0 ? h.ticks[h.start] : now;
}

/**
 * Ticks a shot fired now with the given viewTick is rewound: none when the client did not
 * say (0/undefined) or claims a tick not yet simulated; never past the cap nor the history.
 */
export function rewindTicksFor(state: ArenaState, viewTick: number | undefined): number {
  if (!viewTick || viewTick >= state.tick) return 0;
  const oldest = oldestTick(state.history, state.tick);
  return Math.min(state.tick - viewTick, state.timings.rewindCapTicks, Math.max(0, state.tick - oldest));
}

/**
 * The ring slot holding `tick`, or -1. Frames are recorded every step, so the slot is
 * usually found by offset from the oldest; a scan covers any gap.
 */
export function historySlot(h: PositionHistory, tick: number): number {
  if (h.size === 0) return -1;
  const k = tick - h.ticks[h.start];
  if (k >= 0 && k < h.size) {
    const slot = (h.start + k) % h.capacity;
    if (h.ticks[slot] === tick) return slot;
  }
  for (let j = 0; j < h.size; j++) {
    const slot = (h.start + j) % h.capacity;
    if (h.ticks[slot] === tick) return slot;
  }
  return -1;
}

/**
 * Player `id`'s position in the frame at `slot`, into `out`; false when the frame has no row
 * for it. `hint` is where to look first: rows are in id order like `state.players`, so the
 * player's index there is its row's index unless someone joined or left within the span.
 */
export function slotPositionInto(h: PositionHistory, slot: number, id: number, hint: number, out: { x: number; y: number }): boolean {
  const base = slot * h.stride;
  const count = h.counts[slot];
  const ids = h.ids;
  let r = hint;
  if (r >= count || ids[base + r] !== id) {
    for (r = 0; r < count && ids[base + r] !== id; r++);
    if (r === count) return false;
  }
  out.x = h.xy[(base + r) * 2];
  out.y = h.xy[(base + r) * 2 + 1];
  return true;
}

/**
 * Where player `id` was at `tick` (end of that step), written into `out`; false when the
 * history has no row for it (then the caller uses the present position).
 */
export function positionAt(state: ArenaState, id: number, tick: number, out: { x: number; y: number }): boolean {
  const slot = historySlot(state.history, tick);
  return slot >= 0 && slotPositionInto(state.history, slot, id, 0, out);
}
