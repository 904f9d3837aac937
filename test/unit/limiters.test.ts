/** The per-key limiters behind the abuse limits: refill, Retry-After, bounded memory. */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../server/clock.js';
import { ConcurrencyLimiter } from '../../server/limits/concurrencyLimiter.js';
import { KeyedRateLimiter } from '../../server/limits/keyedRateLimiter.js';
import { mergeAbuseLimits, defaultAbuseLimits } from '../../server/limits/abuseLimits.js';

describe('KeyedRateLimiter', () => {
  it('allows the burst, then refuses with the seconds until the next token', () => {
    const clock = new ManualClock();
    const l = new KeyedRateLimiter(clock, { perMinute: 6, burst: 2 });
    expect(l.take('a')).toEqual({ ok: true });
    expect(l.take('a')).toEqual({ ok: true });
    expect(l.take('a')).toEqual({ ok: false, retryAfterSeconds: 10 });
    expect(l.take('b')).toEqual({ ok: true }); // keys are independent
    clock.advance(4_000);
    expect(l.take('a')).toEqual({ ok: false, retryAfterSeconds: 6 });
    clock.advance(6_000);
    expect(l.take('a')).toEqual({ ok: true });
  });

  it('keeps at most maxKeys buckets, forgetting the least recently used', () => {
    const clock = new ManualClock();
    const l = new KeyedRateLimiter(clock, { perMinute: 1, burst: 1 }, 3);
    for (const k of ['a', 'b', 'c']) l.take(k);
    l.take('a'); // a is now the most recent
    l.take('d'); // evicts b
    expect(l.size).toBe(3);
    expect(l.take('b')).toEqual({ ok: true }); // b was forgotten: a full bucket again (evicts c)
    expect(l.take('a').ok).toBe(false); // a was kept
  });
});

describe('ConcurrencyLimiter', () => {
  it('counts per key and forgets keys at zero', () => {
    const c = new ConcurrencyLimiter(2);
    c.acquire('u');
    c.acquire('u');
    expect(c.allows('u')).toBe(false);
    expect(c.allows('v')).toBe(true);
    c.release('u');
    expect(c.allows('u')).toBe(true);
    c.release('u');
    expect(c.count('u')).toBe(0);
  });
});

describe('mergeAbuseLimits (--limits)', () => {
  it('merges over the defaults and refuses unknown keys and bad values with one line', () => {
    expect(mergeAbuseLimits({ eventStreamsPerUser: 2 })).toEqual({ ...defaultAbuseLimits, eventStreamsPerUser: 2 });
    expect(() => mergeAbuseLimits({ nope: 1 })).toThrow(/unknown key "nope"/);
    expect(() => mergeAbuseLimits({ matchmakesPerUser: { perMinute: 0, burst: 1 } })).toThrow(/matchmakesPerUser/);
    expect(() => mergeAbuseLimits({ connectionsPerUserPerNamespace: -1 })).toThrow(/connectionsPerUserPerNamespace/);
  });
});
