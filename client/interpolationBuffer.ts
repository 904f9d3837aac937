/**
 * The interpolation buffer for remote entities: snapshots wait here and are drawn a little
 * in the past, between the two that bracket the render time, so the world moves smoothly
 * although snapshots arrive only 15 times a second and not evenly.
 *
 * Timing. Every arrival gives a sample `arrival − tick·tickMs` (on the server clock from
 * ClockSync). The smallest recent one is the `base`: when a snapshot arrives if the network
 * adds nothing. A snapshot's lateness is its sample minus the base, and the jitter is the
 * 95th percentile of recent lateness. The render time is
 *
 *   renderTick = (now − playout) / tickMs,   playout → base + delay,
 *   delay      = 2 snapshot intervals + jitter + starvation penalty
 *
 * so the buffer holds about two intervals and grows with measured jitter. The playout
 * point never jumps: it slews at most 10 % of elapsed time (the render clock runs at
 * 0.9–1.1× speed), except for large errors (the first snapshot, a long stall), which snap.
 *
 * Starvation. When the render time passes the newest snapshot, entities are extrapolated
 * along their last motion for at most `maxExtrapolationMs`, then frozen there. Each
 * starvation episode adds a penalty to the delay that decays over ~10 s, so a buffer that
 * ran dry keeps a larger margin for a while.
 */
import { quantile, Window } from './stats.js';

export interface InterpolationOptions {
  tickMs: number;
  snapshotIntervalMs: number;
  /** Buffer depth before jitter, in snapshot intervals. Default 2. */
  baseIntervals?: number;
  /** Longest extrapolation past the newest snapshot, ms. Default one snapshot interval. */
  maxExtrapolationMs?: number;
  /** Arrival samples kept for base and jitter. Default 40 (~2.7 s at 15 Hz). */
  window?: number;
  /** Lateness quantile taken as "the jitter". Default 0.95. */
  jitterQuantile?: number;
  /**
   * Jitter counted into the delay at most, ms. Default 250. Longer gaps are stalls (a tab in
   * the background, shader compilation blocking the first frames), not network jitter:
   * extrapolation and the starvation penalty cover them without a second of added delay.
   */
  maxJitterMs?: number;
  /** Largest render-clock speed change, as a fraction of real time. Default 0.1. */
  maxSlew?: number;
  /** Playout errors above this snap instead of slewing, ms. Default 250. */
  snapMs?: number;
  /** Added to the delay per starvation episode, ms. Default 10. */
  starvationPenaltyMs?: number;
  /** Time constant of the penalty's decay, ms. Default 10 000. */
  penaltyDecayMs?: number;
  /** Snapshots kept at most. Default 32. */
  capacity?: number;
}

export interface BufferEntry<S> {
  tick: number;
  state: S;
}

export type SampleMode = 'interpolate' | 'extrapolate' | 'hold';

export interface Sample<S> {
  from: BufferEntry<S>;
  to: BufferEntry<S>;
  /** 0 at `from`, 1 at `to`; above 1 while extrapolating. */
  alpha: number;
  renderTick: number;
  mode: SampleMode;
}

export class InterpolationBuffer<S> {
  private readonly entries: BufferEntry<S>[] = [];
  private readonly arrivals: Window;
  private playout: number | null = null;
  private lastNow: number | null = null;
  private penalty = 0;
  private starving = false;
  private lastRenderTick = 0;
  private readonly o: Required<InterpolationOptions>;
  /** Starvation episodes so far. */
  starvations = 0;

  constructor(options: InterpolationOptions) {
    this.o = {
      baseIntervals: 2,
      maxExtrapolationMs: options.snapshotIntervalMs,
      window: 40,
      maxJitterMs: 250,
      jitterQuantile: 0.95,
      maxSlew: 0.1,
      snapMs: 250,
      starvationPenaltyMs: 10,
      penaltyDecayMs: 10_000,
      capacity: 32,
      ...options,
    };
    this.arrivals = new Window(this.o.window);
  }

  /** Adds a snapshot; `arrival` is when it arrived, on the same clock `sample` gets. */
  push(tick: number, state: S, arrival: number): void {
    const newest = this.entries[this.entries.length - 1];
    if (newest && tick <= newest.tick) return;
    this.entries.push({ tick, state });
    if (this.entries.length > this.o.capacity) this.entries.shift();
    this.arrivals.push(arrival - tick * this.o.tickMs);
  }

