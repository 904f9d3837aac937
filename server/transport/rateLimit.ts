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

/** One token bucket's parameters: `ratePerSecond` refilling up to `burst`. */
export interface RateLimit {
  ratePerSecond: number;
  burst: number;
}

/** Doubles per socket row: [lastFrameAt, tokens₀, last₀, tokens₁, last₁, tokens₂, last₂, –]. */
const ROW = 8;
const MAX_CLASSES = 3;

/**
 * Every open socket's receive-path state of one namespace in one Float64Array row of 64
 * bytes: the time of its last frame and one token bucket per message class (TokenBucket's
 * arithmetic exactly). Why not a TokenBucket per socket: live, a socket's frames arrive
 * 33 ms apart with 799 others and the kernel in between, so each object a frame touches is
 * a cache miss, and in Node 20 on x64 each double field of an object is one more (a boxed
 * HeapNumber): bucket → tokens → last was three misses per frame, a row is one or two.
 * Rows are recycled on close, so the table is bounded by the most sockets open at once.
 */
export class SocketRates {
  private rows: Float64Array;
  private readonly free: number[] = [];
  private used = 0;
  private readonly rate: Float64Array;
  private readonly burst: Float64Array;

  constructor(limits: readonly RateLimit[], initialSockets = 64) {
    if (limits.length === 0 || limits.length > MAX_CLASSES) throw new RangeError(`1..${MAX_CLASSES} rate classes`);
    this.rate = Float64Array.from(limits, (l) => l.ratePerSecond);
    this.burst = Float64Array.from(limits, (l) => l.burst);
    this.rows = new Float64Array(Math.max(1, initialSockets) * ROW);
  }

  /** A row for a new socket: every bucket full, as a new TokenBucket is. */
  open(now: number): number {
    let slot = this.free.pop();
    if (slot === undefined) {
      slot = this.used++;
      if (slot * ROW >= this.rows.length) {
        const grown = new Float64Array(this.rows.length * 2);
        grown.set(this.rows);
        this.rows = grown;
      }
    }
    const r = this.rows;
    const at = slot * ROW;
    r[at] = now;
    for (let c = 0; c < this.rate.length; c++) {
      r[at + 1 + 2 * c] = this.burst[c];
      r[at + 2 + 2 * c] = now;
    }
    return slot;
  }

  /** The socket closed: its row goes to the next one. */
  close(slot: number): void {
    this.free.push(slot);
  }

  lastFrameAt(slot: number): number {
    return this.rows[slot * ROW];
  }

  touch(slot: number, now: number): void {
    this.rows[slot * ROW] = now;
  }

  /** TokenBucket.take on the socket's bucket of class `cls`. */
  take(slot: number, cls: number, count: number, now: number): boolean {
    const r = this.rows;
    const t = slot * ROW + 1 + 2 * cls;
    const tokens = Math.min(this.burst[cls], r[t] + ((now - r[t + 1]) / 1000) * this.rate[cls]);
    r[t + 1] = now;
    if (tokens < count) {
      r[t] = tokens;
      return false;
    }
    r[t] = tokens - count;
    return true;
  }
}
