/**
 * Runs the link checks of the connection's open socket: LinkHealth (linkHealth.ts) judges
 * silence, this drives it — a check timer while a socket is open, the frame hook, and when a
 * change is worth reporting. Kept out of connection.ts so the state machine only hears
 * "the state changed" and "the socket is lost", never about timers or thresholds.
 */
import { LinkHealth, type LinkHealthOptions, type LinkState } from './linkHealth.js';
import type { TimerId, Timers } from './timers.js';

/** The socket being watched, as far as the checks need it. */
export interface WatchedSocket {
  /** Still the connection's open socket: checks stop quietly once it is not. */
  isCurrent(): boolean;
  /** Our own bytes still waiting in the socket (a path that stopped draining). */
  bufferedAmount(): number;
  /** Nothing arrived for `lostAfterMs`: the connection gives the socket up. */
  lost(reason: string): void;
}

export class LinkMonitor {
  private readonly health: LinkHealth;
  private timer: TimerId | null = null;

  constructor(
    private readonly timers: Timers,
    options: LinkHealthOptions | undefined,
    private readonly everyMs: number,
    /** Told every change of state while a socket is open, and `ok` when one opens. */
    private readonly changed: (state: LinkState) => void,
  ) {
    this.health = new LinkHealth(timers.now(), options);
  }

  get state(): LinkState {
    return this.health.state;
  }

  /** Times the link went unstable or was lost. */
  get episodes(): number {
    return this.health.episodes;
  }

  /** A socket opened: the link is healthy from now on and checked every `everyMs`. */
  start(socket: WatchedSocket): void {
    this.health.reset(this.timers.now());
    this.stop();
    const run = () => {
      this.timer = null;
      if (!socket.isCurrent()) return;
      const before = this.health.state;
      const state = this.health.check(this.timers.now(), socket.bufferedAmount());
      if (state === 'lost') {
        socket.lost(`no frames from the server for ${Math.round(this.health.options.lostAfterMs / 1000)} s`);
        return;
      }
      if (state !== before) this.changed(state);
      this.timer = this.timers.setTimeout(run, this.everyMs);
    };
    this.timer = this.timers.setTimeout(run, this.everyMs);
    this.changed('ok');
  }

  /** The socket is gone or being replaced: no more checks until the next `start`. */
  stop(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
  }

  /** A frame arrived. `bufferedAmount` is read only when the link was not ok. */
  frame(bufferedAmount: () => number): void {
    const now = this.timers.now();
    this.health.frame(now);
    // Back from a stall: healthy at once, not at the next check.
    if (this.health.state !== 'ok' && this.health.check(now, bufferedAmount()) === 'ok') this.changed('ok');
  }
}
