import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_BACKOFF, nominalDelay } from '../../client/index.js';

describe('reconnection backoff', () => {
  it('doubles from 0.5 s and caps at 8 s', () => {
    expect([0, 1, 2, 3, 4, 5, 10, 50].map((n) => nominalDelay(n))).toEqual([500, 1000, 2000, 4000, 8000, 8000, 8000, 8000]);
  });

  it('spreads each attempt by ±25 % and stays within 0.5–8 s', () => {
    const lo = () => 0;
    const mid = () => 0.5;
    const hi = () => 0.999999;
    expect([0, 1, 2, 3, 4, 5].map((n) => backoffDelay(n, mid))).toEqual([500, 1000, 2000, 4000, 8000, 8000]);
    expect([0, 1, 2, 3, 4].map((n) => backoffDelay(n, lo))).toEqual([500, 750, 1500, 3000, 6000]);
    const high = [0, 1, 2, 3, 4].map((n) => backoffDelay(n, hi));
    expect(high[0]).toBeCloseTo(625, 2);
    expect(high[1]).toBeCloseTo(1250, 2);
    expect(high[2]).toBeCloseTo(2500, 2);
    expect(high[3]).toBeCloseTo(5000, 2);
    expect(high[4]).toBe(8000);
    for (let n = 0; n < 40; n++) {
      const d = backoffDelay(n, Math.random);
      expect(d).toBeGreaterThanOrEqual(DEFAULT_BACKOFF.initialMs);
      expect(d).toBeLessThanOrEqual(DEFAULT_BACKOFF.maxMs);
    }
  });

  it('de-synchronises clients dropped together (jitter)', () => {
    // 100 clients, attempt 3: their delays must not collapse onto a few values.
    let seed = 42;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const delays = Array.from({ length: 100 }, () => Math.round(backoffDelay(3, rand)));
    expect(new Set(delays).size).toBeGreaterThan(80);
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(3000);
    expect(Math.max(...delays)).toBeLessThanOrEqual(5000);
  });
});
