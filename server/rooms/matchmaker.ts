/**
 * Quick play: put the player in the fullest joinable match of the mode, or open a new one
 * only when none can take them (fewer half-empty matches, more humans per match). A player
 * who already holds a seat gets that seat back (reconnect, second tab).
 * Seats are reserved synchronously, so concurrent requests can never overfill a match.
 */
import type { AuthUser } from '../auth/tokens.js';
import type { Ticket, TicketStore } from '../auth/tickets.js';
import type { Room } from './room.js';
import type { RoomManager } from './roomManager.js';

export type MatchmakeResult =
  | { ok: true; room: Room; ticket: Ticket }
  | { ok: false; status: number; error: string };

export class Matchmaker {
  constructor(
    private readonly rooms: RoomManager,
    private readonly tickets: TicketStore,
  ) {}

  quickPlay(user: AuthUser, mode: string): MatchmakeResult {
    if (!this.rooms.hasMode(mode)) return { ok: false, status: 400, error: `unknown mode "${mode}"` };
    let room = this.rooms.findSeat(user.id);
    if (!room) {
      let best: Room | undefined;
      for (const r of this.rooms.list()) {
        if (r.mode.name !== mode || !r.joinable) continue;
        if (!best || r.seatCount > best.seatCount) best = r;
      }
      room = best ?? this.rooms.create(mode) ?? undefined;
      if (!room) {
        const why = this.rooms.acceptingNewRooms ? 'server full: no free match slots' : 'server draining: no new matches';
        return { ok: false, status: 503, error: why };
      }
    }
    const seat = room.reserve(user.id, user.name);
    if (!seat) return { ok: false, status: 409, error: 'match full' };
    return { ok: true, room, ticket: this.tickets.issue(user.id, room.id) };
  }
}
