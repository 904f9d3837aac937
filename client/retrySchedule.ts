/**
 * When the connection tries again: the attempt count since the last open socket, the
 * backoff delay before the next attempt (backoff.ts), the limit after which it gives up, and
 * the single longer retry allowed after a rate-limit close. The connection decides *whether*
 * a drop is retried; this only answers *when*, and owns the timer that waits for it.
 */
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.js';
import type { TimerId, Timers } from './timers.js';

/** Backoff attempt index the single retry after a 4008 starts at (1.5–2.5 s). */
const RATE_LIMITED_RETRY_ATTEMPT = 2;

export interface RetryScheduleOptions {
  /** Attempts before giving up (Infinity to retry forever). */
  maxAttempts: number;
  backoff?: BackoffOptions;
  random: () => number;
  timers: Timers;
}

export class RetrySchedule {
  private attemptValue = 0;
  private timer: TimerId | null = null;
  private rateLimitRetried = false;

  constructor(private readonly o: RetryScheduleOptions) {}

  /** Attempts made since the last socket opened (the one under way included). */
  get attempt(): number {
    return this.attemptValue;
  }

  /** A retry is waiting for its delay to pass. */
  get waiting(): boolean {
    return this.timer !== null;
  }

  /** A socket opened: the count starts over. Returns the attempts it took. */
  opened(): number {
    const attempts = this.attemptValue;
    this.attemptValue = 0;
    return attempts;
  }

  /**
   * Takes the one retry allowed after a rate-limit close (false once it is used): a stall's
   * catch-up or a browser hiccup should not end the match, a client that floods again should.
   * The retry waits at least the backoff of attempt RATE_LIMITED_RETRY_ATTEMPT.
   */
  takeRateLimitRetry(): boolean {
    if (this.rateLimitRetried) return false;
    this.rateLimitRetried = true;
    this.attemptValue = Math.max(this.attemptValue, RATE_LIMITED_RETRY_ATTEMPT);
    return true;
  }

  /** Counts the next attempt and its delay; null when the attempts are used up. */
  next(): { attempt: number; delayMs: number } | null {
    if (this.attemptValue >= this.o.maxAttempts) return null;
    const delayMs = backoffDelay(this.attemptValue, this.o.random, this.o.backoff ?? DEFAULT_BACKOFF);
    this.attemptValue++;
    return { attempt: this.attemptValue, delayMs };
  }

  /** Runs `attempt` after `delayMs` (from `next`), unless cancelled first. */
  wait(delayMs: number, attempt: () => void): void {
    this.timer = this.o.timers.setTimeout(() => {
      this.timer = null;
      attempt();
    }, delayMs);
  }

  cancel(): void {
    if (this.timer !== null) this.o.timers.clearTimeout(this.timer);
    this.timer = null;
  }
}
