/**
 * Every application close code Tickwire sends, in one table, each with the message a
 * player can be shown. Range 4000–4999 is reserved for applications by RFC 6455.
 */
export const CloseCode = {
  Unauthorized: 4001,
  TokenExpired: 4002,
  ProtocolMismatch: 4003,
  MatchNotFound: 4004,
  MatchFull: 4005,
  SeatExpired: 4006,
  RateLimited: 4008,
  MalformedFrame: 4009,
  /** Up to 16 KiB; a larger frame is dropped by uWS itself without a close frame (1006). */
  FrameTooLarge: 4010,
  Kicked: 4011,
  ServerDraining: 4012,
  Replaced: 4013,
  MatchEnded: 4014,
  PolicyViolation: 4015,
  SlowConsumer: 4016,
  IdleTimeout: 4017,
} as const;

export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

export const closeMessages: Record<CloseCode, string> = {
  [CloseCode.Unauthorized]: 'unauthorized: sign in again',
  [CloseCode.TokenExpired]: 'token expired: sign in again',
  [CloseCode.ProtocolMismatch]: 'protocol mismatch: reload the game',
  [CloseCode.MatchNotFound]: 'match not found',
  [CloseCode.MatchFull]: 'match full',
  [CloseCode.SeatExpired]: 'seat expired: matchmake again',
  [CloseCode.RateLimited]: 'rate limited: too many messages',
  [CloseCode.MalformedFrame]: 'malformed frame',
  [CloseCode.FrameTooLarge]: 'frame too large',
  [CloseCode.Kicked]: 'kicked by an administrator',
  [CloseCode.ServerDraining]: 'server draining: it is shutting down',
  [CloseCode.Replaced]: 'replaced by a newer connection',
  [CloseCode.MatchEnded]: 'match ended',
  [CloseCode.PolicyViolation]: 'not allowed on this connection',
  [CloseCode.SlowConsumer]: 'connection too slow to keep up',
  [CloseCode.IdleTimeout]: 'idle for too long',
};

/** The human message for a code, including codes this build does not know. */
export function closeMessage(code: number): string {
  return (closeMessages as Record<number, string>)[code] ?? `closed (${code})`;
}
