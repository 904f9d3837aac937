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

/** One tick's player positions: [id, x, y] per player, in id order. */
export interface HistoryFrame {
  tick: number;
  players: Array<[number, number, number]>;
}

/** Ticks of history kept: ≥ 1 s and ≥ the cap, plus the current tick. */
export function historyLength(tickRate: number, capTicks: number): number {
  return Math.max(Math.ceil(tickRate), capTicks) + 1;
}

/** The rewind cap in ticks for a cap in ms (0: compensation off). */
export function rewindCapTicks(lagCompensationMs: number, tickRate: number): number {
  return Math.max(0, Math.floor((lagCompensationMs * tickRate) / 1000 + 1e-9));
}

/**
 * Records the end-of-step positions of every player, dropping the oldest row past the
 * bound. Once the history is full the oldest row's arrays are reused: no allocation per
 * tick in steady state (the tick loop is allocation-free elsewhere too).
 */
export function recordHistory(state: ArenaState): void {
  const h = state.history;
  const keep = historyLength(state.tickRate, state.timings.rewindCapTicks);
  while (h.length > keep) h.shift();
  const frame: HistoryFrame = h.length === keep ? h.shift()! : { tick: 0, players: [] };
  frame.tick = state.tick;
  const rows = frame.players;
  const players = state.players;
  if (rows.length > players.length) rows.length = players.length;
  for (let i = 0; i < players.length; i++) {
    const p = players[i];
    const row = rows[i];
    if (row) {
      row[0] = p.id;
      row[1] = p.x;
      row[2] = p.y;
    } else rows.push([p.id, p.x, p.y]);
  }
  h.push(frame);
}

/**
 * Ticks a shot fired now with the given viewTick is rewound: none when the client did not
 * say (0/undefined) or claims a tick not yet simulated; never past the cap nor the history.
 */
export function rewindTicksFor(state: ArenaState, viewTick: number | undefined): number {
  if (!viewTick || viewTick >= state.tick) return 0;
  const oldest = state.history.length > 0 ? state.history[0].tick : state.tick;
  return Math.min(state.tick - viewTick, state.timings.rewindCapTicks, Math.max(0, state.tick - oldest));
}

/**
 * The history row list of `tick` (end of that step), or null when the history has none.
 * A projectile looks its frame up once per tick and then reads each target's row from it
 * (rowPositionInto), instead of finding the frame again for every target.
 */
export function historyRows(state: ArenaState, tick: number): Array<[number, number, number]> | null {
  const h = state.history;
  if (h.length === 0) return null;
  let i = tick - h[0].tick;
  if (!(i >= 0 && i < h.length && h[i].tick === tick)) {
    for (i = 0; i < h.length && h[i].tick !== tick; i++);
    if (i === h.length) return null;
  }
  return h[i].players;
}

/**
 * Player `id`'s position in one frame's rows, into `out`; false when it has no row. `hint`
 * is where to look first: rows are in id order like `state.players`, so the player's index
 * there is its row's index unless someone joined or left within the history's span.
 */
export function rowPositionInto(rows: Array<[number, number, number]>, id: number, hint: number, out: { x: number; y: number }): boolean {
  let row = hint < rows.length ? rows[hint] : undefined;
  if (row === undefined || row[0] !== id) {
    row = undefined;
    for (let r = 0; r < rows.length; r++) {
      if (rows[r][0] === id) {
        row = rows[r];
        break;
      }
    }
    if (row === undefined) return false;
  }
  out.x = row[1];
  out.y = row[2];
  return true;
}

/**
 * Where player `id` was at `tick` (end of that step), written into `out`; false when the
 * history has no row for it (then the caller uses the present position). An out-parameter:
 * a returned object here was once the arena's largest allocation.
 */
export function positionAt(state: ArenaState, id: number, tick: number, out: { x: number; y: number }): boolean {
  const rows = historyRows(state, tick);
  return rows !== null && rowPositionInto(rows, id, 0, out);
}
