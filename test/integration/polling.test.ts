/**
 * The long-polling fallback against a real server: a session plays like a WebSocket (welcome,
 * inputs, snapshots, in one match with WebSocket players), and every documented bound holds:
 * queue overflow → 4016 in-band with the seat kept, send body/frame count → 413, idle
 * expiry → detach then resume, refused opens (401/403/400/429), a malformed send → 400 and
 * 4009, a session past its own message rate → 4008. (One held request per session, 409, is in test/unit/polling.connection.test.ts.)
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Buttons, ClientType, CloseCode, decodePollBody, encodeClient, encodePollBody, Header, Phase, PlayerField, ServerType, SUBPROTOCOL, Tables } from '../../protocol/index.js';
import { guest, matchmake } from '../support/api.js';
import { PlayClient } from '../support/playClient.js';
import { PollingPlayer } from '../support/pollingPlayer.js';
import { parsePrometheus } from '../support/prometheus.js';
import { ROOMY_LIMITS, startTestServer } from '../support/testServer.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;
const closers: Array<{ close(): void }> = [];
afterEach(() => {
  for (const c of closers.splice(0)) c.close();
});

const ARENA = { map: 'open', countdownSeconds: 0, spawnProtectionSeconds: 0, minPlayers: 1 };

async function pollingPlayer(server: Server, name: string, body: unknown = { mode: 'arena' }) {
  const g = await guest(server.http, name);
  const mm = await matchmake(server.http, g.token, body);
  const p = new PollingPlayer(mm.url, g.token, mm.ticket);
  closers.push(p);
  await p.waitFor(() => p.welcome, 'welcome');
  return { p, user: g, matchId: mm.matchId };
}

/** Opens a session by hand (no receive loop), for tests that play the client's part. */
async function rawOpen(server: Server, token: string, ticket: string, headers: Record<string, string> = {}) {
  return fetch(`${server.http}/play/poll/open?ticket=${encodeURIComponent(ticket)}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'x-tickwire-protocol': SUBPROTOCOL, ...headers },
  });
}

function poll(server: Server, session: string, signal?: AbortSignal) {
  return fetch(`${server.http}/play/poll`, { headers: { 'x-tickwire-session': session }, signal });
}

function send(server: Server, session: string, body: Uint8Array<ArrayBuffer>) {
  return fetch(`${server.http}/play/poll`, { method: 'POST', headers: { 'x-tickwire-session': session, 'content-type': 'application/octet-stream' }, body });
}

/** Server-side state changes after a close have no event to await: check briefly. */
async function until(pred: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('playing over long-polling', () => {
  let server: Server;
  beforeAll(async () => {
    server = await startTestServer({ arena: { ...ARENA, minPlayers: 2 } });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('open → welcome → inputs move the player → snapshots ack them; a WebSocket player in the same match sees it too', async () => {
    const { p, matchId } = await pollingPlayer(server, 'Poller');
    const w = await guest(server.http, 'Socketeer');
    const mm = await matchmake(server.http, w.token);
    expect(mm.matchId).toBe(matchId);
    const ws = await PlayClient.connect(mm.url, w.token, mm.ticket);
    closers.push(ws);
    const me = p.welcome!.playerId;
    await p.waitFor(() => p.snapshot?.header[Header.Phase] === Phase.Playing && p.snapshot.tables[Tables.Players].rows.has(ws.welcome!.playerId), 'both players in the polling snapshots');
    const x0 = p.snapshot!.tables[Tables.Players].rows.get(me)![PlayerField.X];
    let last = 0;
    for (let i = 0; i < 15; i++) last = p.input(Buttons.Right);
    await p.waitFor(() => (p.ack ?? 0) >= last, 'inputs acknowledged');
    await p.waitFor(() => p.snapshot!.tables[Tables.Players].rows.get(me)![PlayerField.X] > x0, 'moved right');
    // The WebSocket player receives the polling player's movement through the same snapshots.
    await ws.waitFor(() => (ws.snapshot?.tables[Tables.Players].rows.get(me)?.[PlayerField.X] ?? x0) > x0, 'the WebSocket player sees the move');
    expect(p.errors).toEqual([]);
    expect(p.socket.transport).toBe('polling');
  });

  it('ping is answered with a pong over the same session', async () => {
    const { p } = await pollingPlayer(server, 'Pinger');
    p.send({ type: ClientType.Ping, t: 42 });
    await p.waitFor(() => p.messages.some((m) => m.type === ServerType.Pong && m.t === 42), 'pong');
    // Every Pong keeps its own bytes (test/unit/playRoute.pongs.test.ts: the handlers shared
    // with polling never write into the WebSocket path's reused buffer).
    for (const t of [7, 70_000.25, 2 ** 40]) p.send({ type: ClientType.Ping, t });
    const pongs = () => p.messages.filter((m) => m.type === ServerType.Pong).map((m) => (m as { t: number }).t);
    await p.waitFor(() => pongs().length === 4, 'three more pongs');
    expect(pongs()).toEqual([42, 7, 70_000.25, 2 ** 40]);
  });

  it('refuses a bad JWT (401), a used ticket (403), a protocol mismatch (400) and an unknown session (404)', async () => {
    const g = await guest(server.http, 'Refused');
    const mm = await matchmake(server.http, g.token);
    expect((await rawOpen(server, 'not-a-jwt', mm.ticket)).status).toBe(401);
    const mismatch = await rawOpen(server, g.token, mm.ticket, { 'x-tickwire-protocol': 'tickwire.v0' });
    expect(mismatch.status).toBe(400);
    expect(((await mismatch.json()) as { error: string }).error).toMatch(/protocol mismatch/);
    expect((await rawOpen(server, g.token, 'bogus-ticket')).status).toBe(403);
    const ok = await rawOpen(server, g.token, mm.ticket);
    expect(ok.status).toBe(200);
    const { session } = (await ok.json()) as { session: string };
    expect((await rawOpen(server, g.token, mm.ticket)).status).toBe(403); // single use
    expect((await poll(server, 'no-such-session')).status).toBe(404);
    await fetch(`${server.http}/play/poll`, { method: 'DELETE', headers: { 'x-tickwire-session': session } });
    // Counted like refused upgrades.
    const m = parsePrometheus(await server.metrics.text());
    expect(m.sum('tickwire_auth_failures_total', { reason: 'ticket_unknown' })).toBeGreaterThanOrEqual(2);
    expect(m.sum('tickwire_auth_failures_total', { reason: 'protocol' })).toBeGreaterThanOrEqual(1);
  });

  it('each session has its own message rate limit (20 at once): past it the session closes with 4008 in-band', async () => {
    const ping = encodeClient({ type: ClientType.Ping, t: 1 });
    const open = async (name: string) => {
      const g = await guest(server.http, name);
      const mm = await matchmake(server.http, g.token);
      return ((await (await rawOpen(server, g.token, mm.ticket)).json()) as { session: string }).session;
    };
    const pings = async (session: string, n: number) => {
      for (let i = 0; i < n; i += 8) expect((await send(server, session, encodePollBody(Array(Math.min(8, n - i)).fill(ping)))).status).toBe(204);
    };
    const a = await open('PingerA');
    const b = await open('PingerB');
    // 15 each: under the burst of one session, over it if the two shared a bucket.
    await pings(a, 15);
    await pings(b, 15);
    // Up to 24 more from A (39 in all; the bucket refills 10 a second): A is closed (a send
    // after that is refused with 410), B is not.
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await send(server, a, encodePollBody(Array(8).fill(ping)))).status);
    expect(statuses).toContain(410);
    const body = new Uint8Array(await (await poll(server, a)).arrayBuffer());
    const records = decodePollBody(body, { maxRecords: 1000, maxRecordBytes: 1 << 20, allowClose: true });
    expect(records.ok && records.value.at(-1)).toMatchObject({ kind: 'close', code: CloseCode.RateLimited });
    expect((await send(server, b, encodePollBody([ping]))).status).toBe(204);
  });

  it('answers the CORS preflight (a cluster worker play port is another origin)', async () => {
    const res = await fetch(`${server.http}/play/poll/open`, { method: 'OPTIONS' });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-headers')).toMatch(/x-tickwire-session/);
  });
});

describe('bounds', () => {
  let server: Server;
  beforeAll(async () => {
    server = await startTestServer({
      arena: ARENA,
      sendBufferSoftBytes: 2048,
      sendBufferHardBytes: 4096,
      lobbyChatPerSecond: 100,
      polling: { holdMs: 200, idleMs: 1500, maxSendBytes: 1024, maxFramesPerSend: 4, sessionsPerAddress: 1000 },
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('a send body over maxSendBytes or with more than maxFramesPerSend frames → 413; the session stays', async () => {
    const g = await guest(server.http, 'Bulky');
    const mm = await matchmake(server.http, g.token);
    const { session } = (await (await rawOpen(server, g.token, mm.ticket)).json()) as { session: string };
    const ping = encodeClient({ type: ClientType.Ping, t: 1 });
    expect((await send(server, session, new Uint8Array(2000))).status).toBe(413);
    expect((await send(server, session, encodePollBody([ping, ping, ping, ping, ping]))).status).toBe(413);
    expect((await send(server, session, encodePollBody([ping, ping]))).status).toBe(204);
    const body = new Uint8Array(await (await poll(server, session)).arrayBuffer());
    const records = decodePollBody(body, { maxRecords: 100, maxRecordBytes: 1 << 20, allowClose: true });
    expect(records.ok && records.value.every((r) => r.kind === 'frame')).toBe(true);
  });

  it('a send body that is not application/octet-stream → 415; a send on a closed session → 410', async () => {
    const g = await guest(server.http, 'Typist');
    const mm = await matchmake(server.http, g.token);
    const { session } = (await (await rawOpen(server, g.token, mm.ticket)).json()) as { session: string };
    const ping = encodePollBody([encodeClient({ type: ClientType.Ping, t: 1 })]);
    const wrongType = await fetch(`${server.http}/play/poll`, { method: 'POST', headers: { 'x-tickwire-session': session, 'content-type': 'text/plain' }, body: ping });
    expect(wrongType.status).toBe(415);
    expect((await fetch(`${server.http}/play/poll`, { method: 'DELETE', headers: { 'x-tickwire-session': session } })).status).toBe(204);
    expect((await send(server, session, ping)).status).toBe(410);
    // The close record is still there for the client to read, then the session is gone.
    const body = new Uint8Array(await (await poll(server, session)).arrayBuffer());
    const records = decodePollBody(body, { maxRecords: 100, maxRecordBytes: 1 << 20, allowClose: true });
    expect(records.ok && records.value.at(-1)).toMatchObject({ kind: 'close', code: 1000 });
    expect((await poll(server, session)).status).toBe(404);
  });

  it('a malformed send body → 400 and the session closes with 4009 in-band', async () => {
    const g = await guest(server.http, 'Garbled');
    const mm = await matchmake(server.http, g.token);
    const { session } = (await (await rawOpen(server, g.token, mm.ticket)).json()) as { session: string };
    expect((await send(server, session, new Uint8Array([1, 0, 0, 0, 9, 1]))).status).toBe(400);
    const body = new Uint8Array(await (await poll(server, session)).arrayBuffer());
    const records = decodePollBody(body, { maxRecords: 100, maxRecordBytes: 1 << 20, allowClose: true });
    expect(records.ok && records.value.at(-1)).toMatchObject({ kind: 'close', code: CloseCode.MalformedFrame });
  });

  it('a session whose queue passes the hard bound closes with 4016 in-band and keeps the seat', async () => {
    const g = await guest(server.http, 'Sleeper');
    const mm = await matchmake(server.http, g.token);
    const { session } = (await (await rawOpen(server, g.token, mm.ticket)).json()) as { session: string };
    // WebSocket players in the same match chat; the polling session never fetches. Each
    // stays under its 20-message burst: 3 × 18 lines of ~100 bytes pass the 4096-byte bound.
    const room = server.rooms.get(mm.matchId)!;
    for (let t = 0; t < 3; t++) {
      const w = await guest(server.http, `Talker${t}`);
      const wm = await matchmake(server.http, w.token);
      expect(wm.matchId).toBe(mm.matchId);
      const talker = await PlayClient.connect(wm.url, w.token, wm.ticket);
      closers.push(talker);
      for (let i = 0; i < 18; i++) talker.send({ type: ClientType.Chat, text: `line ${i} ${'x'.repeat(80)}` });
    }
    await until(() => room.seatOf(g.id)?.status === 'disconnected', 'seat detached');
    const body = new Uint8Array(await (await poll(server, session)).arrayBuffer());
    expect(body.byteLength).toBeLessThanOrEqual(4096 + 2048);
    const records = decodePollBody(body, { maxRecords: 1000, maxRecordBytes: 1 << 20, allowClose: true });
    expect(records.ok && records.value.at(-1)).toMatchObject({ kind: 'close', code: CloseCode.SlowConsumer });
    expect(room.seatOf(g.id)).toBeDefined();
  });

  it('a session that stops polling expires (4017): the seat waits out the grace, and resume over polling gets it back', async () => {
    const { p, user, matchId } = await pollingPlayer(server, 'Napper');
    const playerId = p.welcome!.playerId;
    const room = server.rooms.get(matchId)!;
    // Stop the receive loop without telling the server (a frozen tab, a dead proxy).
    const abandoned = p.socket;
    abandoned.onclose = null;
    (abandoned as unknown as { finish(c: number, r: string): void }).finish(1006, 'test');
    await until(() => room.seatOf(user.id)?.status === 'disconnected', 'detached after idleMs', 5000);
    const resumed = await matchmake(server.http, user.token, { resume: matchId });
    const again = new PollingPlayer(resumed.url, user.token, resumed.ticket);
    closers.push(again);
    await again.waitFor(() => again.welcome, 'welcome after resume');
    expect(again.welcome!.playerId).toBe(playerId);
    expect(room.seatOf(user.id)?.status).toBe('connected');
  });
});

describe('per-address and per-user limits', () => {
  let server: Server;
  beforeAll(async () => {
    server = await startTestServer({ arena: ARENA, limits: { ...ROOMY_LIMITS, connectionsPerUserPerNamespace: 1 }, polling: { holdMs: 200, idleMs: 600, maxSendBytes: 32768, maxFramesPerSend: 32, sessionsPerAddress: 2 } });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('a second /play connection for one user → 429 (shared with WebSocket); a third session from one address → 429', async () => {
    const a = await pollingPlayer(server, 'One');
    const mm = await matchmake(server.http, a.user.token, { resume: a.matchId });
    const refused = await rawOpen(server, a.user.token, mm.ticket);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('5');
    await pollingPlayer(server, 'Two');
    const c = await guest(server.http, 'Three');
    const cm = await matchmake(server.http, c.token);
    const third = await rawOpen(server, c.token, cm.ticket);
    expect(third.status).toBe(429);
    expect(((await third.json()) as { error: string }).error).toMatch(/from your address/);
  });
});
