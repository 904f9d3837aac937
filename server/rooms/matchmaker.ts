/**
 * Quick play: put the player in the fullest joinable match of the mode, or open a new one
 * only when none can take them (fewer half-empty matches, more humans per match). A player
 * who already holds a seat gets that seat back (reconnect, second tab). Matches with less
 * than `minJoinMsLeft` of play left are skipped (joining for the results screen is no fun);
 * joins by code and resumes ignore it: the player asked for that very match.
 * Seats are reserved synchronously, so concurrent requests can never overfill a match.
 */
import type { AuthUser } from '../auth/tokens.js';
import type { Ticket, TicketStore } from '../auth/tickets.js';
import type { Room, RoomOptions } from './room.js';
import type { RoomManager } from './roomManager.js';

export type MatchmakeResult =
  | { ok: true; room: Room; ticket: Ticket }
  | { ok: false; status: number; error: string };

export interface MatchmakerOptions {
  /** Quick play skips matches with less play time left than this, ms (0: any match). */
  minJoinMsLeft?: number;
}

export class Matchmaker {
  private readonly minJoinMsLeft: number;

  constructor(
    private readonly rooms: RoomManager,
    private readonly tickets: TicketStore,
    options: MatchmakerOptions = {},
  ) {
    this.minJoinMsLeft = options.minJoinMsLeft ?? 0;
  }

  quickPlay(user: AuthUser, mode: string): MatchmakeResult {
    if (!this.rooms.hasMode(mode)) return { ok: false, status: 400, error: `unknown mode "${mode}"` };
    let room = this.rooms.findSeat(user.id);
    if (!room) {
      let best: Room | undefined;
      for (const r of this.rooms.list()) {
        if (r.mode.name !== mode || r.isPrivate || !r.joinable || r.msLeft < this.minJoinMsLeft) continue;
        if (!best || r.seatCount > best.seatCount) best = r;
      }
      room = best ?? this.rooms.create(mode) ?? undefined;
      if (!room) return this.noRoom();
    }
    return this.seatIn(room, user);
  }

  /**
   * Opens a new match with the creator's seat reserved. A private one is joinable only by
   * its code and never used by quick play; a public one then fills by quick play.
   */
  create(user: AuthUser, mode: string, isPrivate: boolean, overrides: Partial<RoomOptions> = {}): MatchmakeResult {
    if (!this.rooms.hasMode(mode)) return { ok: false, status: 400, error: `unknown mode "${mode}"` };
    if (this.rooms.findSeat(user.id)) return { ok: false, status: 409, error: 'leave your current match first' };
    const room = this.rooms.create(mode, { ...overrides, isPrivate });
    if (!room) return this.noRoom();
    return this.seatIn(room, user);
  }

  /** Joins the private (or any) match with this join code. */
  joinByCode(user: AuthUser, code: string): MatchmakeResult {
    const room = this.rooms.findByCode(code);
    if (!room) return { ok: false, status: 404, error: `no match with code ${code}` };
    const current = this.rooms.findSeat(user.id);
    if (current && current !== room) return { ok: false, status: 409, error: 'leave your current match first' };
    return this.seatIn(room, user);
  }

  /**
   * A ticket back into the seat this user holds in match `matchId` (a reconnect). Unlike
   * quick play it never opens or picks another match: when the match ended or the seat's
   * reconnection grace ran out, the player must be told, not silently moved elsewhere.
   */
  resume(user: AuthUser, matchId: string): MatchmakeResult {
    const room = this.rooms.get(matchId);
    if (!room || room.isDisposed) return { ok: false, status: 404, error: 'match not found' };
    if (!room.seatOf(user.id)) return { ok: false, status: 404, error: 'seat expired: matchmake again' };
    return this.seatIn(room, user);
  }

  private seatIn(room: Room, user: AuthUser): MatchmakeResult {
    // While draining only players who already hold a seat (reconnects) get a ticket: a new
    // player would join a match that is about to be cut off at the drain deadline.
    if (!this.rooms.acceptingNewRooms && !room.seatOf(user.id)) return this.noRoom();
    const seat = room.reserve(user.id, user.name);
    if (!seat) return { ok: false, status: 409, error: 'match full' };
    return { ok: true, room, ticket: this.tickets.issue(user.id, room.id) };
  }

  private noRoom(): MatchmakeResult {
    const why = this.rooms.acceptingNewRooms ? 'server full: no free match slots' : 'server draining: no new matches';
    return { ok: false, status: 503, error: why };
  }
}
