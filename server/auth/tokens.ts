/**
 * JWT issue and verification. Algorithms are pinned (HS256 here; RS256 when an operator
 * configures a public key), so `alg: none` and algorithm-confusion tokens are refused.
 */
import { randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { Limits } from '../../protocol/index.js';

export interface AuthUser {
  /** Stable user id (`sub`). */
  id: string;
  name: string;
  roles: string[];
}

export type VerifyResult = { ok: true; user: AuthUser } | { ok: false; reason: 'missing' | 'expired' | 'invalid' };

export interface TokenServiceOptions {
  /** HS256 secret; omitted → a random one for this process. */
  secret?: string | null;
  ttlSeconds: number;
}

// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/;

/** Trims and checks a display name: 1–16 printable characters. Returns null when invalid. */
export function normalizeName(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const name = raw.trim();
  if (name.length < 1 || name.length > Limits.maxNameLength || UNPRINTABLE.test(name)) return null;
  return name;
}

export class TokenService {
  readonly generatedSecret: boolean;
  private readonly secret: string;

  constructor(private readonly opts: TokenServiceOptions) {
    this.generatedSecret = !opts.secret;
    this.secret = opts.secret || randomBytes(32).toString('base64url');
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
    try {
      const claims = jwt.verify(token, this.secret, { algorithms: ['HS256'] });
      if (typeof claims !== 'object' || claims === null) return { ok: false, reason: 'invalid' };
      const sub = claims.sub;
      const name = normalizeName(claims.name);
      if (typeof sub !== 'string' || sub.length === 0 || sub.length > 128 || !name) return { ok: false, reason: 'invalid' };
      const roles = Array.isArray(claims.roles) ? claims.roles.filter((r): r is string => typeof r === 'string') : [];
      return { ok: true, user: { id: sub, name, roles } };
    } catch (e) {
      return { ok: false, reason: e instanceof jwt.TokenExpiredError ? 'expired' : 'invalid' };
    }
  }
}

/** `Authorization: Bearer <jwt>` → the token, else null. */
export function bearerFromHeader(header: string): string | null {
  const m = /^Bearer\s+(\S+)$/i.exec(header.trim());
  return m ? m[1] : null;
}
