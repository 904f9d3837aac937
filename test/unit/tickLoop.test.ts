import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../server/clock.js';
import { EARLY_TOLERANCE_MS, TickLoop } from '../../server/rooms/tickLoop.js';

function loopWith(clock: ManualClock, tickRate = 30, maxCatchUp = 3) {
  const ticks: Array<{ tick: number; at: number }> = [];
  const skips: number[] = [];
  const lateness: number[] = [];
  const loop = new TickLoop({
    clock,
    tickRate,
    maxCatchUp,
    onTick: (tick) => ticks.push({ tick, at: clock.now() }),
    onSkip: (n) => skips.push(n),
    onStats: (s) => lateness.push(s.latenessMs),
  });
  return { loop, ticks, skips, lateness };
}

describe('TickLoop', () => {
  it('runs tick n at start + n·interval with no drift over an hour of ticks', () => {
    const clock = new ManualClock(1000);
    const { loop, ticks } = loopWith(clock);
    loop.start();
    clock.advance(3_600_000 + 1);
    expect(ticks.length).toBe(30 * 3600);
    const last = ticks[ticks.length - 1];
    // Due time of tick 108000 is exactly one hour after start, to float precision.
    expect(Math.abs(last.at - (1000 + 3_600_000))).toBeLessThan(1e-3);
    for (let i = 1; i < ticks.length; i++) expect(ticks[i].tick).toBe(ticks[i - 1].tick + 1);
  });

  it('does not drift when every timer fires late', () => {
    const clock = new ManualClock(0);
    const interval = 1000 / 30;
    // A clock whose timers always fire 7 ms late, like a loaded event loop.
    const lateClock = Object.assign(Object.create(clock), {
      setTimeout: (fn: () => void, ms: number) => clock.setTimeout(fn, ms + 7),
    }) as ManualClock;
    const { loop, ticks, lateness } = loopWith(lateClock);
    loop.start();
    clock.advance(10_000);
    // Lateness stays bounded (≈7 ms) instead of accumulating: tick k still runs near k·interval.
    const last = ticks[ticks.length - 1];
    expect(last.at - last.tick * interval).toBeLessThan(8);
    expect(Math.max(...lateness)).toBeLessThan(8);
    expect(ticks.length).toBeGreaterThanOrEqual(299);
  });

  it('runs a tick on a wake-up that comes a fraction of a millisecond early, instead of re-arming', () => {
    const clock = new ManualClock(0);
    let wakes = 0;
    // Timers that fire 0.6 ms early, as libuv's cached millisecond loop time can make them.
    const earlyClock = Object.assign(Object.create(clock), {
      setTimeout: (fn: () => void, ms: number) =>
        clock.setTimeout(() => {
          wakes++;
          fn();
        }, ms >= 1 ? ms - 0.6 : ms),
    }) as ManualClock;
    const { loop, ticks, lateness } = loopWith(earlyClock);
    loop.start();
    clock.advance(1000);
    expect(ticks.length).toBe(30);
    expect(wakes).toBe(30); // one timer per tick: none wasted on an early wake-up
    expect(Math.max(...lateness)).toBe(0);
    // Still on the grid: every tick within the tolerance of its due time.
    for (const t of ticks) expect(Math.abs(t.at - t.tick * (1000 / 30))).toBeLessThanOrEqual(EARLY_TOLERANCE_MS);
  });

  it('catches up a stall with a bounded burst, then skips instead of spiralling', () => {
    const clock = new ManualClock(0);
    const { loop, ticks, skips } = loopWith(clock, 30, 3);
    loop.start();
    clock.advance(101); // ticks 1..3 on time
    expect(ticks.map((t) => t.tick)).toEqual([1, 2, 3]);
    clock.jump(1000); // the event loop stalls for a second (≈30 ticks owed)
    clock.advance(0);
    const burst = ticks.filter((t) => t.at === clock.now());
    expect(burst.length).toBe(3); // bounded catch-up
    expect(skips.length).toBe(1);
    expect(skips[0]).toBeGreaterThan(20);
    expect(loop.skipped).toBe(skips[0]);
    // And afterwards it is back on the original grid.
    const before = ticks.length;
    clock.advance(1000 / 30);
    expect(ticks.length).toBe(before + 1);
    const t = ticks[ticks.length - 1];
    expect(Math.abs(t.at - t.tick * (1000 / 30))).toBeLessThan(1e-6);
  });

  it('a short delay is caught up completely without skipping', () => {
    const clock = new ManualClock(0);
    const { loop, ticks, skips } = loopWith(clock, 30, 3);
    loop.start();
    clock.jump(70); // two ticks owed
    clock.advance(0);
    expect(ticks.map((t) => t.tick)).toEqual([1, 2]);
    expect(skips).toEqual([]);
  });

  it('stop() cancels the pending timer', () => {
    const clock = new ManualClock(0);
    const { loop, ticks } = loopWith(clock);
    loop.start();
    clock.advance(100);
    loop.stop();
    const n = ticks.length;
    clock.advance(1000);
    expect(ticks.length).toBe(n);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('rejects a non-positive tick rate', () => {
    expect(() => new TickLoop({ clock: new ManualClock(), tickRate: 0, onTick: () => {} })).toThrow(RangeError);
  });
});
