/**
 * What a node does for matches it owns when another node (or itself) asks over NodeRpc:
 * create the match under the id the registry chose, reserve the seat in its Room, issue the
 * ticket the client redeems on this node's /play; resume a held seat; kick a player; end a
 * match. The Room stays the authority for its own seats: a request it cannot honour (phase
 * ended, full, draining) is refused and the caller gives the registry seat back.
 */
import type { TicketStore } from '../auth/tickets.js';
import type { RoomManager } from '../rooms/roomManager.js';
import type { Room, RoomOptions } from '../rooms/room.js';
import type { GameMode } from '../rooms/gameMode.js';
import { CloseCode } from '../../protocol/index.js';
import type { RpcReply } from './nodeRpc.js';

export interface SeatGrantValue {
  ticket: string;
  expiresInMs: number;
  code: string | null;
  /** ws(s) base URL of this node (its --public-url, else ws://host:port). */
  url: string;
}

const str = (v: unknown, max = 128): string | null => (typeof v === 'string' && v.length <= max ? v : null);

/** Ids of matches this node ended recently: a late seat request must not bring one back. */
const ENDED_MEMORY = 4096;

export class ClusterOwner {
  private readonly ended = new Set<string>();

  constructor(
    private readonly d: {
      rooms: RoomManager;
      tickets: TicketStore;
      url: () => string;
      now: () => number;
      /** Quick play skips matches with less play left than this (the fair-join rule), ms. */
      minJoinMsLeft: number;
      /** The match takes no more quick plays: take it out of the registry's open index. */
      closeForQuickPlay: (room: Room) => void;
    },
  ) {}

  /** A match of this node was disposed (its registry entry is being removed). */
  matchEnded(id: string): void {
    this.ended.add(id);
    if (this.ended.size > ENDED_MEMORY) this.ended.delete(this.ended.values().next().value!);
  }

  handle(op: string, a: Record<string, unknown>): RpcReply {
    switch (op) {
      case 'seat':
        return this.seat(a);
      case 'resume': {
        const room = this.d.rooms.get(str(a.matchId) ?? '');
        const userId = str(a.userId) ?? '';
        if (!room || room.isDisposed) return { ok: false, status: 404, error: 'match not found' };
        if (!room.seatOf(userId)) return { ok: false, status: 404, error: 'seat expired: matchmake again' };
        return this.grant(room, userId, str(a.name) ?? 'Player');
      }
      case 'kick': {
        const userId = str(a.userId) ?? '';
        const room = this.d.rooms.findSeat(userId);
        if (!room || !room.kick(userId, str(a.reason, 80) ?? 'no reason given')) return { ok: false, status: 404, error: `player ${userId} is not in a match` };
        return { ok: true, value: { kicked: userId, matchId: room.id } };
      }
      case 'end': {
        const room = this.d.rooms.get(str(a.matchId) ?? '');
        if (!room) return { ok: false, status: 404, error: 'match not found' };
        room.dispose(CloseCode.MatchEnded, `match ended by an administrator: ${str(a.reason, 80) ?? 'no reason given'}`.slice(0, 120));
        return { ok: true, value: { ended: room.id } };
      }
      default:
        return { ok: false, status: 400, error: `unknown cluster request "${op}"` };
    }
  }

  private seat(a: Record<string, unknown>): RpcReply {
    const matchId = str(a.matchId);
    const mode = str(a.mode, 32);
    const userId = str(a.userId);
    if (!matchId || !userId || (a.create === true && !mode)) return { ok: false, status: 400, error: 'bad seat request' };
    let room = this.d.rooms.get(matchId);
    if (!room) {
      if (a.create !== true || this.ended.has(matchId)) return { ok: false, status: 404, error: 'match not found' };
      const code = str(a.code, 16) || null;
      room = this.d.rooms.create(mode!, { ...overridesFrom(a.overrides, this.d.rooms.modeOf(mode!)?.mode), isPrivate: a.isPrivate === true }, { id: matchId, joinCode: code }) ?? undefined;
      if (!room) {
        const why = this.d.rooms.acceptingNewRooms ? 'server full: no free match slots' : 'server draining: no new matches';
        return { ok: false, status: 503, error: why, elsewhere: true };
      }
    }
    if (!this.d.rooms.acceptingNewRooms && !room.seatOf(userId)) return { ok: false, status: 503, error: 'server draining: no new matches', elsewhere: true };
    if (a.quickPlay === true && !room.seatOf(userId) && room.msLeft < this.d.minJoinMsLeft) {
      this.d.closeForQuickPlay(room);
      return { ok: false, status: 409, error: 'match about to end' };
    }
    return this.grant(room, userId, str(a.name, 64) ?? 'Player');
  }

  private grant(room: Room, userId: string, name: string): RpcReply {
    if (!room.reserve(userId, name)) return { ok: false, status: 409, error: 'match full' };
    const ticket = this.d.tickets.issue(userId, room.id);
    const value: SeatGrantValue = {
      ticket: ticket.id,
      expiresInMs: Math.max(0, Math.round(ticket.expiresAt - this.d.now())),
      code: room.joinCode,
      url: this.d.url(),
    };
    return { ok: true, value };
  }
}

/**
 * The room options a creator may set (server/http/matchOptions.ts), from an untrusted
 * message: the settings go through the mode's own matchSettings check again.
 */
function overridesFrom(v: unknown, mode: GameMode<unknown> | undefined): Partial<RoomOptions> {
  const o = (typeof v === 'object' && v !== null ? v : {}) as Record<string, unknown>;
  const out: Partial<RoomOptions> = {};
  if (o.botFillDelayMs === -1) out.botFillDelayMs = -1;
  if (Number.isInteger(o.maxPlayers) && (o.maxPlayers as number) >= 1 && (o.maxPlayers as number) <= 64) out.maxPlayers = o.maxPlayers as number;
  const settings = o.settings as Record<string, unknown> | undefined;
  if (settings && typeof settings === 'object' && mode?.matchSettings) {
    const r = mode.matchSettings(settings);
    if (r.ok) out.settings = r.settings;
  }
  return out;
}
