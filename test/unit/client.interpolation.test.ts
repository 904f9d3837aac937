/**
 * The interpolation buffer's timing, adaptivity and starvation behaviour with a scripted
 * clock: 30 Hz ticks, a snapshot every 2 ticks (66.7 ms).
 */
import { describe, expect, it } from 'vitest';
import { InterpolationBuffer } from '../../client/index.js';

const TICK_MS = 1000 / 30;
const INTERVAL = 2 * TICK_MS;

/** State = the entity's x, moving 1 unit per tick. */
function feed(buf: InterpolationBuffer<number>, fromTick: number, toTick: number, latency: (tick: number) => number, base = 1000): void {
  for (let tick = fromTick; tick <= toTick; tick += 2) buf.push(tick, tick, base + tick * TICK_MS + latency(tick));
}

/** Runs the render clock over [t0, t1] at 60 fps, returning the samples. */
function render(buf: InterpolationBuffer<number>, t0: number, t1: number) {
  const out = [];
  for (let t = t0; t <= t1; t += 1000 / 60) {
    const s = buf.sample(t)!;
    const x = s.from.state + (s.to.state - s.from.state) * s.alpha;
    out.push({ t, x, ...s });
  }
  return out;
}

describe('interpolation buffer', () => {
  it('draws two snapshot intervals behind the newest arrival, interpolating linearly', () => {
    const buf = new InterpolationBuffer<number>({ tickMs: TICK_MS, snapshotIntervalMs: INTERVAL });
    // Constant 50 ms latency, no jitter: snapshots arrive exactly on schedule.
    for (let tick = 2; tick <= 200; tick += 2) {
      const arrival = 1000 + tick * TICK_MS + 50;
      buf.push(tick, tick, arrival);
      // Render the four 60 fps frames until the next arrival.
      for (let frame = 0; frame < 4; frame++) {
        const t = arrival + (frame * 1000) / 60;
        if (tick < 10) continue;
        const s = buf.sample(t)!;
        expect(s.mode).toBe('interpolate');
        // Render time = arrival timeline − two snapshot intervals (4 ticks)…
        expect(s.renderTick).toBeCloseTo((t - 1000 - 50) / TICK_MS - 4, 6);
        // …so one to two intervals of received snapshots are always ahead of it.
        expect(buf.newestTick! - s.renderTick).toBeGreaterThanOrEqual(2 - 1e-6);
        expect(buf.newestTick! - s.renderTick).toBeLessThanOrEqual(4 + 1e-6);
        // Linear interpolation of a linearly moving entity gives the exact position.
        const x = s.from.state + (s.to.state - s.from.state) * s.alpha;
        expect(x).toBeCloseTo(s.renderTick, 9);
      }
    }
    expect(buf.delayMs).toBeCloseTo(2 * INTERVAL, 6);
    expect(buf.jitterMs).toBeCloseTo(0, 6);
    expect(buf.starvations).toBe(0);
    // Only a few snapshots are kept: old ones are dropped once passed.
    expect(buf.length).toBeLessThanOrEqual(6);
  });

  it('render time advances smoothly at real-time speed', () => {
    const buf = new InterpolationBuffer<number>({ tickMs: TICK_MS, snapshotIntervalMs: INTERVAL });
    feed(buf, 2, 400, () => 40);
    const frames = render(buf, 1000 + 100 * TICK_MS, 1000 + 300 * TICK_MS);
    for (let i = 1; i < frames.length; i++) {
      const dTick = frames[i].renderTick - frames[i - 1].renderTick;
      expect(dTick * TICK_MS).toBeCloseTo(1000 / 60, 6);
    }
  });

  it('grows the delay with measured jitter, gradually (no time jumps)', () => {
    const buf = new InterpolationBuffer<number>({ tickMs: TICK_MS, snapshotIntervalMs: INTERVAL });
    // Calm phase: 30 ms latency, no jitter.
    let t = 0;
    for (let tick = 2; tick <= 120; tick += 2) {
      buf.push(tick, tick, 1000 + tick * TICK_MS + 30);
      t = 1000 + tick * TICK_MS + 30;
      buf.sample(t);
    }
    const calm = buf.delayMs;
    expect(calm).toBeCloseTo(2 * INTERVAL, 3);
    // Jittery phase: 30–90 ms latency (deterministic pattern).
    const extra = [0, 60, 20, 45, 10, 55, 35, 5, 50, 25];
    let prevRender = buf.sample(t)!.renderTick;
    let prevT = t;
    for (let tick = 122; tick <= 400; tick += 2) {
      const arrival = 1000 + tick * TICK_MS + 30 + extra[(tick / 2) % extra.length];
      buf.push(tick, tick, arrival);
      for (; t < arrival; t += 1000 / 60) {
        const s = buf.sample(t)!;
        // The render clock never runs backwards and never faster than 1.1× real time.
        const dt = t - prevT;
        if (dt > 0) {
          const speed = ((s.renderTick - prevRender) * TICK_MS) / dt;
          expect(speed).toBeGreaterThanOrEqual(0.9 - 1e-6);
          expect(speed).toBeLessThanOrEqual(1.1 + 1e-6);
        }
        prevRender = s.renderTick;
        prevT = t;
      }
    }
    expect(buf.jitterMs).toBeGreaterThanOrEqual(50);
    expect(buf.jitterMs).toBeLessThanOrEqual(60);
    expect(buf.targetDelayMs).toBeGreaterThan(calm + 45);
    expect(buf.delayMs).toBeCloseTo(buf.targetDelayMs, 0);

    // Calm again: the fastest recent arrival still sets the base; once the jittery
    // samples leave the window, the delay returns to two intervals.
    for (let tick = 402; tick <= 700; tick += 2) {
      buf.push(tick, tick, 1000 + tick * TICK_MS + 30);
      for (const end = 1000 + tick * TICK_MS + 30; t < end; t += 1000 / 60) buf.sample(t);
    }
    expect(buf.jitterMs).toBeCloseTo(0, 6);
    expect(buf.delayMs).toBeLessThan(calm + 15);
  });

  it('on starvation extrapolates briefly, then freezes, and keeps a bigger margin', () => {
    const buf = new InterpolationBuffer<number>({ tickMs: TICK_MS, snapshotIntervalMs: INTERVAL, maxExtrapolationMs: 100 });
    let t = 0;
    for (let tick = 2; tick <= 100; tick += 2) {
      buf.push(tick, tick, 1000 + tick * TICK_MS + 20);
      t = 1000 + tick * TICK_MS + 20;
      buf.sample(t);
    }
    const delayBefore = buf.targetDelayMs;
    // The stream stops at tick 100. Render on for one second.
    const frames = render(buf, t, t + 1000);
    const firstStarved = frames.findIndex((f) => f.mode !== 'interpolate');
    expect(firstStarved).toBeGreaterThan(0);
    // Extrapolation: the entity keeps moving at its last speed, past the newest snapshot…
    const extrap = frames.filter((f) => f.mode === 'extrapolate');
    expect(extrap.length).toBeGreaterThan(2);
    for (const f of extrap) {
      expect(f.renderTick).toBeGreaterThan(100);
      expect(f.x).toBeCloseTo(f.renderTick, 6);
    }
    // …for at most 100 ms (3 ticks), then it freezes at that point.
    const held = frames.filter((f) => f.mode === 'hold');
    expect(held.length).toBeGreaterThan(10);
    for (const f of held) expect(f.x).toBeCloseTo(100 + 100 / TICK_MS, 6);
    expect(Math.max(...frames.map((f) => f.x))).toBeCloseTo(100 + 100 / TICK_MS, 6);
    expect(buf.starvations).toBe(1);
    expect(buf.targetDelayMs).toBeGreaterThan(delayBefore);

    // The stream resumes: interpolation again, one episode counted in all.
    for (let tick = 102; tick <= 160; tick += 2) {
      buf.push(tick, tick, t + 1000 + (tick - 100) * TICK_MS);
    }
    const after = buf.sample(t + 1000 + 30 * TICK_MS)!;
    expect(after.mode).toBe('interpolate');
    expect(buf.starvations).toBe(1);
  });

  it('ignores duplicate and out-of-order snapshots and holds before the first one', () => {
    const buf = new InterpolationBuffer<number>({ tickMs: TICK_MS, snapshotIntervalMs: INTERVAL });
    expect(buf.sample(0)).toBeNull();
    buf.push(10, 10, 1000);
    buf.push(10, 999, 1001);
    buf.push(8, 999, 1002);
    expect(buf.length).toBe(1);
    const s = buf.sample(1000)!;
    expect(s.mode).toBe('hold');
    expect(s.from.state).toBe(10);
  });
});

describe('interpolation buffer on the synced server clock', () => {
  it('a clock step (first sync) moves the timeline without looking like jitter', () => {
    const buf = new InterpolationBuffer<number>({ tickMs: TICK_MS, snapshotIntervalMs: INTERVAL });
    for (let tick = 2; tick <= 20; tick += 2) buf.push(tick, tick, 1000 + tick * TICK_MS + 40);
    const t = 1000 + 20 * TICK_MS + 40;
    const before = buf.sample(t)!;
    const step = 1.7e12; // unsynced (offset 0) → synced wall-clock offset
    buf.rebase(step);
    for (let tick = 22; tick <= 30; tick += 2) buf.push(tick, tick, step + 1000 + tick * TICK_MS + 40);
    const after = buf.sample(t + step)!;
    expect(after.renderTick).toBeCloseTo(before.renderTick, 3);
    expect(buf.jitterMs).toBeLessThan(1e-3);
    expect(buf.delayMs).toBeCloseTo(2 * INTERVAL, 3);
  });
});
