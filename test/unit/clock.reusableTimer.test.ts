/**
 * The tick scheduler's timer (server/clock.ts `reusableTimer`): on the system clock one Node
 * Timeout re-armed with refresh() while the delay stays the same, so a re-arm allocates
 * nothing; re-arming replaces a pending arm and cancelling stops it — one fire per arm,
 * never a stale one. Real timers, a few milliseconds each; the assertions count fires and
 * timers made, never time them.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ManualClock, reusableTimer, systemClock, type ReusableTimer } from '../../server/clock.js';
import { TickLoop } from '../../server/rooms/tickLoop.js';
import { TickScheduler } from '../../server/rooms/tickScheduler.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits for `pred` on setImmediate turns (not setTimeout: a test counts the timers made). */
async function until(pred: () => boolean): Promise<void> {
  const giveUp = performance.now() + 2000;
  while (!pred() && performance.now() < giveUp) await new Promise((r) => setImmediate(r));
  expect(pred()).toBe(true);
}

afterEach(() => vi.restoreAllMocks());

describe('systemClock.reusableTimer', () => {
  it('re-arms one Timeout while the delay stays the same; a new delay makes a new one', async () => {
    let fired = 0;
    const made = vi.spyOn(globalThis, 'setTimeout');
    const t = reusableTimer(systemClock, () => fired++);
    for (let i = 1; i <= 20; i++) {
      // Fractional delays as the scheduler computes them: Node runs them as whole ms (≥ 1).
      t.arm(i % 2 ? 0.4 : 1.7);
      await until(() => fired === i);
    }
    expect(made).toHaveBeenCalledTimes(1);
    t.arm(3);
    await until(() => fired === 21);
    expect(made).toHaveBeenCalledTimes(2);
  });

  it('a re-arm before the fire replaces the pending arm (same or other delay): one fire', async () => {
    let fired = 0;
    const t = reusableTimer(systemClock, () => fired++);
    t.arm(30);
    t.arm(30); // refresh of the pending Timeout
    t.arm(1); // another delay: the 30 ms one is cleared
    await until(() => fired === 1);
    await sleep(60);
    expect(fired).toBe(1);
  });

  it('cancel stops a pending arm, and the timer can be armed again after it', async () => {
    let fired = 0;
    const t = reusableTimer(systemClock, () => fired++);
    t.arm(5);
    t.cancel();
    await sleep(30);
    expect(fired).toBe(0);
    t.arm(5);
    await until(() => fired === 1);
    t.cancel(); // after the fire: nothing pending, nothing to do
    t.arm(5);
    await until(() => fired === 2);
  });

  it('a callback that re-arms its own timer keeps firing (the scheduler re-arms from its wake-up)', async () => {
    let fired = 0;
    const t: ReusableTimer = reusableTimer(systemClock, () => {
      if (++fired < 5) t.arm(1);
    });
    t.arm(1);
    await until(() => fired === 5);
    await sleep(20);
    expect(fired).toBe(5);
  });
});

/** A manual clock with a reusable timer that counts the timers made and the arms. */
class ReusableManualClock extends ManualClock {
  made = 0;
  arms = 0;
  reusableTimer(fn: () => void): ReusableTimer {
    this.made++;
    const inner = reusableTimer({ now: () => this.now(), wallNow: () => this.wallNow(), setTimeout: (f, ms) => this.setTimeout(f, ms) }, fn);
    return {
      arm: (ms) => (this.arms++, inner.arm(ms)),
      cancel: () => inner.cancel(),
    };
  }
}

describe('TickScheduler on a clock with a reusable timer', () => {
  it('makes one timer for its life, and a poll that overtook the timer leaves no stale fire', () => {
    const clock = new ReusableManualClock();
    const scheduler = new TickScheduler({ clock, tickRate: 30, phases: 1 });
    const ticks: number[] = [];
    const loop = new TickLoop({ clock, tickRate: 30, scheduler, onTick: (t) => ticks.push(t) });
    loop.start();
    clock.advance(1000 - 1);
    expect(ticks.length).toBe(29);
    // Busy receiving: the next tick falls due, a frame's poll runs it before the timer can.
    clock.jump(2);
    scheduler.poll(clock.now());
    expect(ticks.length).toBe(30);
    expect(scheduler.polledWakeups).toBe(1);
    const wakeups = scheduler.wakeups;
    expect(clock.pendingTimers()).toBe(1);
    clock.advance(1000 / 30);
    // One wake-up for the next tick, none for the overtaken arm.
    expect(scheduler.wakeups - wakeups).toBe(1);
    expect(ticks.length).toBe(31);
    expect(clock.made).toBe(1);
    loop.stop();
    expect(clock.pendingTimers()).toBe(0);
  });
});
