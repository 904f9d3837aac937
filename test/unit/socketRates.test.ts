import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../server/clock.js';
import { SocketRates, TokenBucket } from '../../server/transport/rateLimit.js';

describe('SocketRates', () => {
  it('answers and refills exactly as one TokenBucket per socket and class', () => {
    const clock = new ManualClock();
    const limits = [
      { ratePerSecond: 60, burst: 300 },
      { ratePerSecond: 10, burst: 20 },
    ];
    const rates = new SocketRates(limits, 1);
    const sockets = [0, 1, 2].map(() => ({ slot: rates.open(clock.now()), buckets: limits.map((l) => new TokenBucket(clock, l.ratePerSecond, l.burst)) }));
    let x = 7;
    const rnd = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32;
    for (let i = 0; i < 5000; i++) {
      clock.jump(rnd() * 8);
      const s = sockets[Math.floor(rnd() * sockets.length)];
      const cls = rnd() < 0.8 ? 0 : 1;
      const count = 1 + Math.floor(rnd() * 3);
      expect(rates.take(s.slot, cls, count, clock.now())).toBe(s.buckets[cls].take(count, clock.now()));
    }
  });

  it('a flood is refused once the burst is spent; a socket in a recycled row starts full', () => {
    const clock = new ManualClock();
    const rates = new SocketRates([{ ratePerSecond: 10, burst: 20 }]);
    const a = rates.open(clock.now());
    for (let i = 0; i < 20; i++) expect(rates.take(a, 0, 1, clock.now())).toBe(true);
    expect(rates.take(a, 0, 1, clock.now())).toBe(false);
    clock.jump(100);
    expect(rates.take(a, 0, 1, clock.now())).toBe(true);
    expect(rates.take(a, 0, 1, clock.now())).toBe(false);
    rates.close(a);
    const b = rates.open(clock.now());
    expect(b).toBe(a);
    for (let i = 0; i < 20; i++) expect(rates.take(b, 0, 1, clock.now())).toBe(true);
    rates.touch(b, 1234);
    expect(rates.lastFrameAt(b)).toBe(1234);
  });
});
