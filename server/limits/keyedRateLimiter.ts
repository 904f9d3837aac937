/**
 * Token buckets per key (a user id, a client address), for limits that must hold across
 * sockets and requests: sign-ups per address, matchmakes per user, join-code attempts.
 * Memory is bounded: at most `maxKeys` buckets are kept; the least recently used key is
 * forgotten first (a forgotten key starts again with a full burst, which only ever favours
 * a real client that went quiet). Time comes from the injected clock.
 */
import type { Clock } from '../clock.js';

export interface RateLimit {
  /** Sustained rate, tokens per minute. */
  perMinute: number;
  /** Tokens available at once. */
  burst: number;
}

export type LimitDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  last: number;
}

export class KeyedRateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;

  constructor(
    private readonly clock: Clock,
    private readonly limit: RateLimit,
    private readonly maxKeys = 100_000,
  ) {
    this.perMs = limit.perMinute / 60_000;
  }

  /** Takes one token for `key`; when none is left, says how long until one is. */
  take(key: string): LimitDecision {
    const now = this.clock.now();
    let b = this.buckets.get(key);
    if (b) {
      this.buckets.delete(key); // re-inserted below: Map order is least recently used first
      b.tokens = Math.min(this.limit.burst, b.tokens + (now - b.last) * this.perMs);
      b.last = now;
    } else {
      b = { tokens: this.limit.burst, last: now };
      if (this.buckets.size >= this.maxKeys) this.buckets.delete(this.buckets.keys().next().value as string);
    }
    this.buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - b.tokens) / this.perMs / 1000)) };
  }

  get size(): number {
    return this.buckets.size;
  }
}
