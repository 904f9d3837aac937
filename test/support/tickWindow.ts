/**
 * What one seat got from the server, counted on the server's own ticks rather than on a
 * clock: a recorder fed by room hooks writes one row per tick of a watched room, and
 * `windowRates` turns a window of rows into inputs per tick and distance per input.
 *
 * Counted in the tick itself, not by the test between ticks, and against ticks rather than
 * wall-clock time, because under load both drift apart: a /metrics read took up to 416 ms
 * (the counter is read at its start, the clock after), and a stall of this process makes the
 * tick loop skip ticks whose inputs are applied during the ticks after it.
 */
import type { Room, RoomHooks } from '../../server/rooms/room.js';
import type { Seat } from '../../server/rooms/seat.js';

/** The watched room after one of its ticks (or after a run of skipped ticks). */
export interface TickRow {
  /** Ticks since the watch began, run or skipped: the seat is credited for skipped ticks (room.ts). */
  elapsed: number;
  /** Of those, skipped. */
  skipped: number;
  /** Inputs applied so far, in every room: the onInputs hook does not name one, so only the watched seat may be sending. */
  applied: number;
  /** Inputs waiting in the watched seat's queue: taken from the client, applied one per tick from there. */
  queued: number;
  /** The watched player's position along the measured axis. */
  x: number;
  /** Date.now(), for printing a wall-clock rate only. */
  at: number;
}

interface Watch {
  room: Room;
  seat: Seat;
  rows: TickRow[];
  elapsed: number;
  skipped: number;
  onRow: (rows: TickRow[]) => void;
}

export class TickRecorder {
  /** Give these to the server (createServer's `hooks`). */
  readonly hooks: RoomHooks;
  private applied = 0;
  private current: Watch | null = null;

  /** `x`: the watched seat's player position along the measured axis. */
  constructor(private readonly x: (room: Room, seat: Seat) => number) {
    this.hooks = {
      onInputs: (n) => {
        this.applied += n;
      },
      onTickStats: (room) => this.tick(room, 1, 0),
      onTicksSkipped: (room, n) => this.tick(room, n, n),
    };
  }

  /** Records a row per tick of `room` for `seat` until `stop`, calling `onRow` after each; returns the rows. */
  watch(room: Room, seat: Seat, onRow: (rows: TickRow[]) => void): TickRow[] {
    const rows: TickRow[] = [];
    this.current = { room, seat, rows, elapsed: 0, skipped: 0, onRow };
    return rows;
  }

  stop(): void {
    this.current = null;
  }

  private tick(room: Room, ticks: number, skipped: number): void {
    const w = this.current;
    if (w === null || room !== w.room) return;
    w.elapsed += ticks;
    w.skipped += skipped;
    w.rows.push({ elapsed: w.elapsed, skipped: w.skipped, applied: this.applied, queued: room.queuedInputs(w.seat), x: this.x(room, w.seat), at: Date.now() });
    w.onRow(w.rows);
  }
}

export interface WindowRates {
  /** Inputs taken from the client (applied or queued) per tick, run or skipped: ~1 when the client keeps up. */
  inputsPerTick: number;
  /** How far the player moved per input applied. */
  distancePerInput: number;
  /** Ticks between the two caught-up ends the rates are measured over, and how many were skipped. */
  ticks: number;
  skipped: number;
  /** For information, over the whole window: inputs applied per tick and per wall-clock second. */
  appliedPerTick: number;
  appliedPerSecond: number;
}

/**
 * Rates over `rows`, between a caught-up row within the first `settle` ticks and one within
 * the last `settle` ticks (`caughtUp`). Inputs in the seat's queue count as taken: when the
 * page stalls longer than the seat's saved budget (a few ticks), its catch-up inputs wait
 * there and are applied one per tick from then on, so counting applied inputs only would
 * measure how long the page stalled.
 */
export function windowRates(rows: readonly TickRow[], settle: number): WindowRates {
  const [w0, w1] = [rows[0], rows[rows.length - 1]];
  const a = caughtUp(rows, (r) => r.elapsed <= w0.elapsed + settle, 'earliest');
  const b = caughtUp(rows, (r) => r.elapsed >= w1.elapsed - settle, 'latest');
  const ticks = b.elapsed - a.elapsed;
  return {
    inputsPerTick: (b.applied + b.queued - a.applied - a.queued) / ticks,
    distancePerInput: Math.abs(b.x - a.x) / (b.applied - a.applied),
    ticks,
    skipped: b.skipped - a.skipped,
    appliedPerTick: (w1.applied - w0.applied) / (w1.elapsed - w0.elapsed),
    appliedPerSecond: ((w1.applied - w0.applied) / (w1.at - w0.at)) * 1000,
  };
}

/**
 * The row passing `within` where the fewest elapsed ticks were still without an input taken
 * from the client (elapsed − applied − queued lowest): the server had caught up. Around a
 * stall it has not: the tick loop counts the skipped ticks at once and reads the inputs the
 * page sent meanwhile only after them, and a stalled page sends its inputs for the stall in a
 * burst when it runs again. A window end inside a stall would count its ticks on one side
 * and their inputs on the other (seen: 124 inputs applied in 105 ticks). Among equal rows,
 * the earliest or the latest, for the widest window.
 */
export function caughtUp(rows: readonly TickRow[], within: (r: TickRow) => boolean, pick: 'earliest' | 'latest'): TickRow {
  const owed = (r: TickRow) => r.elapsed - r.applied - r.queued;
  let best: TickRow | null = null;
  for (const r of rows) {
    if (!within(r)) continue;
    if (best === null || owed(r) < owed(best) || (pick === 'latest' && owed(r) === owed(best))) best = r;
  }
  if (best === null) throw new Error('no row in range');
  return best;
}
