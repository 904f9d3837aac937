/**
 * What a Connection (connection.ts) is given and what it tells, apart from the state machine
 * itself so that code building or listening to connections (matchConnection.ts,
 * lobbyConnection.ts, a transport policy) reads the contract without the machinery:
 *
 *   connect       the first socket opened
 *   message       a decoded, validated server message
 *   disconnect    an open socket dropped {code, reason}; `reconnecting` or `close` follows
 *   attemptFailed a socket closed without ever opening {attempt, url, code, reason} — the
 *                 hook for a transport policy (fall back to another transport after N)
 *   reconnecting  attempt n follows after delayMs (backoff with jitter); delayMs 0 while the
 *                 token is being checked (`verifyToken`)
 *   reconnected   a new socket opened (for a match: resumed the same seat)
 *   close         final {code, reason, message, gone, unauthorized}
 *   error         something non-fatal went wrong (a frame failed to decode, an attempt failed)
 *   link          the link's health changed: ok, unstable or lost (see linkHealth.ts)
 */
import type { ServerMessage } from '../protocol/index.js';
import type { BackoffOptions } from './backoff.js';
import type { Endpoint } from './endpoint.js';
import type { LagOptions } from './lagOptions.js';
import type { LinkHealthOptions, LinkState } from './linkHealth.js';
import type { SocketFactory } from './socket.js';
import type { Timers } from './timers.js';

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface CloseInfo {
  code: number;
  reason: string;
  /** A sentence for the player. */
  message: string;
  /** The match or the seat no longer exists (resume refused with 404). */
  gone: boolean;
  /** The token was refused: sign in again. */
  unauthorized: boolean;
}

export interface ConnectionEvents extends Record<string, unknown> {
  connect: { url: string };
  message: ServerMessage;
  disconnect: { code: number; reason: string };
  attemptFailed: { attempt: number; url: string; code: number; reason: string };
  reconnecting: { attempt: number; delayMs: number; code: number; reason: string };
  reconnected: { attempts: number };
  close: CloseInfo;
  error: { message: string };
  link: { state: LinkState };
}

export interface ConnectionOptions {
  /** Guest or account JWT, offered as a `bearer.<jwt>` subprotocol. */
  token: string;
  /** Where to connect first (a quick-play ticket, or `{url}`). */
  endpoint: Endpoint;
  /** Opens each socket (default: the global WebSocket; pass `ws` on Node 20). See socket.ts. */
  createSocket?: SocketFactory;
  /** A ticket back into the same seat; rejects with ApiError(404) when gone. */
  resume?: (matchId: string) => Promise<Endpoint>;
  /** Close codes after which coming back is pointless (default: PLAY_FINAL_CODES). */
  finalCodes?: ReadonlySet<number>;
  /** Asked after a socket that never opened; false ends the connection as unauthorized. */
  verifyToken?: () => Promise<boolean>;
  /** Attempts before giving up (default 12, ~70 s; Infinity to retry forever). */
  maxAttempts?: number;
  /** Silence thresholds (linkHealth.ts), or false for no link checks. */
  linkHealth?: LinkHealthOptions | false;
  /** How often the link is checked while open, ms (default 200). */
  linkCheckMs?: number;
  /** Simulated latency inside the client (lagOptions.ts). */
  lag?: LagOptions | null;
  timers?: Timers;
  random?: () => number;
  backoff?: BackoffOptions;
}
