/**
 * A model of Node's event loop in simulated time, so tick lateness can be studied without
 * the machine's noise: a Clock whose time moves only as simulated work is done, and a loop
 * that alternates the two phases that matter here, as libuv does:
 *
 *   timers  every JS timer due at the iteration's cached time runs (Node's processTimers:
 *           the due test uses that cached, whole-millisecond time — timers armed during the
 *           phase wait for the next iteration), each callback's work advancing the clock;
 *   poll    the socket I/O that arrived meanwhile is handled (frames × cost per frame).
 *
 * Timer semantics follow Node: `setTimeout(fn, ms)` is due when the loop's cached
 * millisecond time minus the time cached when it was armed reaches max(1, ms) — so a timer
 * can fire up to a millisecond before `now + ms` in real time, and never between iterations.
 */
import type { Clock, TimerHandle } from '../../server/clock.js';

interface Timer {
  /** Cached loop time (whole ms) at which it is due. */
  due: number;
  seq: number;
  fn: () => void;
  live: boolean;
}

const before = (a: Timer, b: Timer) => a.due < b.due || (a.due === b.due && a.seq < b.seq);

/** A binary min-heap of timers by due time, then arming order (cancelled ones are skipped lazily). */
class TimerHeap {
  private readonly h: Timer[] = [];

  get top(): Timer | undefined {
    return this.h[0];
  }

  push(x: Timer): void {
    const h = this.h;
    let i = h.push(x) - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(h[i], h[p])) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
  }

  pop(): Timer | undefined {
    const h = this.h;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && before(h[l], h[m])) m = l;
        if (r < h.length && before(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }
}

export interface LoadModel {
  /** Socket frames arriving per simulated second (inputs and pings of every player). */
  framesPerSecond: number;
  /** CPU per frame handled in the poll phase, ms. */
  msPerFrame: number;
}

export class SimulatedEventLoop implements Clock {
  private t = 0;
  /** libuv's cached loop time (whole ms), refreshed at the start of each iteration. */
  private cached = 0;
  private seq = 0;
  private readonly timers = new TimerHeap();
  private nextFrameAt = 0;

  constructor(private readonly load: LoadModel) {}

  now(): number {
    return this.t;
  }

  wallNow(): number {
    return this.t;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    // Node: due once (cached now − cached start) ≥ max(1, ms), both whole milliseconds.
    const timer: Timer = { due: this.cached + Math.ceil(Math.max(1, ms)), seq: this.seq++, fn, live: true };
    this.timers.push(timer);
    return { cancel: () => void (timer.live = false) };
  }

  /** Simulated CPU work: the clock moves on by `ms`. */
  work(ms: number): void {
    this.t += ms;
  }

  /** Runs the loop until simulated time `end`. */
  runUntil(end: number): void {
    while (this.t < end) {
      this.cached = Math.floor(this.t);
      this.timersPhase();
      this.pollPhase();
    }
  }

  private timersPhase(): void {
    // Only timers due at the phase's start run now; ones armed during it are due later
    // (their due time is at least the cached time + 1).
    const now = this.cached;
    for (let top = this.timers.top; top && top.due <= now; top = this.timers.top) {
      this.timers.pop();
      if (!top.live) continue;
      top.live = false;
      top.fn();
    }
  }

  private pollPhase(): void {
    // Frames arrive evenly: frame n at n / framesPerSecond.
    const gap = 1000 / this.load.framesPerSecond;
    let pending = 0;
    while (this.nextFrameAt <= this.t) {
      pending++;
      this.nextFrameAt += gap;
    }
    if (pending > 0) {
      this.t += pending * this.load.msPerFrame;
      return;
    }
    // Nothing to read: block until the next frame arrives or the next timer is due.
    while (this.timers.top && !this.timers.top.live) this.timers.pop();
    const nextTimer = this.timers.top?.due ?? Infinity;
    this.t = Math.max(this.t, Math.min(this.nextFrameAt, nextTimer));
  }
}
