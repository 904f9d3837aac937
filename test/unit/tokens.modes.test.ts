/**
 * TokenService: HS256 guest mode, RS256 identity-provider mode (algorithm pinned: HS256,
 * `none` and key confusion refused), `kid` pinning, and admin tokens from the admin secret.
 */
import { generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { describe, expect, it } from 'vitest';
import { ADMIN_AUDIENCE, mintAdminToken, TokenService } from '../../server/auth/tokens.js';
import { claims, hs256Jwt, unsignedJwt } from '../support/jwtCraft.js';

const SECRET = 'player-secret-0123456789';
const ADMIN = 'admin-secret-0123456789';
const idp = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
const other = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });

const rs256 = (payload: Record<string, unknown>, key = idp.privateKey, kid?: string) =>
  jwt.sign(payload, key, { algorithm: 'RS256', ...(kid ? { keyid: kid } : {}) });

describe('HS256 mode (default)', () => {
  const tokens = new TokenService({ secret: SECRET, ttlSeconds: 60 });

  it('issues and verifies guest tokens; refuses none and RS256', () => {
    expect(tokens.mode).toBe('HS256');
    expect(tokens.guestsEnabled).toBe(true);
    const { token, user } = tokens.issueGuest('Ada');
    expect(tokens.verify(token)).toEqual({ ok: true, user });
    expect(tokens.verify(unsignedJwt(claims('u1', 'Eve')))).toEqual({ ok: false, reason: 'invalid' });
    expect(tokens.verify(rs256(claims('u1', 'Eve')))).toEqual({ ok: false, reason: 'invalid' });
    expect(tokens.verify(hs256Jwt(claims('u1', 'Eve'), 'some-other-secret-123'))).toEqual({ ok: false, reason: 'invalid' });
    expect(tokens.verify('not.a.jwt')).toEqual({ ok: false, reason: 'invalid' });
    expect(tokens.verify('')).toEqual({ ok: false, reason: 'missing' });
  });
});

