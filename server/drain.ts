/**
 * Graceful drain (SIGTERM/SIGINT, or `server.drain(ms)`): stop taking new matches and new
 * players, tell every connected player the server is going away, let running matches play
 * to their natural end, and at the deadline end the rest with their results and the
 * "server draining" close code. Nobody is disconnected without the draining notice first.
 *
 * Rules chosen where the issue is silent (also in docs/hosting.md):
 *   - Every live match keeps running until it ends or the deadline, whatever its phase; a
 *     match still waiting for players gets bots as usual and may start.
 *   - Players who already hold a seat may still reconnect (and are told again); new players
 *     are refused by the matchmaker (503) so they find another server.
 *   - Calling drain again with an earlier deadline moves the deadline (a second signal
 *     uses 0: end everything now); a later one never extends it.
 */
import { CloseCode, closeMessage, encodeServer, ServerType } from '../protocol/index.js';
import type { Clock, TimerHandle } from './clock.js';
import type { Logger } from './observability/logger.js';
import type { MatchLogs } from './observability/matchLogs.js';
import type { Room } from './rooms/room.js';
import type { RoomManager } from './rooms/roomManager.js';
import type { Seat } from './rooms/seat.js';
import type { Connection } from './rooms/connection.js';

export interface DrainReport {
  /** Matches that were live when the drain began. */
  matchesAtStart: number;
  /** Matches ended at the deadline rather than by themselves. */
  endedAtDeadline: number;
  durationMs: number;
}

export interface DrainerOptions {
  /** Sockets outside matches (the lobby) that should see the draining notice too. */
  tellOthers?: (notice: Uint8Array) => void;
  rooms: RoomManager;
  clock: Clock;
  log: Logger;
  matchLogs: MatchLogs;
}

/** The `kind` of the Notice every player gets when the server starts draining. */
export const DRAINING_NOTICE = 'draining';
/** The `reason` of the Results message sent to matches ended at the deadline. */
export const DRAINED_RESULTS_REASON = 'draining';

export class Drainer {
  private startedAt: number | null = null;
  private deadlineAt = Infinity;
  private timer: TimerHandle | null = null;
  private matchesAtStart = 0;
  private endedAtDeadline = 0;
  private finished: DrainReport | null = null;
  private resolveDone: ((r: DrainReport) => void) | null = null;
  private readonly done: Promise<DrainReport>;

  constructor(private readonly o: DrainerOptions) {
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
  }

  get draining(): boolean {
    return this.startedAt !== null;
  }

  /** Milliseconds until running matches are ended; null when not draining. */
  get msLeft(): number | null {
    if (this.startedAt === null) return null;
    return Math.max(0, this.deadlineAt - this.o.clock.now());
  }

  /**
   * Starts draining (or moves the deadline earlier) and resolves once no match is left.
   * `deadlineMs` 0 ends every match now.
   */
  drain(deadlineMs: number): Promise<DrainReport> {
    const now = this.o.clock.now();
    const deadlineAt = now + Math.max(0, deadlineMs);
    if (this.startedAt === null) {
      this.startedAt = now;
      this.deadlineAt = deadlineAt;
      this.o.rooms.stopAccepting();
      const rooms = this.o.rooms.list();
      this.matchesAtStart = rooms.length;
      this.o.log.info({ matches: rooms.length, deadlineMs }, 'draining: no new matches; running matches end by the deadline');
      const notice = this.noticeFrame();
      for (const room of rooms) room.broadcastDirect(notice, 'notice');
      this.o.tellOthers?.(notice);
    } else if (deadlineAt < this.deadlineAt) {
      this.deadlineAt = deadlineAt;
      this.o.log.warn({ deadlineMs }, 'draining: deadline moved earlier');
    } else {
      return this.done;
    }
    this.timer?.cancel();
    this.timer = null;
    if (deadlineMs <= 0) this.endRemaining();
    else this.timer = this.o.clock.setTimeout(() => this.endRemaining(), deadlineMs);
    this.checkDone();
    return this.done;
  }

  /** Room hook: a player joined or resumed; while draining they are told at once. */
  playerJoined(_room: Room, seat: Seat): void {
    if (seat.conn) this.viewerJoined(seat.conn);
  }

  /** Room hook for spectators: they are told too, so their screen can say why it will end. */
  viewerJoined(conn: Connection): void {
    if (this.startedAt === null || conn.closed) return;
    conn.send(this.noticeFrame(), 'notice');
  }

  /** Room hook: a match was disposed (ended naturally, emptied, or ended here). */
  matchDisposed(): void {
    if (this.startedAt !== null) this.checkDone();
  }

  private noticeFrame(): Uint8Array {
    const left = this.msLeft ?? 0;
    const text =
      left > 0
        ? `This server is shutting down. Your match plays on until it ends (at most ${formatDuration(left)}); then find a new match.`
        : 'This server is shutting down now. Find a new match.';
    return encodeServer({ type: ServerType.Notice, kind: DRAINING_NOTICE, text });
  }

  private endRemaining(): void {
    this.timer = null;
    for (const room of this.o.rooms.list()) {
      if (room.isDisposed) continue;
      this.endedAtDeadline++;
      this.o.matchLogs.of(room).info({ players: room.seatCount }, 'draining: deadline reached, ending match');
      room.broadcastDirect(encodeServer({ type: ServerType.Results, reason: DRAINED_RESULTS_REASON, players: room.scores() }), 'results');
      room.dispose(CloseCode.ServerDraining, closeMessage(CloseCode.ServerDraining));
    }
    this.checkDone();
  }

  private checkDone(): void {
    if (this.finished || this.o.rooms.size > 0 || this.startedAt === null) return;
    this.timer?.cancel();
    this.timer = null;
    this.finished = {
      matchesAtStart: this.matchesAtStart,
      endedAtDeadline: this.endedAtDeadline,
      durationMs: Math.round(this.o.clock.now() - this.startedAt),
    };
    this.o.log.info(this.finished, 'draining: done, no matches left');
    this.resolveDone?.(this.finished);
  }
}

/** 299_500 → "5 min", 42_000 → "42 s". */
export function formatDuration(ms: number): string {
  const s = Math.ceil(ms / 1000);
  if (s < 120) return `${s} s`;
  return `${Math.ceil(s / 60)} min`;
}
