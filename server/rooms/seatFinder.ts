/**
 * What the REST routes need from matchmaking, whichever implementation answers: the
 * single-process `Matchmaker` (synchronous, this node's rooms) or the cluster's
 * (asynchronous, placement through Redis, the seat reserved by the owning node). A granted
 * seat names its match, its ticket and — in a cluster — the owner's public URL, which the
 * client connects to directly.
 */
import type { AuthUser } from '../auth/tokens.js';
import type { Ticket } from '../auth/tickets.js';
import type { RoomOptions } from './room.js';

export type SeatResult =
  | {
      ok: true;
      room: { readonly id: string; readonly joinCode: string | null };
      ticket: Ticket;
      /** The owning node's ws(s) base URL; absent → this node (the request's own host). */
      url?: string;
    }
  | { ok: false; status: number; error: string };

type MaybeAsync<T> = T | Promise<T>;

export interface SeatFinder {
  quickPlay(user: AuthUser, mode: string): MaybeAsync<SeatResult>;
  create(user: AuthUser, mode: string, isPrivate: boolean, overrides?: Partial<RoomOptions>): MaybeAsync<SeatResult>;
  joinByCode(user: AuthUser, code: string): MaybeAsync<SeatResult>;
  resume(user: AuthUser, matchId: string): MaybeAsync<SeatResult>;
}
