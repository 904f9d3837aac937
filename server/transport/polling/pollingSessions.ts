/**
 * The long-polling sessions of this process, by id. A session id is the capability the
 * client shows on every request (144 random bits, never reused). One sweep, a few times per
 * idle window, expires what went quiet — O(sessions) every idleMs/4, not a timer per session:
 *
 * - no receive request outstanding for `idleMs` → closed with 4017 (the client stopped
 *   polling: the room sees a detach and keeps the seat for the reconnection grace);
 * - no frame sent for `sendIdleMs` → closed with 4017 too (the WebSocket play namespace's
 *   rule for a silent client);
 * - closed and its close record never fetched within `idleMs`, or fully delivered → forgotten.
 */
import { randomBytes } from 'node:crypto';
import { CloseCode, closeMessage } from '../../../protocol/index.js';
import type { Clock, TimerHandle } from '../../clock.js';
import type { PlayContext } from '../playRoute.js';
import type { PollingConnection } from './pollingConnection.js';

export interface PollingSession {
  readonly id: string;
  readonly address: string;
  readonly ctx: PlayContext & { conn: PollingConnection };
  /** The session's row in the polling routes' SocketRates (its token buckets). */
  readonly rateSlot: number;
  /** When the client last sent a frame. */
  lastSendAt: number;
}

export function newSessionId(): string {
  return randomBytes(18).toString('base64url');
}

export class PollingSessions {
  private readonly sessions = new Map<string, PollingSession>();
  private sweepTimer: TimerHandle | null = null;

  constructor(
    private readonly clock: Clock,
    private readonly idleMs: number,
    private readonly sendIdleMs: number,
  ) {
    this.sweepTimer = clock.setTimeout(() => this.sweep(), idleMs / 4);
  }

  get size(): number {
    return this.sessions.size;
  }

  add(s: PollingSession): void {
    this.sessions.set(s.id, s);
  }

  /** A live session, or one whose close record is still to be fetched; null otherwise. */
  get(id: string): PollingSession | null {
    const s = this.sessions.get(id);
    return s && !s.ctx.conn.finished ? s : null;
  }

  /** Runs one expiry pass (the timer calls it; tests with a manual clock may too). */
  sweep(): void {
    const now = this.clock.now();
    for (const [id, s] of this.sessions) {
      const conn = s.ctx.conn;
      if (conn.finished) {
        this.sessions.delete(id);
      } else if (conn.idleFor(now) > this.idleMs) {
        if (conn.closed) this.sessions.delete(id);
        else conn.close(CloseCode.IdleTimeout, closeMessage(CloseCode.IdleTimeout));
      } else if (!conn.closed && now - s.lastSendAt > this.sendIdleMs) {
        conn.close(CloseCode.IdleTimeout, closeMessage(CloseCode.IdleTimeout));
      }
    }
    this.sweepTimer = this.clock.setTimeout(() => this.sweep(), this.idleMs / 4);
  }

  /** Server shutdown: timers stop, and every session still open is dropped. */
  stop(): void {
    this.sweepTimer?.cancel();
    this.sweepTimer = null;
    for (const s of this.sessions.values()) s.ctx.conn.terminate();
    this.sessions.clear();
  }
}
