/**
 * One timer for every match of a process (per tick rate), instead of one timer per match.
 *
 * Matches are spread over `phases` evenly spaced slots of the tick interval (a new match
 * takes the emptiest slot; by default one slot per millisecond), and every match of a slot is due at the same instants. The
 * scheduler keeps a single timer armed for the earliest due slot; one wake-up runs the ticks
 * of every match in every slot that is due. So the process wakes at most `phases` times per
 * tick interval however many matches it runs (≈ 250 wake-ups per interval before, at 2,000
 * players), and the work of one wake-up is about matches ÷ phases ticks, which keeps the
 * lateness of the last match in a slot small. Each match keeps its own drift-free grid,
 * catch-up bound and skip counting (TickLoop); the scheduler only decides when to look.
 */
import { reusableTimer, type Clock, type ReusableTimer } from '../clock.js';

/**
 * Timers fire on a 1 ms grid (libuv caches loop time per iteration), so a wake-up can come
 * a fraction of a millisecond before the tick is due. Running the tick then, instead of
 * re-arming a timer that can only fire a whole millisecond later, keeps ticks on schedule:
 * a tick may start up to this much early, never drifting (due times come from the start).
 */
export const EARLY_TOLERANCE_MS = 1;

/**
 * Default slot spacing: slots about this far apart (33 slots at 30 Hz, 16 at 60 Hz). One
 * millisecond is the timer's own grid: with per-match timers, matches fell into 1 ms bins
 * anyway, and 2 ms slots put twice as many matches into one wake-up, so the last match of
 * a slot waited twice as long behind the others (bench/tickLateness.bench.ts: p99 lateness
 * 1.14 ms against 0.88–0.90 with 1 ms slots or per-match timers, at 1,600 players).
 */
export const PHASE_SPACING_MS = 1;

/** What the scheduler drives: one match's loop (TickLoop implements it). */
export interface ScheduledLoop {
  /** Due time of the loop's next tick. */
  nextDueAt(): number;
  /**
   * Runs the ticks due by `now + EARLY_TOLERANCE_MS` (bounded catch-up, then skip).
   * `wokeAt` is when the scheduler's wake-up began: a tick that starts later than that waited
   * behind other matches of the same wake-up, which its stats tell apart from a late timer.
   * `now` is the scheduler's latest reading of the clock (the previous match's end); returns
   * the loop's own latest reading, which the scheduler carries on to the next match.
   */
  runDue(wokeAt: number, now: number): number;
}

interface Slot {
  /** Start-time offset within the interval. */
  offset: number;
  members: ScheduledLoop[];
}

export interface TickSchedulerOptions {
  clock: Clock;
  tickRate: number;
  /** Slots per tick interval. Default: one per PHASE_SPACING_MS of the interval, at least 1. */
  phases?: number;
  /**
   * A loop's tick threw: that loop is taken off the schedule (every other match keeps
   * ticking) and the error goes here. Default: rethrown from a microtask, so it surfaces as
   * the uncaught exception it was with one timer per match.
   */
  onError?: (error: unknown) => void;
}

export class TickScheduler {
  readonly tickRate: number;
  readonly intervalMs: number;
  readonly phases: number;
  private readonly clock: Clock;
  private readonly onError: (error: unknown) => void;
  private readonly slots: Slot[] = [];
  /**
   * Per slot, the earliest next due time of its members, so a wake-up and `arm` look at the
   * slots, not at every match (with 1 ms slots that is ~500 times a second). In one typed
   * array, not a field of each slot: every wake-up and arm reads all of them, and 33 slot
   * objects with a boxed double each were ~66 cache lines to load, cold by the next wake-up.
   */
  private readonly dues: Float64Array;
  /** Per slot: members changed since its due time was computed (it may be stale). */
  private readonly dirty: Uint8Array;
  private origin: number | null = null;
  /**
   * One timer for the scheduler's life, re-armed per wake-up: a new timer per arm (a
   * closure, a handle and Node's Timeout) was ~700 B per wake-up, ~500 wake-ups a second.
   */
  private readonly timer: ReusableTimer;
  /** When the armed timer fires; Infinity when it is not armed. */
  private timerAt = Infinity;
  private waking = false;
  /**
   * The latest reading of the clock during a wake-up, read again only after a match ran:
   * a reading of the system clock allocates (performance.now() returns a 16 B heap number),
   * and checking each of the 33 slots against a fresh one was ~0.5 KB per wake-up. Between
   * two readings only this loop's own bookkeeping runs (sub-microsecond against the 1 ms
   * early tolerance). A match's loop takes it as its start reading and hands back the one it
   * took after its tick: one reading per match tick, where the loop and this scheduler each
   * read the clock for themselves (~90 ns a reading live, three per match tick).
   */
  private now = 0;
  private members = 0;
  /** The slot after the last one that ran: slots fall due in cyclic order from here. */
  private cursor = 0;
  /** Wake-ups so far (a test and the docs' wake-up count read it). */
  wakeups = 0;
  /** Of those, the ones `poll` ran from the I/O path rather than the timer. */
  polledWakeups = 0;

  constructor(opts: TickSchedulerOptions) {
    if (!(opts.tickRate > 0 && opts.tickRate <= 1000)) throw new RangeError('tickRate must be in 1..1000');
    this.clock = opts.clock;
    this.onError =
      opts.onError ??
      ((e) =>
        queueMicrotask(() => {
          throw e;
        }));
    this.timer = reusableTimer(opts.clock, () => this.wake());
    this.tickRate = opts.tickRate;
    this.intervalMs = 1000 / opts.tickRate;
    this.phases = Math.max(1, Math.floor(opts.phases ?? this.intervalMs / PHASE_SPACING_MS));
    for (let p = 0; p < this.phases; p++) this.slots.push({ offset: (p * this.intervalMs) / this.phases, members: [] });
    this.dues = new Float64Array(this.phases).fill(Infinity);
    this.dirty = new Uint8Array(this.phases);
  }

