/**
 * JWT issue and verification. Algorithms are pinned per key, so `alg: none` and
 * algorithm-confusion tokens (an HS256 token "signed" with the public key) are refused:
 *   - HS256 mode (default): guest tokens, signed and verified with the JWT secret.
 *   - RS256 mode (an operator's identity-provider public key): player tokens are verified
 *     with that key and RS256 only; HS256 guest tokens are accepted only when guests are
 *     explicitly allowed. The header's `alg` only picks the key; each key verifies with
 *     its own single algorithm.
 *   - Admin tokens: HS256 with a separate admin secret, audience `tickwire-admin`, claim
 *     `roles: ['admin']`. Only `verifyAdmin` accepts them, and it accepts nothing else, so
 *     a player token can never act as an admin token (even one carrying an admin role).
 */
import { createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { checkName, cleanName } from '../../protocol/index.js';

export interface AuthUser {
  /** Stable user id (`sub`). */
  id: string;
  name: string;
  roles: string[];
}

export type VerifyResult = { ok: true; user: AuthUser } | { ok: false; reason: 'missing' | 'expired' | 'invalid' };

/**
 * A host's own player-token check (createServer's `auth.verifyPlayer`): a result for tokens
 * it recognizes, null to fall through to the built-in checks. Synchronous and local: it
 * runs on every matchmake and upgrade.
 */
export type PlayerTokenVerifier = (token: string) => VerifyResult | null;

export interface TokenServiceOptions {
  /** HS256 secret; omitted → a random one for this process. */
  secret?: string | null;
  ttlSeconds: number;
  /** PEM RSA public key: RS256 mode. */
  publicKey?: string | null;
  /** RS256 mode: required `kid` header, when set. */
  keyId?: string | null;
  /** Whether guest tokens are issued and accepted (default true). */
  allowGuest?: boolean;
  /** HS256 secret for admin tokens; omitted → no admin token verifies. */
  adminSecret?: string | null;
  /**
   * Player tokens must carry `exp`, at most this many seconds ahead (default 7 days): a
   * leaked token without an end, or one "valid for ten years", is refused.
   */
  maxLifetimeSeconds?: number;
  verifyPlayer?: PlayerTokenVerifier;
}

export const DEFAULT_MAX_TOKEN_LIFETIME_SECONDS = 7 * 24 * 3600;
/** Admin tokens: the longest `tickwire token --admin --ttl` mints. */
export const ADMIN_MAX_TOKEN_LIFETIME_SECONDS = 30 * 24 * 3600;

export type AdminVerifyResult = VerifyResult | { ok: false; reason: 'disabled' | 'forbidden' };

/** The `aud` claim that marks admin tokens. */
export const ADMIN_AUDIENCE = 'tickwire-admin';

/** Signs an admin token (`tickwire token --admin`); the server verifies it with the same secret. */
export function mintAdminToken(adminSecret: string, name: string, ttlSeconds: number): string {
  return jwt.sign({ name, roles: ['admin'] }, adminSecret, {
    algorithm: 'HS256',
    subject: `admin:${name}`,
    audience: ADMIN_AUDIENCE,
    expiresIn: ttlSeconds,
  });
}

/** Trims and checks a display name (protocol/text.ts: 1–16 visible characters, no "Bot …"). Null when invalid. */
export function normalizeName(raw: unknown): string | null {
  const c = checkName(raw);
  return c.ok ? c.name : null;
}

export class TokenService {
  /** True when HS256 tokens are in use and their secret is random for this process. */
  readonly generatedSecret: boolean;
  /** Whether POST /api/auth/guest may issue tokens. */
  readonly guestsEnabled: boolean;
  /**
   * A KeyObject, not the string: given a string, jsonwebtoken first tries to parse it as a
   * PEM private/public key (and throws) on every sign and verify, ~350 µs each instead of
   * ~7 µs (bench: 3 per join — guest, matchmake, upgrade). Same HMAC key bytes (UTF-8).
   */
  private readonly secret: KeyObject;
  private readonly publicKey: string | null;
  /** HS256 player tokens verify only in HS256 mode, or in RS256 mode with guests allowed. */
  private readonly acceptHs256: boolean;
  private readonly maxLifetime: number;

  constructor(private readonly opts: TokenServiceOptions) {
    this.publicKey = opts.publicKey ?? null;
    this.maxLifetime = opts.maxLifetimeSeconds ?? DEFAULT_MAX_TOKEN_LIFETIME_SECONDS;
    this.guestsEnabled = opts.allowGuest ?? true;
    this.acceptHs256 = this.publicKey === null || this.guestsEnabled;
    this.generatedSecret = !opts.secret && this.acceptHs256;
    this.secret = createSecretKey(Buffer.from(opts.secret || randomBytes(32).toString('base64url'), 'utf8'));
  }

  /** 'RS256' when player tokens come from an identity provider's key. */
  get mode(): 'HS256' | 'RS256' {
    return this.publicKey ? 'RS256' : 'HS256';
  }

  get adminEnabled(): boolean {
    return !!this.opts.adminSecret;
  }

  issueGuest(name: string): { token: string; user: AuthUser } {
    const user: AuthUser = { id: `g_${randomBytes(9).toString('base64url')}`, name, roles: [] };
    const token = jwt.sign({ name }, this.secret, {
      algorithm: 'HS256',
      subject: user.id,
      expiresIn: this.opts.ttlSeconds,
    });
    return { token, user };
  }

  /** Signs arbitrary claims (tests and the admin CLI). */
  sign(claims: Record<string, unknown>, subject: string, expiresInSeconds: number): string {
    return jwt.sign(claims, this.secret, { algorithm: 'HS256', subject, expiresIn: expiresInSeconds });
  }

  verify(token: string | null | undefined): VerifyResult {
    if (!token) return { ok: false, reason: 'missing' };
    const own = this.opts.verifyPlayer?.(token);
    if (own) return own;
    const header = jwt.decode(token, { complete: true })?.header;
    if (!header) return { ok: false, reason: 'invalid' };
    try {
      if (header.alg === 'RS256' && this.publicKey) {
        if (this.opts.keyId && header.kid !== this.opts.keyId) return { ok: false, reason: 'invalid' };
        return userFrom(jwt.verify(token, this.publicKey, { algorithms: ['RS256'] }), true, this.maxLifetime);
      }
      if (header.alg === 'HS256' && this.acceptHs256) {
        return userFrom(jwt.verify(token, this.secret, { algorithms: ['HS256'] }), false, this.maxLifetime);
      }
      return { ok: false, reason: 'invalid' };
    } catch (e) {
      return { ok: false, reason: e instanceof jwt.TokenExpiredError ? 'expired' : 'invalid' };
    }
  }

  /** Admin tokens only: signed with the admin secret, audience `tickwire-admin`, role `admin`. */
  verifyAdmin(token: string | null | undefined): AdminVerifyResult {
    if (!this.opts.adminSecret) return { ok: false, reason: 'disabled' };
    if (!token) return { ok: false, reason: 'missing' };
    try {
      const r = userFrom(jwt.verify(token, this.opts.adminSecret, { algorithms: ['HS256'], audience: ADMIN_AUDIENCE }), false, ADMIN_MAX_TOKEN_LIFETIME_SECONDS);
      if (r.ok && !r.user.roles.includes('admin')) return { ok: false, reason: 'forbidden' };
      return r;
    } catch (e) {
      if (e instanceof jwt.TokenExpiredError) return { ok: false, reason: 'expired' };
      // A valid player token is authenticated, just not an admin: 403 rather than 401.
      return this.verify(token).ok ? { ok: false, reason: 'forbidden' } : { ok: false, reason: 'invalid' };
    }
  }
}

/**
 * Claims → user. Identity-provider tokens (external) often carry longer display names or
 * only `preferred_username`: those are trimmed to the name limit rather than refused.
 */
function userFrom(claims: string | jwt.JwtPayload, external: boolean, maxLifetimeSeconds: number): VerifyResult {
  if (typeof claims !== 'object' || claims === null) return { ok: false, reason: 'invalid' };
  // jsonwebtoken checks `exp` only when present; a token must have one, and not too far out.
  if (typeof claims.exp !== 'number' || !Number.isFinite(claims.exp)) return { ok: false, reason: 'invalid' };
  if (claims.exp - Date.now() / 1000 > maxLifetimeSeconds) return { ok: false, reason: 'invalid' };
  const sub = claims.sub;
  if (typeof sub !== 'string' || sub.length === 0 || sub.length > 128) return { ok: false, reason: 'invalid' };
  let name = normalizeName(claims.name);
  if (!name && external) {
    const raw = typeof claims.name === 'string' ? claims.name : claims.preferred_username;
    // Cleaned (invisible characters removed, cut to the limit), then held to the same rules
    // as a guest's name: an account called "Bot Ada" shows as "Player", not as a bot.
    name = normalizeName(cleanName(raw, 'Player')) ?? 'Player';
  }
  if (!name) return { ok: false, reason: 'invalid' };
  const roles = Array.isArray(claims.roles) ? claims.roles.filter((r): r is string => typeof r === 'string') : [];
  return { ok: true, user: { id: sub, name, roles } };
}

/** `Authorization: Bearer <jwt>` → the token, else null. */
export function bearerFromHeader(header: string): string | null {
  const m = /^Bearer\s+(\S+)$/i.exec(header.trim());
  return m ? m[1] : null;
}
