/**
 * A manual clock with a binary heap of timers (O(log n) per timer, whatever the harness):
 * the benches' simulated time, so the scheduling measured is the server's, not the harness's.
 * Not server/clock.ts's ManualClock on purpose: that one scans every timer per fire, and the
 * benches run against older checkouts too, whose rooms set a timer each (100 matches: the
 * scan would be the harness's cost in the "before" figure).
 */
import type { Clock, TimerHandle } from '../../server/clock.js';

export class HeapClock implements Clock {
  /** `runTimer`: how a due callback is run (the cold mode scrubs and times it). */
  constructor(private readonly runTimer: (fn: () => void) => void = (fn) => fn()) {}

  private t = 0;
  private seq = 0;
  private heap: Array<{ at: number; seq: number; fn: () => void; live: boolean }> = [];
  now(): number {
    return this.t;
  }
  wallNow(): number {
    return 1_700_000_000_000 + this.t;
  }
  setTimeout(fn: () => void, ms: number): TimerHandle {
    const timer = { at: this.t + Math.max(0, ms), seq: this.seq++, fn, live: true };
    const h = this.heap;
    h.push(timer);
    for (let i = h.length - 1; i > 0; ) {
      const p = (i - 1) >> 1;
      if (this.less(h[p], h[i])) break;
      [h[p], h[i]] = [h[i], h[p]];
      i = p;
    }
    return { cancel: () => void (timer.live = false) };
  }
  advanceTo(end: number): void {
    const h = this.heap;
    while (h.length > 0 && h[0].at <= end) {
      const top = h[0];
      const last = h.pop()!;
      if (h.length > 0) {
        h[0] = last;
        for (let i = 0; ; ) {
          const l = 2 * i + 1;
          const r = l + 1;
          let m = i;
          if (l < h.length && this.less(h[l], h[m])) m = l;
          if (r < h.length && this.less(h[r], h[m])) m = r;
          if (m === i) break;
          [h[m], h[i]] = [h[i], h[m]];
          i = m;
        }
      }
      if (!top.live) continue;
      this.t = Math.max(this.t, top.at);
      this.runTimer(top.fn);
    }
    this.t = end;
  }
  private less(a: { at: number; seq: number }, b: { at: number; seq: number }): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }
}
