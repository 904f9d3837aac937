/** Finding 9 (tokens): every token needs `exp`, and not further out than the lifetime cap. */
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUBPROTOCOL } from '../../protocol/index.js';
import { ADMIN_AUDIENCE } from '../../server/auth/tokens.js';
import { postJson } from '../support/api.js';
import { PlayClient } from '../support/playClient.js';
import { startTestServer, TEST_SECRET } from '../support/testServer.js';

const ADMIN_SECRET = 'admin-secret-for-tests-0123456789';
let server: Awaited<ReturnType<typeof startTestServer>>;

beforeAll(async () => {
  server = await startTestServer({ adminSecret: ADMIN_SECRET });
});

afterAll(async () => {
  await server?.close();
});

const sign = (claims: object, opts: jwt.SignOptions = {}) => jwt.sign({ name: 'Eve', ...claims }, TEST_SECRET, { algorithm: 'HS256', subject: 'u_eve', ...opts });

describe('token lifetime', () => {
  it('refuses a token without exp on the API and at the upgrade', async () => {
    const noExp = sign({});
    expect((await postJson(`${server.http}/api/matchmake`, { mode: 'arena' }, noExp)).status).toBe(401);
    await expect(PlayClient.open(`${server.ws}/lobby`, noExp, [SUBPROTOCOL])).rejects.toMatchObject({ status: 401 });
  });

  it('refuses a token valid for longer than 7 days, accepts one inside the cap', async () => {
    expect((await postJson(`${server.http}/api/matchmake`, { mode: 'arena' }, sign({}, { expiresIn: '365d' }))).status).toBe(401);
    expect((await postJson(`${server.http}/api/matchmake`, { mode: 'arena' }, sign({}, { expiresIn: '6d' }))).status).toBe(200);
  });

  it('admin tokens: exp required, at most 30 days', async () => {
    const admin = (opts: jwt.SignOptions) =>
      jwt.sign({ name: 'ops', roles: ['admin'] }, ADMIN_SECRET, { algorithm: 'HS256', subject: 'admin:ops', audience: ADMIN_AUDIENCE, ...opts });
    const get = (t: string) => fetch(`${server.http}/api/admin/matches`, { headers: { authorization: `Bearer ${t}` } });
    expect((await get(admin({}))).status).toBe(401);
    expect((await get(admin({ expiresIn: '60d' }))).status).toBe(401);
    expect((await get(admin({ expiresIn: '29d' }))).status).toBe(200);
  });
});
