/**
 * The process-wide tick scheduler: one timer for every match, matches spread over phase
 * slots, each match still on its own drift-free grid with bounded catch-up.
 */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../server/clock.js';
import { arenaMode } from '../../server/game/arena/arenaMode.js';
import type { Broadcaster } from '../../server/rooms/connection.js';
import { registerModes } from '../../server/modes/modeRegistry.js';
import { RoomManager } from '../../server/rooms/roomManager.js';
import { TickLoop } from '../../server/rooms/tickLoop.js';
import { TickScheduler } from '../../server/rooms/tickScheduler.js';

const INTERVAL = 1000 / 30;

function loops(clock: ManualClock, scheduler: TickScheduler, n: number, onTick: (i: number, tick: number) => void = () => {}) {
  const ticks: Array<Array<{ tick: number; at: number; late: number }>> = [];
  const list: TickLoop[] = [];
  for (let i = 0; i < n; i++) {
    const mine: Array<{ tick: number; at: number; late: number }> = [];
    ticks.push(mine);
    let late = 0;
    const loop: TickLoop = new TickLoop({
      clock,
      tickRate: 30,
      scheduler,
      onTick: (tick) => {
        mine.push({ tick, at: clock.now(), late });
        onTick(i, tick);
      },
      onStats: (s) => (late = s.latenessMs),
    });
    list.push(loop);
  }
  return { ticks, list };
}

