/** InputProducer: inputs at the tick rate from irregular calls, the catch-up bound, sequence numbers. */
import { describe, expect, it } from 'vitest';
import { InputProducer } from '../../game-client/netcode/inputProducer.js';

const TICK_MS = 1000 / 30;

describe('InputProducer', () => {
  it('produces nothing on the first call or while not playing, then one input per tick', () => {
    const p = new InputProducer(null);
    expect(p.due(0, true, TICK_MS)).toBeNull();
    expect(p.due(100, false, TICK_MS)).toBeNull();
    expect(p.due(150, true, TICK_MS)).toBe(1); // 50 ms: one tick, 16.7 ms carried
    expect(p.due(167, true, TICK_MS)).toBe(1);
    expect(p.due(200, true, TICK_MS)).toBe(0);
  });

  it('catches up at most 500 ms worth after a slow frame and drops a longer backlog', () => {
    const p = new InputProducer(null);
    p.due(0, true, TICK_MS);
    expect(p.due(400, true, TICK_MS)).toBe(12);
    expect(p.due(3400, true, TICK_MS)).toBe(15);
    // The rest of the 3 s stall is gone, not sent on the next call.
    expect(p.due(3410, true, TICK_MS)).toBeLessThanOrEqual(1);
  });

  it('honours an explicit burst bound', () => {
    const p = new InputProducer(2);
    p.due(0, true, TICK_MS);
    expect(p.due(1000, true, TICK_MS)).toBe(2);
  });

  it('numbers inputs from 1, wraps without 0, and records when the last one was made', () => {
    const p = new InputProducer(null);
    expect(p.next(10)).toBe(1);
    expect(p.lastInputAt).toBe(10);
    p.seatAck(0xffffffff - 256);
    expect(p.seq).toBe(0xffffffff);
    expect(p.next(20)).toBe(1);
  });

  it('skips 256 above the seat’s last applied number once per seat', () => {
    const p = new InputProducer(null);
    p.seatAck(1000);
    expect(p.seq).toBe(1256);
    p.seatAck(5000); // not a fresh seat any more
    expect(p.seq).toBe(1256);
    p.newSeat();
    p.seatAck(0); // a seat that took no inputs yet: nothing to skip
    expect(p.seq).toBe(1256);
  });
});
