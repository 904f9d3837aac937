/** /healthz's event-loop probe, driven by a manual clock: a stall is a jump in time with no timers run. */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../server/clock.js';
import { LoopHealth } from '../../server/observability/loopHealth.js';

describe('LoopHealth', () => {
  it('is healthy while timers fire on time', () => {
    const clock = new ManualClock();
    const h = new LoopHealth({ clock, stallMs: 1000, intervalMs: 500 });
    h.start();
    for (let i = 0; i < 10; i++) clock.advance(500);
    expect(h.status()).toEqual({ ok: true, lagMs: 0, reason: null });
  });

  it('reports a stall while it lasts and after the late timer fires, then recovers', () => {
    const clock = new ManualClock();
    const h = new LoopHealth({ clock, stallMs: 1000, intervalMs: 500 });
    h.start();
    clock.advance(500);
    clock.jump(1800); // the loop was blocked: the probe due 500 ms later has not run
    const during = h.status();
    expect(during.ok).toBe(false);
    expect(during.lagMs).toBe(1300);
    expect(during.reason).toMatch(/event loop stalled: a timer ran 1300 ms late \(limit 1000 ms\)/);

    clock.advance(0); // the overdue probe runs now and records its lag
    expect(h.status().ok).toBe(false);
    expect(h.status().lagMs).toBe(1300);

    clock.advance(500); // the next probe is on time
    expect(h.status()).toEqual({ ok: true, lagMs: 0, reason: null });
  });

  it('tolerates lag up to the threshold', () => {
    const clock = new ManualClock();
    const h = new LoopHealth({ clock, stallMs: 1000, intervalMs: 500 });
    h.start();
    clock.jump(1500); // 1000 ms late exactly
    expect(h.status().ok).toBe(true);
    clock.jump(1);
    expect(h.status().ok).toBe(false);
  });

  it('stops its timer', () => {
    const clock = new ManualClock();
    const h = new LoopHealth({ clock, stallMs: 1000 });
    h.start();
    expect(clock.pendingTimers()).toBe(1);
    h.stop();
    expect(clock.pendingTimers()).toBe(0);
    clock.jump(10_000);
    expect(h.status().ok).toBe(true);
  });
});
