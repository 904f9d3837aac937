/** RetrySchedule: attempt counting, the backoff delay of each attempt, the give-up limit and the single rate-limit retry. */
import { describe, expect, it } from 'vitest';
import { RetrySchedule } from '../../client/retrySchedule.js';
import { ManualTimers } from '../support/fakeSocket.js';

function schedule(maxAttempts = 3) {
  const timers = new ManualTimers();
  // random 0: the low end of each attempt's jitter band (0.5, 0.75, 1.5, 3 s …).
  return { timers, retry: new RetrySchedule({ maxAttempts, random: () => 0, timers }) };
}

describe('RetrySchedule', () => {
  it('counts attempts with growing backoff and gives up after maxAttempts', () => {
    const { retry } = schedule(3);
    expect(retry.next()).toEqual({ attempt: 1, delayMs: 500 });
    expect(retry.next()).toEqual({ attempt: 2, delayMs: 750 });
    expect(retry.next()).toEqual({ attempt: 3, delayMs: 1500 });
    expect(retry.next()).toBeNull();
    expect(retry.attempt).toBe(3);
  });

  it('starts over when a socket opens, reporting the attempts it took', () => {
    const { retry } = schedule();
    retry.next();
    retry.next();
    expect(retry.opened()).toBe(2);
    expect(retry.attempt).toBe(0);
    expect(retry.next()).toEqual({ attempt: 1, delayMs: 500 });
  });

  it('allows one rate-limit retry, at the 1.5–2.5 s backoff at least', () => {
    const { retry } = schedule(12);
    expect(retry.takeRateLimitRetry()).toBe(true);
    expect(retry.next()).toEqual({ attempt: 3, delayMs: 1500 });
    expect(retry.opened()).toBe(3);
    expect(retry.takeRateLimitRetry()).toBe(false);
    expect(retry.attempt).toBe(0);
  });

  it('runs the attempt after its delay unless cancelled', async () => {
    const { timers, retry } = schedule();
    let runs = 0;
    retry.wait(500, () => runs++);
    expect(retry.waiting).toBe(true);
    await timers.advance(499);
    expect(runs).toBe(0);
    await timers.advance(1);
    expect(runs).toBe(1);
    expect(retry.waiting).toBe(false);

    retry.wait(500, () => runs++);
    retry.cancel();
    expect(retry.waiting).toBe(false);
    expect(timers.pending).toBe(0);
    await timers.advance(1000);
    expect(runs).toBe(1);
  });
});
