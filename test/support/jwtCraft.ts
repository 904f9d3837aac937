/**
 * Hand-made JWTs for attack cases that jsonwebtoken refuses to sign: `alg: none`, and an
 * HS256 token whose HMAC key is the server's RSA public key (algorithm confusion).
 */
import { createHmac } from 'node:crypto';

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

export function unsignedJwt(payload: Record<string, unknown>): string {
  return `${b64({ alg: 'none', typ: 'JWT' })}.${b64(payload)}.`;
}

export function hs256Jwt(payload: Record<string, unknown>, key: string | Buffer, header: Record<string, unknown> = {}): string {
  const body = `${b64({ alg: 'HS256', typ: 'JWT', ...header })}.${b64(payload)}`;
  return `${body}.${createHmac('sha256', key).update(body).digest('base64url')}`;
}

/** Claims valid for an hour from now. */
export function claims(sub: string, name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return { sub, name, iat: now, exp: now + 3600, ...extra };
}
