/**
 * Token bucket: `ratePerSecond` tokens refill continuously up to `burst`. One per socket
 * per message class; reading time through the injected clock keeps tests sleep-free.
 */
import type { Clock } from '../clock.js';

export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly clock: Clock,
    private readonly ratePerSecond: number,
    private readonly burst: number,
  ) {
    this.tokens = burst;
    this.last = clock.now();
  }

  /**
   * Takes `count` tokens (an input batch costs one per input it carries); false, taking
   * none, when fewer are left (the caller is over the rate). `now`: the caller's clock
   * reading for this frame, when it has one (the receive path reads the clock once a frame).
   */
  take(count = 1, now = this.clock.now()): boolean {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.ratePerSecond);
    this.last = now;
    if (this.tokens < count) return false;
    this.tokens -= count;
    return true;
  }
}