  /** Loops scheduled now. */
  get size(): number {
    return this.members;
  }

  /**
   * Places a loop in the emptiest slot and returns its start time: the latest instant of
   * that slot's grid at or before now, so its first tick is due within one interval.
   */
  add(loop: ScheduledLoop): number {
    const now = this.clock.now();
    this.origin ??= now;
    let p = 0;
    for (let q = 1; q < this.phases; q++) if (this.slots[q].members.length < this.slots[p].members.length) p = q;
    const slot = this.slots[p];
    slot.members.push(loop);
    this.dirty[p] = 1;
    this.members++;
    const base = this.origin + slot.offset;
    return base + Math.floor((now - base) / this.intervalMs) * this.intervalMs;
  }

  /** Call after `add` once the loop knows its start time, and whenever it may be due earlier. */
  arm(): void {
    if (this.waking) return; // the wake-up re-arms when it is done
    let due = Infinity;
    for (let p = 0; p < this.phases; p++) {
      const d = this.dirty[p] === 1 ? this.slotDue(p) : this.dues[p];
      if (d < due) due = d;
    }
    if (due === Infinity) {
      this.cancelTimer();
      return;
    }
    if (this.timerAt <= due) return;
    const delay = due - this.clock.now();
    this.timerAt = due;
    // Replaces a pending arm (a later one, or the one `poll` overtook).
    this.timer.arm(delay > 0 ? delay : 0);
  }

  remove(loop: ScheduledLoop): void {
    for (let p = 0; p < this.phases; p++) {
      const s = this.slots[p];
      const i = s.members.indexOf(loop);
      if (i < 0) continue;
      s.members.splice(i, 1);
      this.dirty[p] = 1;
      this.members--;
      break;
    }
    if (this.members === 0) this.cancelTimer();
  }

  /**
   * Runs the wake-up now if the armed timer is due: the server calls this after every frame
   * a socket handler processed. Under load the event loop sits in uWS's receive path for
   * milliseconds at a time (one poll phase dispatches every readable socket), and a timer
   * can only fire once that phase ends, so ticks started that much late; checking here,
   * between two frames, bounds the lateness by one frame's handling instead. The timer stays
   * the fallback for a quiet server (no frames arriving). `now` is the caller's reading of
   * this scheduler's clock; the check costs one comparison when nothing is due.
   */
  poll(now: number): void {
    if (now < this.timerAt || this.waking) return;
    // The pending timer is not cancelled: the wake-up ends in `arm`, which re-arms it for
    // the next due slot or cancels it (re-arming reuses the timer, cancelling drops it).
    this.timerAt = Infinity;
    this.polledWakeups++;
    this.wake(now);
  }

  private cancelTimer(): void {
    this.timer.cancel();
    this.timerAt = Infinity;
  }

  /** `now`: the caller's reading of the clock, taken just before (poll); else read here. */
  private wake(now?: number): void {
    this.timerAt = Infinity;
    this.wakeups++;
    this.waking = true;
    const wokeAt = now ?? this.clock.now();
    this.now = wokeAt;
    try {
      // Slots fall due in cyclic order, so starting at the cursor runs them earliest-due
      // first (slot 0 of the next round must not go before the last slot of this one).
      const start = this.cursor;
      for (let k = 0; k < this.phases; k++) {
        const p = (start + k) % this.phases;
        // A slot neither due nor changed is skipped on the typed arrays alone.
        if (this.dirty[p] === 0 && this.dues[p] > this.now + EARLY_TOLERANCE_MS) continue;
        if (this.runSlot(p, wokeAt)) this.cursor = (p + 1) % this.phases;
      }
    } finally {
      this.waking = false;
      this.arm();
    }
  }

  /** Slot p's earliest due time, recomputed from its members when they changed. */
  private slotDue(p: number): number {
    if (this.dirty[p] === 1) {
      this.dirty[p] = 0;
      let due = Infinity;
      const members = this.slots[p].members;
      for (let i = 0; i < members.length; i++) {
        const d = members[i].nextDueAt();
        if (d < due) due = d;
      }
      this.dues[p] = due;
    }
    return this.dues[p];
  }

  /** Runs every due member of slot p; returns whether any was due. */
  private runSlot(p: number, wokeAt: number): boolean {
    if (this.slotDue(p) > this.now + EARLY_TOLERANCE_MS) return false;
    const s = this.slots[p];
    // Its members' due times move on as they run (and members may leave): recompute after.
    this.dirty[p] = 1;
    let ran = false;
    // A loop removed while its slot runs (a match ending in its own tick) shifts the array
    // under the index: see the re-visit below.
    const members = s.members;
    for (let i = 0; i < members.length; i++) {
      const m = members[i];
      if (m.nextDueAt() > this.now + EARLY_TOLERANCE_MS) continue;
      ran = true;
      try {
        // Time moved while it ran: its last reading is the latest.
        this.now = m.runDue(wokeAt, this.now);
      } catch (e) {
        // One broken match must not stop every other match's clock.
        this.remove(m);
        this.onError(e);
        this.now = this.clock.now();
      }
      if (members[i] !== m) i--; // m left the slot during its tick
    }
    return ran;
  }
}
