/**
 * The fixed-timestep tick loop (one per match). Tick n is due at start + n·interval: the
 * schedule is computed from the start time, never by adding intervals to "now", so timer
 * lateness does not accumulate into drift. When the loop wakes late it runs the ticks it
 * owes, at most `maxCatchUp` in a row, then skips the rest (counted) instead of spiralling.
 *
 * It owns no timer: a TickScheduler wakes it — the process-wide one the RoomManager shares
 * between all matches of a tick rate, or, when none is given, a private one (one timer).
 */
import type { Clock } from '../clock.js';
import { EARLY_TOLERANCE_MS, TickScheduler, type ScheduledLoop } from './tickScheduler.js';

export { EARLY_TOLERANCE_MS } from './tickScheduler.js';

export interface TickStats {
  /** How late the tick started relative to its due time, ms. */
  latenessMs: number;
  /**
   * The part of that lateness the scheduler's wake-up itself was late (a busy event loop, the
   * timer's 1 ms grid), ms; the rest (latenessMs − wakeLatenessMs) was spent waiting behind
   * the other matches run in the same wake-up.
   */
  wakeLatenessMs: number;
  /** How long onTick took, ms. */
  durationMs: number;
}

export interface TickLoopOptions {
  clock: Clock;
  tickRate: number;
  /** Ticks run back to back when late before the rest are skipped. Default 3. */
  maxCatchUp?: number;
  onTick: (tick: number) => void;
  onStats?: (stats: TickStats) => void;
  onSkip?: (skipped: number) => void;
  /** The scheduler to run on (same clock and tick rate); default: a private one. */
  scheduler?: TickScheduler;
}

export class TickLoop implements ScheduledLoop {
  readonly intervalMs: number;
  private readonly clock: Clock;
  private readonly maxCatchUp: number;
  private startAt = 0;
  /** Index of the next tick to run (ticks are numbered from 1). */
  private next = 1;
  private running = false;
  private readonly scheduler: TickScheduler;
  /** Handed to onStats after every tick (read synchronously; reused, not reallocated). */
  private readonly stats: TickStats = { latenessMs: 0, wakeLatenessMs: 0, durationMs: 0 };
  /** The per-tick callbacks on the loop itself: the options object is one cold line less per tick. */
  private readonly onTick: (tick: number) => void;
  private readonly onStats: ((stats: TickStats) => void) | null;
  skipped = 0;

  constructor(private readonly opts: TickLoopOptions) {
    if (!(opts.tickRate > 0 && opts.tickRate <= 1000)) throw new RangeError('tickRate must be in 1..1000');
    this.onTick = opts.onTick;
    this.onStats = opts.onStats ?? null;
    this.clock = opts.clock;
    this.intervalMs = 1000 / opts.tickRate;
    this.maxCatchUp = opts.maxCatchUp ?? 3;
    this.scheduler = opts.scheduler ?? new TickScheduler({ clock: opts.clock, tickRate: opts.tickRate, phases: 1 });
    if (this.scheduler.intervalMs !== this.intervalMs) throw new RangeError('the scheduler runs at another tick rate');
  }

  get currentTick(): number {
    return this.next - 1;
  }

  /** Due time of tick n. */
  dueAt(n: number): number {
    return this.startAt + n * this.intervalMs;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.startAt = this.scheduler.add(this);
    this.scheduler.arm();
  }

  stop(): void {
    if (!this.running) return;
    this.running = false;
    this.scheduler.remove(this);
  }

  get isRunning(): boolean {
    return this.running;
  }

  nextDueAt(): number {
    return this.dueAt(this.next);
  }

  /**
   * Runs the ticks owed by `now`, the scheduler's latest reading of the clock (it calls this
   * when the loop is due); returns the latest reading, taken after the last tick ran.
   */
  runDue(wokeAt: number, now: number): number {
    // One reading of the clock per tick, at its end (a reading of the system clock allocates
    // a 16 B heap number; this loop took four per tick): it gives the tick's duration,
    // decides whether another is due, and starts the next (only onStats runs in between).
    // The first tick starts at the scheduler's reading, taken after the previous match's tick.
    let ran = 0;
    while (this.running && this.dueAt(this.next) <= now + EARLY_TOLERANCE_MS) {
      if (ran === this.maxCatchUp) {
        // Still behind after a bounded burst: skip the owed ticks, keep the grid.
        const owed = Math.floor((now - this.dueAt(this.next)) / this.intervalMs) + 1;
        this.next += owed;
        this.skipped += owed;
        this.opts.onSkip?.(owed);
        break;
      }
      const tick = this.next++;
      const t0 = now;
      const due = this.dueAt(tick);
      const lateness = t0 - due;
      this.onTick(tick);
      now = this.clock.now();
      if (this.onStats !== null) {
        this.stats.latenessMs = lateness > 0 ? lateness : 0;
        this.stats.wakeLatenessMs = wokeAt > due ? Math.min(wokeAt - due, this.stats.latenessMs) : 0;
        this.stats.durationMs = now - t0;
        this.onStats(this.stats);
      }
      ran++;
    }
    return now;
  }
}
