/**
 * Time as a dependency. Rooms, tickets and rate limits read time only through a Clock so
 * tests can drive them with a manual clock instead of sleeping.
 */
export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  /** Monotonic milliseconds (fractional). */
  now(): number;
  /** Wall-clock epoch milliseconds, for values sent to clients (pong serverTime). */
  wallNow(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  wallNow: () => performance.timeOrigin + performance.now(),
  setTimeout(fn, ms) {
    const t = setTimeout(fn, ms);
    return { cancel: () => clearTimeout(t) };
  },
};

/** A clock that moves only when told to; timers fire in due order during `advance`. */
export class ManualClock implements Clock {
  private t = 0;
  private seq = 0;
  private timers: Array<{ at: number; seq: number; fn: () => void; live: boolean }> = [];

  constructor(start = 0) {
    this.t = start;
  }

  now(): number {
    return this.t;
  }

  wallNow(): number {
    return 1_700_000_000_000 + this.t;
  }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const timer = { at: this.t + Math.max(0, ms), seq: this.seq++, fn, live: true };
    this.timers.push(timer);
    return { cancel: () => void (timer.live = false) };
  }

  /** Moves time forward by `ms`, firing every timer that falls due, in order. */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      this.timers = this.timers.filter((x) => x.live);
      let next: (typeof this.timers)[number] | undefined;
      for (const x of this.timers) if (x.at <= end && (!next || x.at < next.at || (x.at === next.at && x.seq < next.seq))) next = x;
      if (!next) break;
      this.t = Math.max(this.t, next.at);
      next.live = false;
      next.fn();
    }
    this.t = end;
  }

  /** Jumps time without firing timers, as a stalled event loop would. */
  jump(ms: number): void {
    this.t += ms;
  }

  pendingTimers(): number {
    return this.timers.filter((x) => x.live).length;
  }
}
