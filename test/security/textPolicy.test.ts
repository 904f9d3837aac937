/**
 * Findings 7 and 8 against a real server: match chat, lobby chat and admin broadcasts go
 * through the shared text policy (protocol/text.ts); hostile and bot-like names are refused
 * at sign-up, and an identity provider's hostile name is cleaned.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ClientType, ServerType } from '../../protocol/index.js';
import { mintAdminToken } from '../../server/auth/tokens.js';
import { guest, matchmake, postJson } from '../support/api.js';
import { PlayClient } from '../support/playClient.js';
import { startTestServer } from '../support/testServer.js';

const ADMIN_SECRET = 'admin-secret-for-tests-0123456789';
const HOSTILE = 'hi\u202egnp\u200b\u0000\u001b[2J\nthere\u3164' + String.fromCodePoint(0xe0041) + String.fromCharCode(0xd800);
const CLEAN = 'hi gnp [2J there';

let server: Awaited<ReturnType<typeof startTestServer>>;
const clients: PlayClient[] = [];

beforeAll(async () => {
  server = await startTestServer({ adminSecret: ADMIN_SECRET, arena: { map: 'open', countdownSeconds: 0, minPlayers: 1 } });
});

afterEach(() => {
  for (const c of clients.splice(0)) c.close();
});

afterAll(async () => {
  await server?.close();
});

async function player(name: string): Promise<{ c: PlayClient; token: string }> {
  const { token } = await guest(server.http, name);
  const mm = await matchmake(server.http, token);
  const c = await PlayClient.connect(mm.url, token, mm.ticket);
  clients.push(c);
  await c.waitFor(() => c.welcome, 'welcome');
  return { c, token };
}

describe('text policy on the wire', () => {
  it('match chat is relayed cleaned; a line with nothing visible is dropped', async () => {
    const a = await player('Alice');
    const b = await player('Bob');
    a.c.send({ type: ClientType.Chat, text: '\u200b\u3164\u2800' });
    a.c.send({ type: ClientType.Chat, text: HOSTILE });
    const got = await b.c.waitFor(() => b.c.of(ServerType.Chat)[0], 'chat');
    expect(got).toMatchObject({ from: 'Alice', text: CLEAN });
    expect(b.c.of(ServerType.Chat)).toHaveLength(1);
  });

  it('lobby chat uses the same policy', async () => {
    const { token } = await guest(server.http, 'Lobbyist');
    const l = await PlayClient.open(`${server.ws}/lobby`, token);
    clients.push(l);
    l.send({ type: ClientType.Chat, text: HOSTILE });
    const got = await l.waitFor(() => l.of(ServerType.Chat)[0], 'lobby chat');
    expect(got.text).toBe(CLEAN);
  });

  it('admin broadcasts are cleaned too', async () => {
    const p = await player('Listener');
    const admin = await PlayClient.open(`${server.ws}/admin`, mintAdminToken(ADMIN_SECRET, 'ops', 60));
    clients.push(admin);
    admin.send({ type: ClientType.Request, id: 1, method: 'broadcast', body: { text: HOSTILE } });
    const notice = await p.c.waitFor(() => p.c.of(ServerType.Notice).find((n) => n.kind === 'server'), 'notice');
    expect(notice.text).toBe(CLEAN);
  });

  it('refuses invisible, control, surrogate, tag and bot-like names at sign-up', async () => {
    for (const name of ['\u3164', '\u2800\u2800', 'Ada\u061c', `A${String.fromCharCode(0xdc00)}`, `Ada${String.fromCodePoint(0xe0041)}`, 'Bot Ada', 'bot', 'x\u202ey']) {
      const r = await postJson(`${server.http}/api/auth/guest`, { name });
      expect(r.status, JSON.stringify(name)).toBe(400);
      expect(r.body.error).toMatch(/name/);
    }
    expect((await postJson(`${server.http}/api/auth/guest`, { name: 'Botany' })).status).toBe(200);
  });
});