describe('RS256 mode', () => {
  const tokens = new TokenService({ secret: SECRET, ttlSeconds: 60, publicKey: idp.publicKey, allowGuest: false });

  it('accepts tokens signed by the identity provider key', () => {
    expect(tokens.mode).toBe('RS256');
    expect(tokens.guestsEnabled).toBe(false);
    const r = tokens.verify(rs256(claims('idp|42', 'Alice', { roles: ['player'] })));
    expect(r).toEqual({ ok: true, user: { id: 'idp|42', name: 'Alice', roles: ['player'] } });
  });

  it('refuses HS256 (even with the player secret or the public key as HMAC key), none, other keys, expired', () => {
    expect(tokens.verify(hs256Jwt(claims('idp|42', 'Alice'), SECRET))).toEqual({ ok: false, reason: 'invalid' });
    expect(tokens.verify(hs256Jwt(claims('idp|42', 'Alice'), idp.publicKey))).toEqual({ ok: false, reason: 'invalid' });
    expect(tokens.verify(unsignedJwt(claims('idp|42', 'Alice')))).toEqual({ ok: false, reason: 'invalid' });
    expect(tokens.verify(rs256(claims('idp|42', 'Alice'), other.privateKey))).toEqual({ ok: false, reason: 'invalid' });
    const expired = rs256({ ...claims('idp|42', 'Alice'), exp: Math.floor(Date.now() / 1000) - 10 });
    expect(tokens.verify(expired)).toEqual({ ok: false, reason: 'expired' });
  });

  it('takes long or missing display names from identity providers instead of refusing them', () => {
    const long = tokens.verify(rs256(claims('idp|1', 'Alexandria Ocasio-Smithson')));
    expect(long.ok && long.user.name).toBe('Alexandria Ocasi');
    const preferred = tokens.verify(rs256({ ...claims('idp|2', ''), name: undefined, preferred_username: 'bob' }));
    expect(preferred.ok && preferred.user.name).toBe('bob');
    const none = tokens.verify(rs256({ sub: 'idp|3', exp: Math.floor(Date.now() / 1000) + 60 }));
    expect(none.ok && none.user.name).toBe('Player');
    expect(tokens.verify(rs256({ name: 'NoSub', exp: Math.floor(Date.now() / 1000) + 60 })).ok).toBe(false);
  });

  it('pins the kid when configured', () => {
    const pinned = new TokenService({ ttlSeconds: 60, publicKey: idp.publicKey, keyId: 'key-2025', allowGuest: false });
    expect(pinned.verify(rs256(claims('idp|1', 'A'), idp.privateKey, 'key-2025')).ok).toBe(true);
    expect(pinned.verify(rs256(claims('idp|1', 'A'), idp.privateKey, 'key-2024'))).toEqual({ ok: false, reason: 'invalid' });
    expect(pinned.verify(rs256(claims('idp|1', 'A')))).toEqual({ ok: false, reason: 'invalid' });
  });

  it('accepts its own guest tokens only when guests are allowed', () => {
    const withGuests = new TokenService({ secret: SECRET, ttlSeconds: 60, publicKey: idp.publicKey, allowGuest: true });
    const { token } = withGuests.issueGuest('Gus');
    expect(withGuests.verify(token).ok).toBe(true);
    expect(withGuests.verify(rs256(claims('idp|1', 'A'))).ok).toBe(true);
    expect(withGuests.verify(hs256Jwt(claims('x', 'Eve'), idp.publicKey)).ok).toBe(false);
    expect(tokens.verify(token)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('does not warn about a random HS256 secret it never uses', () => {
    expect(new TokenService({ ttlSeconds: 60, publicKey: idp.publicKey, allowGuest: false }).generatedSecret).toBe(false);
    expect(new TokenService({ ttlSeconds: 60 }).generatedSecret).toBe(true);
  });
});

describe('admin tokens', () => {
  const tokens = new TokenService({ secret: SECRET, ttlSeconds: 60, adminSecret: ADMIN });

  it('verifies tokens minted with the admin secret', () => {
    const t = mintAdminToken(ADMIN, 'ops', 60);
    const decoded = jwt.verify(t, ADMIN, { algorithms: ['HS256'], audience: ADMIN_AUDIENCE }) as jwt.JwtPayload;
    expect(decoded.roles).toEqual(['admin']);
    expect(tokens.verifyAdmin(t)).toEqual({ ok: true, user: { id: 'admin:ops', name: 'ops', roles: ['admin'] } });
    // An admin token is not a player token.
    expect(tokens.verify(t).ok).toBe(false);
  });

  it('refuses player tokens (even claiming the admin role), other secrets, wrong audience, expired', () => {
    const player = tokens.sign({ name: 'Eve', roles: ['admin'] }, 'g_eve', 60);
    expect(tokens.verify(player).ok).toBe(true);
    expect(tokens.verifyAdmin(player)).toEqual({ ok: false, reason: 'forbidden' });
    expect(tokens.verifyAdmin(mintAdminToken('another-admin-secret-0', 'ops', 60))).toEqual({ ok: false, reason: 'invalid' });
    const noAud = jwt.sign({ name: 'ops', roles: ['admin'] }, ADMIN, { algorithm: 'HS256', subject: 'admin:ops', expiresIn: 60 });
    expect(tokens.verifyAdmin(noAud)).toEqual({ ok: false, reason: 'invalid' });
    const noRole = jwt.sign({ name: 'ops' }, ADMIN, { algorithm: 'HS256', subject: 'admin:ops', audience: ADMIN_AUDIENCE, expiresIn: 60 });
    expect(tokens.verifyAdmin(noRole)).toEqual({ ok: false, reason: 'forbidden' });
    const expired = jwt.sign({ name: 'ops', roles: ['admin'], exp: Math.floor(Date.now() / 1000) - 5 }, ADMIN, { algorithm: 'HS256', subject: 'admin:ops', audience: ADMIN_AUDIENCE });
    expect(tokens.verifyAdmin(expired)).toEqual({ ok: false, reason: 'expired' });
    expect(tokens.verifyAdmin(unsignedJwt({ sub: 'admin:x', name: 'x', roles: ['admin'], aud: ADMIN_AUDIENCE }))).toEqual({ ok: false, reason: 'invalid' });
    expect(tokens.verifyAdmin(undefined)).toEqual({ ok: false, reason: 'missing' });
  });

  it('is disabled without an admin secret', () => {
    const none = new TokenService({ secret: SECRET, ttlSeconds: 60 });
    expect(none.adminEnabled).toBe(false);
    expect(none.verifyAdmin(mintAdminToken(ADMIN, 'ops', 60))).toEqual({ ok: false, reason: 'disabled' });
  });
});
