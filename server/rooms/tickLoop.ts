/**
 * The fixed-timestep tick loop (one per match). Tick n is due at start + n·interval: the
 * schedule is computed from the start time, never by adding intervals to "now", so timer
 * lateness does not accumulate into drift. When the loop wakes late it runs the ticks it
 * owes, at most `maxCatchUp` in a row, then skips the rest (counted) instead of spiralling.
 */
import type { Clock, TimerHandle } from '../clock.js';

/**
 * Timers fire on a 1 ms grid (libuv caches loop time per iteration), so a wake-up can come
 * a fraction of a millisecond before the tick is due. Running the tick then, instead of
 * re-arming a timer that can only fire a whole millisecond later, keeps ticks on schedule:
 * a tick may start up to this much early, never drifting (due times come from the start).
 */
export const EARLY_TOLERANCE_MS = 1;

export interface TickStats {
  /** How late this wake-up was relative to the tick's due time, ms. */
  latenessMs: number;
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
}

export class TickLoop {
  readonly intervalMs: number;
  private readonly clock: Clock;
  private readonly maxCatchUp: number;
  private startAt = 0;
  /** Index of the next tick to run (ticks are numbered from 1). */
  private next = 1;
  private timer: TimerHandle | null = null;
  private running = false;
  skipped = 0;

  constructor(private readonly opts: TickLoopOptions) {
    if (!(opts.tickRate > 0 && opts.tickRate <= 1000)) throw new RangeError('tickRate must be in 1..1000');
    this.clock = opts.clock;
    this.intervalMs = 1000 / opts.tickRate;
    this.maxCatchUp = opts.maxCatchUp ?? 3;
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
    this.startAt = this.clock.now();
    this.schedule();
  }

  stop(): void {
    this.running = false;
    this.timer?.cancel();
    this.timer = null;
  }

  get isRunning(): boolean {
    return this.running;
  }

  private schedule(): void {
    if (!this.running) return;
    const delay = this.dueAt(this.next) - this.clock.now();
    this.timer = this.clock.setTimeout(() => this.wake(), delay > 0 ? delay : 0);
  }

  private wake(): void {
    this.timer = null;
    if (!this.running) return;
    let ran = 0;
    while (this.running && this.dueAt(this.next) <= this.clock.now() + EARLY_TOLERANCE_MS) {
      if (ran === this.maxCatchUp) {
        // Still behind after a bounded burst: skip the owed ticks, keep the grid.
        const now = this.clock.now();
        const owed = Math.floor((now - this.dueAt(this.next)) / this.intervalMs) + 1;
        this.next += owed;
        this.skipped += owed;
        this.opts.onSkip?.(owed);
        break;
      }
      const tick = this.next++;
      const t0 = this.clock.now();
      const lateness = t0 - this.dueAt(tick);
      this.opts.onTick(tick);
      this.opts.onStats?.({ latenessMs: lateness > 0 ? lateness : 0, durationMs: this.clock.now() - t0 });
      ran++;
    }
    this.schedule();
  }
}
