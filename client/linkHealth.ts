/**
 * Is the server still talking to us? The server sends a snapshot 15–20 times a second and
 * answers every ping at once, so a connection that delivered nothing for a while is stalled
 * even when the socket still says "open" (TCP keeps a dead path open for minutes; the
 * browser's offline mode holds frames instead of failing the socket). Judged on the client,
 * not left to the server's idle timeout:
 *
 *   ok        frames arrive
 *   unstable  no frame for `unstableAfterMs` (default 600 ms), or our own frames are piling up
 *             in the socket (`bufferedAmount` above `maxBufferedBytes`): the game shows an
 *             indicator and stops producing inputs (keeping only the latest state), so the
 *             stall never ends in a burst of stale inputs
 *   lost      no frame for `lostAfterMs` (default 5 s): the connection gives the socket up and
 *             resumes the seat on a new one (the reconnect overlay)
 *
 * A check that runs much later than the previous one means the page itself stalled (a frozen
 * tab, a long GC, a very slow device), and frames may be waiting behind it in the event
 * queue: the silence clock restarts rather than blaming the network.
 */
export type LinkState = 'ok' | 'unstable' | 'lost';

export interface LinkHealthOptions {
  unstableAfterMs?: number;
  lostAfterMs?: number;
  maxBufferedBytes?: number;
  /** A gap between checks above this is the page's own stall, not the network's. */
  pageStallMs?: number;
}

export const DEFAULT_LINK_HEALTH: Required<LinkHealthOptions> = {
  unstableAfterMs: 600,
  lostAfterMs: 5000,
  maxBufferedBytes: 512,
  pageStallMs: 1500,
};

export class LinkHealth {
  private readonly o: Required<LinkHealthOptions>;
  private lastFrameAt: number;
  private lastCheckAt: number;
  private current: LinkState = 'ok';
  /** Times the link went from ok to unstable or lost (what the player saw). */
  episodes = 0;

  constructor(now: number, o: LinkHealthOptions = {}) {
    this.o = { ...DEFAULT_LINK_HEALTH, ...o };
    this.lastFrameAt = now;
    this.lastCheckAt = now;
  }

  get state(): LinkState {
    return this.current;
  }

  get options(): Readonly<Required<LinkHealthOptions>> {
    return this.o;
  }

  /** A new socket opened: the link starts healthy. */
  reset(now: number): void {
    this.lastFrameAt = now;
    this.lastCheckAt = now;
    this.current = 'ok';
  }

  /** A frame from the server arrived at `at`. */
  frame(at: number): void {
    if (at > this.lastFrameAt) this.lastFrameAt = at;
  }

  /** The state at `now`, given the bytes still waiting in the socket; returns it. */
  check(now: number, bufferedAmount: number): LinkState {
    if (now - this.lastCheckAt > this.o.pageStallMs) this.lastFrameAt = Math.max(this.lastFrameAt, now);
    this.lastCheckAt = now;
    const silent = now - this.lastFrameAt;
    let next: LinkState = 'ok';
    if (silent >= this.o.lostAfterMs) next = 'lost';
    else if (silent >= this.o.unstableAfterMs || bufferedAmount > this.o.maxBufferedBytes) next = 'unstable';
    if (next !== 'ok' && this.current === 'ok') this.episodes++;
    this.current = next;
    return next;
  }

  /** Milliseconds since the last frame at `now`. */
  silentFor(now: number): number {
    return Math.max(0, now - this.lastFrameAt);
  }
}
