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
   * none, when fewer are left (the caller is over the rate).
   */
  take(count = 1): boolean {
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.ratePerSecond);
    this.last = now;
    if (this.tokens < count) return false;
    this.tokens -= count;
    return true;
  }
}
