/**
 * Event-loop liveness for /healthz: a timer-lag probe. A timer is armed every `intervalMs`;
 * how late it fires is how long the loop was busy. A stalled loop cannot answer HTTP at all
 * (the orchestrator's probe then times out, which is the point); this probe catches the
 * loop that still answers but keeps stalling — one long stall or ticks that take too long.
 * It reads time only through a Clock, so tests stall it with ManualClock.jump().
 */
import type { Clock, TimerHandle } from '../clock.js';

export interface LoopStatus {
  ok: boolean;
  /** The worst lag seen by the last probe or the one now overdue, ms. */
  lagMs: number;
  reason: string | null;
}

export interface LoopHealthOptions {
  clock: Clock;
  /** Lag above this counts as stalled, ms. */
  stallMs: number;
  /** Probe period, ms (default 500). */
  intervalMs?: number;
}

export class LoopHealth {
  private readonly clock: Clock;
  private readonly intervalMs: number;
  private expectedAt = 0;
  private lastLag = 0;
  private timer: TimerHandle | null = null;

  constructor(private readonly o: LoopHealthOptions) {
    this.clock = o.clock;
    this.intervalMs = o.intervalMs ?? 500;
  }

  start(): void {
    if (this.timer) return;
    this.arm();
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = null;
  }

  status(): LoopStatus {
    // A probe that is overdue right now counts too: the request may be served between the
    // end of a stall and the (late) probe timer.
    const overdue = this.timer ? Math.max(0, this.clock.now() - this.expectedAt) : 0;
    const lagMs = Math.round(Math.max(this.lastLag, overdue));
    if (lagMs <= this.o.stallMs) return { ok: true, lagMs, reason: null };
    return { ok: false, lagMs, reason: `event loop stalled: a timer ran ${lagMs} ms late (limit ${this.o.stallMs} ms)` };
  }

  private arm(): void {
    this.expectedAt = this.clock.now() + this.intervalMs;
    this.timer = this.clock.setTimeout(() => {
      this.lastLag = Math.max(0, this.clock.now() - this.expectedAt);
      this.arm();
    }, this.intervalMs);
  }
}
