/**
 * The checks every WebSocket upgrade passes before uWS upgrades it: subprotocol, then the
 * JWT (Authorization header, or a `bearer.<jwt>` subprotocol entry for browsers, which
 * cannot set headers). Failures become an HTTP 4xx, so a refused client never holds a socket.
 */
import { BEARER_SUBPROTOCOL_PREFIX, PROTOCOL_VERSION, SUBPROTOCOL } from '../../protocol/index.js';
import { bearerFromHeader, type AuthUser, type TokenService } from '../auth/tokens.js';

export type UpgradeCheck =
  | { ok: true; user: AuthUser }
  | { ok: false; status: number; reason: string; body: Record<string, unknown> };

export function parseSubprotocols(header: string): string[] {
  return header
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** How a namespace turns a token into a user: players by default, admin tokens for `/admin`. */
export type TokenVerifier = (token: string | null) => { ok: true; user: AuthUser } | { ok: false; reason: string };

export function checkUpgrade(
  tokens: TokenService,
  subprotocolHeader: string,
  authorizationHeader: string,
  verify: TokenVerifier = (t) => tokens.verify(t),
): UpgradeCheck {
  const offered = parseSubprotocols(subprotocolHeader);
  if (!offered.includes(SUBPROTOCOL)) {
    return {
      ok: false,
      status: 400,
      reason: 'protocol',
      body: {
        error: `protocol mismatch: this server speaks ${SUBPROTOCOL}`,
        serverProtocol: SUBPROTOCOL,
        protocolVersion: PROTOCOL_VERSION,
      },
    };
  }
  const fromProtocol = offered.find((p) => p.startsWith(BEARER_SUBPROTOCOL_PREFIX));
  const token = bearerFromHeader(authorizationHeader) ?? (fromProtocol ? fromProtocol.slice(BEARER_SUBPROTOCOL_PREFIX.length) : null);
  const verified = verify(token);
  if (!verified.ok) {
    // Authenticated but not allowed (a player token on /admin, admin disabled) is 403, not 401.
    if (verified.reason === 'forbidden' || verified.reason === 'disabled') {
      return { ok: false, status: 403, reason: `token_${verified.reason}`, body: { error: verified.reason === 'disabled' ? 'admin disabled on this server' : 'admin token required' } };
    }
    const msg = verified.reason === 'expired' ? 'token expired: sign in again' : verified.reason === 'missing' ? 'missing token' : 'invalid token';
    return { ok: false, status: 401, reason: `token_${verified.reason}`, body: { error: msg } };
  }
  return { ok: true, user: verified.user };
}
