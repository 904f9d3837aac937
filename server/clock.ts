/**
 * Time as a dependency. Rooms, tickets and rate limits read time only through a Clock so
 * tests can drive them with a manual clock instead of sleeping.
 */
export interface TimerHandle {
  cancel(): void;
}

/**
 * One callback's timer, armed again and again (the tick scheduler re-arms ~500 times a
 * second). Arming replaces any pending arm.
 */
export interface ReusableTimer {
  /** Fires the callback once, `ms` from now, unless re-armed or cancelled first. */
  arm(ms: number): void;
  cancel(): void;
}

export interface Clock {
  /** Monotonic milliseconds (fractional). */
  now(): number;
  /** Wall-clock epoch milliseconds, for values sent to clients (pong serverTime). */
  wallNow(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  /**
   * Optional: a timer for `fn` that allocates nothing per arm. Without it, `reusableTimer`
   * falls back on `setTimeout` (a handle per arm), so test clocks need not implement it.
   */
  reusableTimer?(fn: () => void): ReusableTimer;
}

/** `clock`'s own reusable timer, or one made of its `setTimeout`. */
export function reusableTimer(clock: Clock, fn: () => void): ReusableTimer {
  if (clock.reusableTimer) return clock.reusableTimer(fn);
  let handle: TimerHandle | null = null;
  return {
    arm(ms) {
      handle?.cancel();
      handle = clock.setTimeout(fn, ms);
    },
    cancel() {
      handle?.cancel();
      handle = null;
    },
  };
}

/**
 * A Node timer re-armed with `Timeout.refresh()`, which re-inserts the same Timeout object:
 * `setTimeout` allocated a Timeout (plus a handle and a closure here) per arm. refresh()
 * keeps the delay the Timeout was made with, so a new one is made only when the delay
 * changes; Node truncates a delay to whole milliseconds (at least 1) anyway, and the
 * scheduler's delays are mostly the same 1 ms. A cleared Timeout cannot be refreshed, so
 * `cancel` drops it.
 */
class NodeTimer implements ReusableTimer {
  private timeout: ReturnType<typeof setTimeout> | null = null;
  /** The whole-millisecond delay `timeout` was created with. */
  private delay = 0;
  private pending = false;
  private readonly fire = (): void => {
    this.pending = false;
    this.fn();
  };

  constructor(private readonly fn: () => void) {}

  arm(ms: number): void {
    // What Node's Timeout does with the delay: below 1 (or NaN) → 1, then truncated.
    const d = ms >= 1 ? Math.trunc(ms) : 1;
    if (this.timeout !== null && d === this.delay) {
      this.timeout.refresh(); // restarts it from now whether pending or already fired
    } else {
      if (this.pending) clearTimeout(this.timeout!);
      this.timeout = setTimeout(this.fire, d);
      this.delay = d;
    }
    this.pending = true;
  }

  cancel(): void {
    if (!this.pending) return;
    this.pending = false;
    clearTimeout(this.timeout!);
    this.timeout = null;
  }
}

export const systemClock: Clock = {
  now: () => performance.now(),
  wallNow: () => performance.timeOrigin + performance.now(),
  setTimeout(fn, ms) {
    const t = setTimeout(fn, ms);
    return { cancel: () => clearTimeout(t) };
  },
  reusableTimer: (fn) => new NodeTimer(fn),
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