  /** The earliest-arrival timeline: a snapshot of tick k arrives no sooner than base + k·tickMs. */
  get base(): number {
    let min = Infinity;
    for (const v of this.arrivals.values) if (v < min) min = v;
    return min;
  }

  /** How late snapshots arrive beyond the fastest one (the jitter quantile), ms. */
  get jitterMs(): number {
    const base = this.base;
    if (!Number.isFinite(base)) return 0;
    return quantile(
      this.arrivals.values.map((v) => v - base),
      this.o.jitterQuantile,
    );
  }

  /** The delay the buffer is steering toward, ms behind the earliest-arrival timeline. */
  get targetDelayMs(): number {
    return this.o.baseIntervals * this.o.snapshotIntervalMs + Math.min(this.jitterMs, this.o.maxJitterMs) + this.penalty;
  }

  /** The delay in use now, ms (slews toward the target). */
  get delayMs(): number {
    return this.playout === null ? this.targetDelayMs : this.playout - this.base;
  }

  get length(): number {
    return this.entries.length;
  }

  /** Snapshots ahead of the render time (what is "in the buffer" for the net graph). */
  get ahead(): number {
    let n = 0;
    for (const e of this.entries) if (e.tick > this.lastRenderTick) n++;
    return n;
  }

  get newestTick(): number | null {
    return this.entries.length > 0 ? this.entries[this.entries.length - 1].tick : null;
  }

  clear(): void {
    this.entries.length = 0;
    this.arrivals.clear();
    this.playout = null;
    this.lastNow = null;
    this.penalty = 0;
    this.starving = false;
  }

  /**
   * The clock the buffer runs on stepped by `delta` (ClockSync snapped its offset): moves
   * every stored time with it, so a step is not mistaken for jitter or a time jump.
   */
  rebase(delta: number): void {
    this.arrivals.shift(delta);
    if (this.playout !== null) this.playout += delta;
    if (this.lastNow !== null) this.lastNow += delta;
  }

  /** The render tick at `now` without sampling (for event timing); advances nothing. */
  renderTickAt(now: number): number {
    if (this.playout === null) return -Infinity;
    return (now - this.playout) / this.o.tickMs;
  }

  /** Where to draw at `now` (same clock as `push`); null before the first snapshot. */
  sample(now: number): Sample<S> | null {
    const n = this.entries.length;
    if (n === 0) return null;
    this.advance(now);
    const renderTick = (now - this.playout!) / this.o.tickMs;
    this.lastRenderTick = renderTick;
    const first = this.entries[0];
    const newest = this.entries[n - 1];

    if (renderTick <= first.tick) return { from: first, to: first, alpha: 0, renderTick, mode: 'hold' };

    if (renderTick <= newest.tick) {
      this.starving = false;
      let i = n - 2;
      while (i > 0 && this.entries[i].tick > renderTick) i--;
      const from = this.entries[i];
      const to = this.entries[i + 1];
      // Older snapshots than `from` are never needed again.
      if (i > 1) this.entries.splice(0, i - 1);
      return { from, to, alpha: (renderTick - from.tick) / (to.tick - from.tick), renderTick, mode: 'interpolate' };
    }

    // Starved: the newest snapshot is already in the past.
    if (!this.starving) {
      this.starving = true;
      this.starvations++;
      this.penalty += this.o.starvationPenaltyMs;
    }
    if (n < 2) return { from: newest, to: newest, alpha: 0, renderTick, mode: 'hold' };
    const from = this.entries[n - 2];
    const span = newest.tick - from.tick;
    const limitTick = newest.tick + this.o.maxExtrapolationMs / this.o.tickMs;
    if (renderTick <= limitTick) {
      return { from, to: newest, alpha: (renderTick - from.tick) / span, renderTick, mode: 'extrapolate' };
    }
    return { from, to: newest, alpha: (limitTick - from.tick) / span, renderTick, mode: 'hold' };
  }

  /** Moves the playout point toward its target, at most maxSlew × elapsed. */
  private advance(now: number): void {
    const dt = this.lastNow === null ? 0 : Math.max(0, now - this.lastNow);
    this.lastNow = now;
    if (dt > 0 && this.penalty > 0) this.penalty *= Math.exp(-dt / this.o.penaltyDecayMs);
    const target = this.base + this.targetDelayMs;
    if (this.playout === null || Math.abs(target - this.playout) > this.o.snapMs) {
      this.playout = target;
      return;
    }
    const step = dt * this.o.maxSlew;
    this.playout += Math.max(-step, Math.min(step, target - this.playout));
  }
}
