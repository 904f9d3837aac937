/**
 * Which close codes end a connection for good, and the sentence a player sees for each.
 * A match connection stops on anything that means "do not come back" (left, replaced by
 * another tab, match ended, kicked, auth, protocol); the lobby stream only on auth and
 * protocol refusals, since it has no seat to lose.
 */
import { CloseCode, closeMessage } from '../protocol/index.js';

/** Close codes after which a match connection does not come back. */
export const PLAY_FINAL_CODES: ReadonlySet<number> = new Set<number>([
  1000, // normal: the server let us go (we left)
  1002, // protocol error
  1003, // unsupported data
  1007,
  1008,
  1009,
  1010,
  CloseCode.Unauthorized,
  CloseCode.TokenExpired,
  CloseCode.ProtocolMismatch,
  CloseCode.MatchNotFound,
  CloseCode.MatchFull,
  CloseCode.SeatExpired,
  CloseCode.RateLimited, // retried once, final after that
  CloseCode.MalformedFrame,
  CloseCode.FrameTooLarge,
  CloseCode.Kicked,
  CloseCode.ServerDraining,
  CloseCode.Replaced,
  CloseCode.MatchEnded,
  CloseCode.PolicyViolation,
]);

/** Close codes after which a seatless stream (the lobby) stops: the token or protocol is refused. */
export const STREAM_FINAL_CODES: ReadonlySet<number> = new Set<number>([CloseCode.Unauthorized, CloseCode.TokenExpired, CloseCode.ProtocolMismatch]);

export const isAuthCode = (code: number) => code === CloseCode.Unauthorized || code === CloseCode.TokenExpired;

export function describeClose(code: number, reason: string): string {
  if (code >= 4000) return closeMessage(code);
  if (code === 1000) return reason || 'disconnected';
  return reason ? `connection lost (${reason})` : 'connection lost';
}

