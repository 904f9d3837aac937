/**
 * An ordered delay line: each item is delivered after its own random delay, but never
 * before an item pushed earlier (a TCP stream delays, it does not reorder). The lag
 * simulator puts one in each direction of the socket.
 */
import type { TimerId, Timers } from './timers.js';

export interface DelayOptions {
  /** Mean delay, ms. */
  delayMs: number;
  /** Each item's delay varies uniformly by ±jitterMs/2 around the mean. */
  jitterMs: number;
}

export class DelayLine {
  private readonly queue: Array<{ at: number; fn: () => void }> = [];
  private timer: TimerId | null = null;
  private lastAt = -Infinity;

  constructor(
    private readonly o: DelayOptions,
    private readonly timers: Timers,
    private readonly random: () => number = Math.random,
  ) {}

  get pending(): number {
    return this.queue.length;
  }

  push(fn: () => void): void {
    const delay = Math.max(0, this.o.delayMs + (this.random() - 0.5) * this.o.jitterMs);
    const at = Math.max(this.lastAt, this.timers.now() + delay);
    this.lastAt = at;
    this.queue.push({ at, fn });
    if (this.timer === null) this.arm();
  }

  /** Drops everything still queued (the socket it fed is gone). */
  clear(): void {
    this.queue.length = 0;
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
  }

  private arm(): void {
    const head = this.queue[0];
    if (!head) return;
    this.timer = this.timers.setTimeout(() => this.flush(), Math.max(0, head.at - this.timers.now()));
  }

  private flush(): void {
    this.timer = null;
    const now = this.timers.now();
    // Deliver everything due, in order; a callback may push more (it lands behind).
    while (this.queue.length > 0 && this.queue[0].at <= now + 0.5) this.queue.shift()!.fn();
    this.arm();
  }
}
