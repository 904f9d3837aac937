/** The answer to every request that reserves a seat: where to connect and with which ticket. */
import type { Clock } from '../clock.js';
import type { Ticket } from '../auth/tickets.js';

export interface SeatResponse {
  matchId: string;
  /** WebSocket URL of the node that hosts the match; connect with `?ticket=`. */
  url: string;
  ticket: string;
  expiresInMs: number;
  /** Join code, for private matches only. */
  code?: string;
}

/** `publicUrl` when configured, else the Host the client used (same node, same port). */
export function wsBase(publicUrl: string | null, host: string): string {
  return (publicUrl ?? `ws://${host || 'localhost'}`).replace(/\/$/, '');
}

/** `room` is the match (id, code); `base` the ws(s) URL of the node that owns it. */
export function seatResponse(room: { readonly id: string; readonly joinCode: string | null }, ticket: Ticket, base: string, clock: Clock): SeatResponse {
  return {
    matchId: room.id,
    url: `${base}/play`,
    ticket: ticket.id,
    expiresInMs: Math.max(0, Math.round(ticket.expiresAt - clock.now())),
    ...(room.joinCode ? { code: room.joinCode } : {}),
  };
}