describe('TickScheduler', () => {
  it('runs 200 matches on one timer: ≤ phases wake-ups per interval, every tick on its own grid', () => {
    const clock = new ManualClock(0);
    const scheduler = new TickScheduler({ clock, tickRate: 30 });
    // One slot per millisecond of the interval: the timer's own grid.
    expect(scheduler.phases).toBe(33);
    const { ticks, list } = loops(clock, scheduler, 200);
    // Matches start at different moments, as they do when players arrive.
    for (const loop of list) {
      loop.start();
      clock.advance(0.37);
    }
    expect(clock.pendingTimers()).toBe(1);
    const w0 = scheduler.wakeups;
    clock.advance(2_000);
    expect(clock.pendingTimers()).toBe(1);
    // 200 timers per interval before; now at most one per occupied slot.
    expect(scheduler.wakeups - w0).toBeLessThanOrEqual(33 * 60 + 1);
    expect(scheduler.wakeups - w0).toBeGreaterThanOrEqual(33 * 59);
    const offGrid: string[] = [];
    for (const [i, mine] of ticks.entries()) {
      if (mine.length < 60) offGrid.push(`loop ${i}: ${mine.length} ticks`);
      for (let k = 1; k < mine.length; k++) {
        if (mine[k].tick !== mine[k - 1].tick + 1 || Math.abs(mine[k].at - mine[k - 1].at - INTERVAL) > 1e-6) offGrid.push(`loop ${i} tick ${mine[k].tick}`);
      }
    }
    expect(offGrid).toEqual([]);
  });

  it('spreads matches evenly over the slots and refills the emptiest one', () => {
    const clock = new ManualClock(0);
    const scheduler = new TickScheduler({ clock, tickRate: 30, phases: 4 });
    const { ticks, list } = loops(clock, scheduler, 9);
    for (const loop of list) loop.start();
    clock.advance(INTERVAL * 3);
    // Start offsets within the interval: 3 loops at offset 0, 2 at each other quarter.
    const offsets = ticks.map((t) => +(t[0].at % INTERVAL).toFixed(6));
    const counts = new Map<number, number>();
    for (const o of offsets) counts.set(o, (counts.get(o) ?? 0) + 1);
    expect([...counts.values()].sort()).toEqual([2, 2, 2, 3]);
    // A stopped loop frees its slot; the next one goes there.
    const freed = offsets[1];
    list[1].stop();
    const { ticks: more, list: extra } = loops(clock, scheduler, 1);
    extra[0].start();
    clock.advance(INTERVAL * 2);
    expect(+(more[0][0].at % INTERVAL).toFixed(6)).toBe(freed);
  });

  it('a late wake-up runs the due slots earliest first and tells its own lateness from the wait behind others', () => {
    const clock = new ManualClock(0);
    const scheduler = new TickScheduler({ clock, tickRate: 30, phases: 4 });
    const runs: Array<{ loop: number; due: number; late: number; wakeLate: number }> = [];
    const list = [0, 1, 2, 3].map((i) => {
      const loop: TickLoop = new TickLoop({
        clock,
        tickRate: 30,
        scheduler,
        onTick: (tick) => {
          runs.push({ loop: i, due: loop.dueAt(tick), late: 0, wakeLate: 0 });
          clock.jump(1); // each tick takes 1 ms
        },
        onStats: (s) => Object.assign(runs[runs.length - 1], { late: s.latenessMs, wakeLate: s.wakeLatenessMs }),
      });
      return loop;
    });
    // One loop per slot (offsets 0, 8.3, 16.7, 25 ms): first ticks due at 33.3, 8.3, 16.7, 25.
    list.forEach((l) => l.start());
    clock.advance(49.5);
    runs.length = 0;
    // A stall (the event loop busy elsewhere) until 70 ms: loops 2 (due 50), 3 (58.3) and
    // 0 (66.7, the next round of slot 0) are all due at one wake-up.
    clock.jump(70 - clock.now());
    clock.advance(0);
    expect(runs.map((r) => r.loop)).toEqual([2, 3, 0]);
    const [a, b, c] = runs;
    expect(a.late).toBeCloseTo(20, 6);
    expect(a.wakeLate).toBeCloseTo(20, 6);
    // Loop 3 started 1 ms after the wake-up (behind loop 2's tick), loop 0 2 ms after.
    expect(b.late - b.wakeLate).toBeCloseTo(1, 6);
    expect(b.wakeLate).toBeCloseTo(70 - b.due, 6);
    expect(c.late - c.wakeLate).toBeCloseTo(2, 6);
    expect(c.wakeLate).toBeCloseTo(70 - c.due, 6);
  });

  it('a slot that falls due while an earlier one runs goes in the same wake-up (the clock is read again after a tick)', () => {
    const clock = new ManualClock(0);
    // 33 slots 1.01 ms apart: loop a in slot 0 (ticks at 33.3, 66.7…), b in slot 1 (1.01, 34.3…).
    const scheduler = new TickScheduler({ clock, tickRate: 30 });
    const runs: Array<{ loop: string; at: number }> = [];
    const make = (name: string, slow: boolean) =>
      new TickLoop({
        clock,
        tickRate: 30,
        scheduler,
        onTick: () => {
          runs.push({ loop: name, at: clock.now() });
          if (slow) clock.jump(1.5); // a's tick takes 1.5 ms: b's next tick is due before it ends
        },
      });
    make('a', true).start();
    make('b', false).start();
    clock.advance(2);
    expect(runs.map((r) => r.loop)).toEqual(['b']);
    const w = scheduler.wakeups;
    clock.advance(33.4 - clock.now());
    expect(runs.map((r) => r.loop)).toEqual(['b', 'a', 'b']);
    // b ran right after a, in a's wake-up: no second wake-up, no wait for a timer.
    expect(scheduler.wakeups - w).toBe(1);
    expect(runs[2].at).toBeCloseTo(runs[1].at + 1.5, 9);
  });

  it('a match that stops itself in its tick does not make the others of its slot miss a tick', () => {
    const clock = new ManualClock(0);
    const scheduler = new TickScheduler({ clock, tickRate: 30, phases: 1 });
    const stopAt = new Map([[0, 5], [3, 7]]);
    const { ticks, list } = loops(clock, scheduler, 6, (i, tick) => {
      if (stopAt.get(i) === tick) list[i].stop();
    });
    for (const loop of list) loop.start();
    clock.advance(INTERVAL * 10 + 0.5);
    expect(ticks.map((t) => t.length)).toEqual([5, 10, 10, 7, 10, 10]);
    list.forEach((l) => l.stop());
    expect(clock.pendingTimers()).toBe(0);
    expect(scheduler.size).toBe(0);
  });

  it('a throwing match is taken off the schedule and reported; the others keep ticking', () => {
    const clock = new ManualClock(0);
    const errors: unknown[] = [];
    const scheduler = new TickScheduler({ clock, tickRate: 30, phases: 1, onError: (e) => errors.push(e) });
    const { ticks, list } = loops(clock, scheduler, 3, (i, tick) => {
      if (i === 1 && tick === 3) throw new Error('boom');
    });
    for (const loop of list) loop.start();
    clock.advance(INTERVAL * 10 + 0.5);
    expect(errors.map((e) => (e as Error).message)).toEqual(['boom']);
    expect(ticks.map((t) => t.length)).toEqual([10, 3, 10]);
  });

  it('after a stall every match catches up with its own bounded burst, then skips', () => {
    const clock = new ManualClock(0);
    const scheduler = new TickScheduler({ clock, tickRate: 30 });
    const skipped: number[] = [];
    const list = [0, 1, 2].map(
      () => new TickLoop({ clock, tickRate: 30, scheduler, maxCatchUp: 3, onTick: () => {}, onSkip: (n) => skipped.push(n) }),
    );
    list.forEach((l) => l.start());
    clock.advance(INTERVAL * 2);
    const before = list.map((l) => l.currentTick);
    clock.jump(1000);
    clock.advance(0);
    list.forEach((l, i) => expect(l.currentTick - before[i]).toBeGreaterThanOrEqual(28));
    expect(skipped.length).toBe(3);
  });

  it('RoomManager runs every room of a tick rate on one shared timer', () => {
    const clock = new ManualClock(0);
    const broadcaster: Broadcaster = { publish: () => {} };
    const manager = new RoomManager({
      clock,
      broadcaster,
      modes: registerModes({ arena: arenaMode }).modes,
      maxRooms: 100,
      seed: 1,
      roomDefaults: { tickRate: 30, snapshotRate: 15, maxPlayers: 8, reconnectGraceMs: 1000, botFillDelayMs: -1 },
    });
    const rooms = Array.from({ length: 40 }, () => manager.create('arena')!);
    expect(clock.pendingTimers()).toBe(1);
    clock.advance(1000);
    for (const r of rooms) expect(r.serverTick).toBeGreaterThanOrEqual(29);
    expect(clock.pendingTimers()).toBe(1);
    manager.disposeAll();
    expect(clock.pendingTimers()).toBe(0);
  });
  it('poll runs a due wake-up from the I/O path, before the timer, and re-arms the timer', () => {
    const clock = new ManualClock(0);
    // One slot: both matches due at the same instants.
    const scheduler = new TickScheduler({ clock, tickRate: 30, phases: 1 });
    const { ticks, list } = loops(clock, scheduler, 2);
    list.forEach((l) => l.start());
    clock.advance(INTERVAL - 0.5);
    // Not due yet (the timer is armed for tick 1 at 33.3 ms): polling changes nothing.
    scheduler.poll(clock.now());
    expect(ticks.map((t) => t.length)).toEqual([0, 0]);
    expect(scheduler.polledWakeups).toBe(0);
    // The event loop is busy receiving: time passes, the timer cannot fire.
    clock.jump(1.5);
    scheduler.poll(clock.now());
    expect(ticks.map((t) => t.length)).toEqual([1, 1]);
    expect(scheduler.polledWakeups).toBe(1);
    // Late by the 1 ms the frame handler ran past the due time, not by a timer's wait.
    expect(ticks[0][0].at - INTERVAL).toBeCloseTo(1, 5);
    // The timer that was armed for tick 1 is gone; one timer, for tick 2.
    expect(clock.pendingTimers()).toBe(1);
    const w = scheduler.wakeups;
    clock.advance(INTERVAL);
    expect(ticks.map((t) => t.length)).toEqual([2, 2]);
    // Exactly one more wake-up (tick 2's timer), no empty wake-up for the stale one.
    expect(scheduler.wakeups - w).toBe(1);
    expect(scheduler.polledWakeups).toBe(1);
  });

  it('poll does nothing with no match scheduled, and RoomManager.runDueTicks polls every tick rate', () => {
    const clock = new ManualClock(0);
    const idle = new TickScheduler({ clock, tickRate: 30 });
    idle.poll(1e9);
    expect(idle.wakeups).toBe(0);

    const manager = new RoomManager({
      clock,
      broadcaster: { publish: () => {} },
      modes: registerModes({ arena: arenaMode }).modes,
      maxRooms: 10,
      seed: 1,
      roomDefaults: { tickRate: 30, snapshotRate: 15, maxPlayers: 8, reconnectGraceMs: 1000, botFillDelayMs: -1 },
    });
    const a = manager.create('arena')!;
    const b = manager.create('arena', { tickRate: 20 })!;
    clock.jump(200);
    manager.runDueTicks(clock.now());
    expect(a.serverTick).toBeGreaterThanOrEqual(1);
    expect(b.serverTick).toBeGreaterThanOrEqual(1);
    expect(manager.wakeupCounts()).toEqual({ timer: 0, polled: 2 });
    manager.disposeAll();
  });
});
