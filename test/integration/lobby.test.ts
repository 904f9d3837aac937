/**
 * Issue #4 against a real server: concurrent quick play, private matches and codes,
 * spectators, lobby chat, notifications and invites, the SSE stream and its resume.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Buttons, ClientType, CloseCode, MatchListOp, ServerType, SUBPROTOCOL, Tables } from '../../protocol/index.js';
import { JOIN_CODE_ALPHABET } from '../../server/rooms/joinCode.js';
import { mintAdminToken } from '../../server/auth/tokens.js';
import { guest, matchmake, postJson } from '../support/api.js';
import { PlayClient } from '../support/playClient.js';
import { SseClient } from '../support/sseClient.js';
import { startTestServer } from '../support/testServer.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;
const ADMIN_SECRET = 'admin-secret-for-tests-0123456789';
let server: Server;
const open: Array<{ close(): void }> = [];

function track<T extends { close(): void }>(c: T): T {
  open.push(c);
  return c;
}

async function play(token: string, mm: { url: string; ticket: string }): Promise<PlayClient> {
  return track(await PlayClient.connect(mm.url, token, mm.ticket));
}

async function lobby(token: string): Promise<PlayClient> {
  const c = track(await PlayClient.open(`${server.ws}/lobby`, token));
  await c.waitFor(() => c.of(ServerType.MatchList).length > 0, 'initial match list');
  return c;
}

beforeAll(async () => {
  server = await startTestServer({ arena: { map: 'open', countdownSeconds: 0, minPlayers: 2 }, lobbyOnlineIntervalMs: 50, adminSecret: ADMIN_SECRET });
});

afterEach(() => {
  for (const c of open.splice(0)) c.close();
});

afterAll(async () => {
  await server?.close();
});

describe('matchmaking', () => {
  it('200 concurrent quick plays never overfill a match and leave at most one partly filled', async () => {
    const users = await Promise.all(Array.from({ length: 200 }, (_, i) => guest(server.http, `q${i}`)));
    const results = await Promise.all(users.map((u) => matchmake(server.http, u.token)));
    const perMatch = new Map<string, number>();
    for (const r of results) perMatch.set(r.matchId, (perMatch.get(r.matchId) ?? 0) + 1);
    expect([...perMatch.values()].every((n) => n <= 8)).toBe(true);
    expect([...perMatch.values()].filter((n) => n < 8).length).toBeLessThanOrEqual(1);
    expect(perMatch.size).toBe(25);
    for (const [id, n] of perMatch) expect(server.rooms.get(id)!.seatCount).toBe(n);
    // Free those seats so later tests start from empty matches.
    for (const u of users) server.rooms.findSeat(u.id)?.kick(u.id, 'test cleanup');
    expect(server.rooms.size).toBe(0);
  });

  it('private matches: a 6-letter code, never listed or quick-played, joinable by code only', async () => {
    const host = await guest(server.http, 'Host');
    const created = await postJson(`${server.http}/api/matches`, { mode: 'arena', private: true }, host.token);
    expect(created.status).toBe(201);
    const code: string = created.body.code;
    expect(code).toMatch(new RegExp(`^[${JOIN_CODE_ALPHABET}]{6}$`));
    const hostSock = await play(host.token, created.body);
    await hostSock.waitFor(() => hostSock.welcome, 'host welcome');

    const list = await fetch(`${server.http}/api/matches`).then((r) => r.json());
    expect(list.matches.map((m: { id: string }) => m.id)).not.toContain(created.body.matchId);

    const stranger = await guest(server.http, 'Stranger');
    const quick = await matchmake(server.http, stranger.token);
    expect(quick.matchId).not.toBe(created.body.matchId);

    const friend = await guest(server.http, 'Friend');
    const joined = await postJson(`${server.http}/api/matchmake`, { code: code.toLowerCase() }, friend.token);
    expect(joined.status).toBe(200);
    expect(joined.body.matchId).toBe(created.body.matchId);

    const wrong = await postJson(`${server.http}/api/matchmake`, { code: 'ZZZZZZ' }, (await guest(server.http, 'W')).token);
    expect(wrong.status).toBe(404);
    expect(wrong.body.error).toMatch(/no match with code/);
    expect((await postJson(`${server.http}/api/matchmake`, { code: 42 }, friend.token)).status).toBe(400);
  });

  it('an unused seat ticket frees its seat when it expires', async () => {
    const short = await startTestServer({ ticketTtlMs: 150 });
    try {
      const u = await guest(short.http, 'Late');
      const mm = await matchmake(short.http, u.token);
      expect(short.rooms.get(mm.matchId)!.seatCount).toBe(1);
      // The room is disposed once its only reservation lapses; await that instead of sleeping.
      await new Promise<void>((resolve) => {
        const check = () => (short.rooms.get(mm.matchId) ? setImmediate(check) : resolve());
        check();
      });
      await expect(PlayClient.connect(mm.url, u.token, mm.ticket)).rejects.toMatchObject({ status: 403 });
    } finally {
      await short.close();
    }
  });
});

describe('spectators', () => {
  it('see every player, are counted separately, and are closed for sending inputs', async () => {
    const a = await guest(server.http, 'PlayA');
    const b = await guest(server.http, 'PlayB');
    const ma = await matchmake(server.http, a.token);
    const mb = await matchmake(server.http, b.token);
    const pa = await play(a.token, ma);
    const pb = await play(b.token, mb);
    await pa.waitFor(() => pa.welcome, 'a welcome');
    await pb.waitFor(() => pb.welcome, 'b welcome');

    const viewer = await guest(server.http, 'Viewer');
    const spec = track(await PlayClient.open(`${server.ws}/spectate?match=${ma.matchId}`, viewer.token));
    const welcome = await spec.waitFor(() => spec.welcome, 'spectator welcome');
    expect(welcome.playerId).toBe(0);
    expect(mb.matchId).toBe(ma.matchId);
    const rows = () => spec.snapshot?.tables[Tables.Players].rows;
    await spec.waitFor(() => rows()?.has(pa.welcome!.playerId) && rows()?.has(pb.welcome!.playerId), 'both players in snapshots');
    const room = server.rooms.get(ma.matchId)!;
    expect(room.spectatorCount).toBe(1);
    expect(room.seatOf(a.id)).toBeDefined();
    const listed = (await fetch(`${server.http}/api/matches`).then((r) => r.json())).matches.find((m: { id: string }) => m.id === ma.matchId);
    expect(listed).toMatchObject({ players: room.seatCount, spectators: 1 });

    spec.send({ type: ClientType.Input, seq: 1, buttons: Buttons.Up, aim: 0, ackTick: 0 });
    expect((await spec.waitForClose()).code).toBe(CloseCode.PolicyViolation);
    const before = pa.snapshots.length;
    await pa.waitFor(() => pa.snapshots.length > before + 2, 'players unaffected');
    expect(server.rooms.get(ma.matchId)!.spectatorCount).toBe(0);
  });

  it('a private match needs its code to spectate; unknown matches are refused before the upgrade', async () => {
    const host = await guest(server.http, 'PrivHost');
    const created = await postJson(`${server.http}/api/matches`, { private: true }, host.token);
    await play(host.token, created.body);
    const viewer = await guest(server.http, 'Peek');
    await expect(PlayClient.open(`${server.ws}/spectate?match=${created.body.matchId}`, viewer.token)).rejects.toMatchObject({ status: 404 });
    await expect(PlayClient.open(`${server.ws}/spectate?match=nope`, viewer.token)).rejects.toMatchObject({ status: 404 });
    const ok = track(await PlayClient.open(`${server.ws}/spectate?match=${created.body.matchId}&code=${created.body.code}`, viewer.token));
    await ok.waitFor(() => ok.welcome, 'welcome with code');
  });
});

describe('lobby', () => {
  it('shows the online count and the live match list', async () => {
    const u = await guest(server.http, 'Looker');
    const l = await lobby(u.token);
    await l.waitFor(() => l.of(ServerType.LobbyState).length > 0, 'online count');
    const other = await guest(server.http, 'Starter');
    const mm = await matchmake(server.http, other.token);
    const upsert = await l.waitFor(
      () => l.of(ServerType.MatchList).find((m) => m.op === MatchListOp.Upsert && m.matches.some((e) => e.id === mm.matchId)),
      'match list upsert',
    );
    expect(upsert.matches[0]).toMatchObject({ mode: 'arena', max: 8 });
    const second = await lobby(other.token);
    await l.waitFor(() => l.of(ServerType.LobbyState).some((s) => s.online >= 2), 'online count grows');
    second.close();
  });

  it('chat reaches every lobby, strips control characters, limits length and rate', async () => {
    const a = await guest(server.http, 'Talker');
    const b = await guest(server.http, 'Hearer');
    const la = await lobby(a.token);
    const lb = await lobby(b.token);
    la.send({ type: ClientType.Chat, text: 'hello\u0007 there\nfriend\u202e' });
    const heard = await lb.waitFor(() => lb.of(ServerType.Chat)[0], 'chat');
    expect(heard).toMatchObject({ from: 'Talker', text: 'hello there friend' });
    // Rate: a burst of 3 passes at 1 line/s, the next lines are refused with an Error frame.
    for (let i = 0; i < 4; i++) la.send({ type: ClientType.Chat, text: `spam ${i}` });
    const refused = await la.waitFor(() => la.of(ServerType.Error).find((e) => e.code === CloseCode.RateLimited), 'rate-limit error');
    expect(refused.message).toMatch(/rate/);
    await lb.waitFor(() => lb.of(ServerType.Chat).length >= 3, 'burst delivered');
    expect(la.closed).toBeNull();
    // Length: over 200 characters is a malformed frame.
    la.send({ type: ClientType.Chat, text: 'x'.repeat(201) });
    expect((await la.waitForClose()).code).toBe(CloseCode.MalformedFrame);
  });

  it('refuses a lobby upgrade without a valid token', async () => {
    const status = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`${server.ws}/lobby`, [SUBPROTOCOL]);
      ws.once('unexpected-response', (_q, res) => resolve(res.statusCode ?? 0));
      ws.once('open', () => resolve(101));
      ws.once('error', () => {});
    });
    expect(status).toBe(401);
  });
});

describe('notifications', () => {
  it('an invite reaches only its recipient, in the lobby and in a match', async () => {
    const host = await guest(server.http, 'Inviter');
    const friend = await guest(server.http, 'Invitee');
    const bystander = await guest(server.http, 'Bystander');
    const lf = await lobby(friend.token);
    const lx = await lobby(bystander.token);
    const created = await postJson(`${server.http}/api/matches`, { private: true }, host.token);
    const hostSock = await play(host.token, created.body);
    await hostSock.waitFor(() => hostSock.welcome, 'host in match');

    const invite = await postJson(`${server.http}/api/invite`, { playerId: friend.id }, host.token);
    expect(invite.status).toBe(200);
    expect(invite.body.delivered).toBe(true);
    const got = await lf.waitFor(() => lf.of(ServerType.Notification).find((n) => n.kind === 'invite'), 'invite');
    expect(got.data).toMatchObject({ code: created.body.code, from: 'Inviter' });

    // A later lobby-wide message proves the bystander's socket is caught up, and it saw no invite.
    lf.send({ type: ClientType.Chat, text: 'thanks' });
    await lx.waitFor(() => lx.of(ServerType.Chat).some((c) => c.text === 'thanks'), 'later chat');
    expect(lx.of(ServerType.Notification).filter((n) => n.kind === 'invite')).toEqual([]);

    // The invitee joins by the code; the host gets no invite, and an offline player is reported as such.
    const joined = await postJson(`${server.http}/api/matchmake`, { code: got.data.code }, friend.token);
    const fs = await play(friend.token, joined.body);
    await fs.waitFor(() => fs.welcome, 'friend in match');
    const offline = await postJson(`${server.http}/api/invite`, { playerId: 'g_nobody' }, host.token);
    expect(offline.body.delivered).toBe(false);
    // Players in a match receive their notifications on the play socket too.
    await postJson(`${server.http}/api/invite`, { playerId: friend.id }, host.token);
    await fs.waitFor(() => fs.of(ServerType.Notification).some((n) => n.kind === 'invite'), 'invite on the play socket');
    expect(hostSock.of(ServerType.Notification).filter((n) => n.kind === 'invite')).toEqual([]);
  });

  it('invite needs a private match and a bearer token', async () => {
    const u = await guest(server.http, 'NoMatch');
    expect((await postJson(`${server.http}/api/invite`, { playerId: 'x' }, u.token)).status).toBe(409);
    expect((await postJson(`${server.http}/api/invite`, { playerId: 'x' })).status).toBe(401);
  });
});

describe('server-sent events', () => {
  async function streamTicket(token: string): Promise<string> {
    const r = await postJson(`${server.http}/api/events/ticket`, {}, token);
    expect(r.status).toBe(200);
    return r.body.ticket;
  }

  it('streams match-list changes and the caller’s notifications; tickets are single-use', async () => {
    const me = await guest(server.http, 'Watcher');
    const ticket = await streamTicket(me.token);
    const sse = track(await SseClient.open(`${server.http}/api/events?ticket=${ticket}`));
    expect(sse.status).toBe(200);
    await sse.waitFor(() => sse.events.find((e) => e.event === 'snapshot'), 'initial snapshot');
    const reused = await SseClient.open(`${server.http}/api/events?ticket=${ticket}`);
    expect(reused.status).toBe(401);

    const starter = await guest(server.http, 'Opener');
    const mm = await matchmake(server.http, starter.token);
    await sse.waitFor(() => sse.events.find((e) => e.event === 'match' && e.data.op === 'upsert' && e.data.match.id === mm.matchId), 'match upsert');

    const host = await guest(server.http, 'SseHost');
    const created = await postJson(`${server.http}/api/matches`, { private: true }, host.token);
    await play(host.token, created.body);
    const inv = await postJson(`${server.http}/api/invite`, { playerId: me.id }, host.token);
    expect(inv.body.delivered).toBe(true);
    const n = await sse.waitFor(() => sse.events.find((e) => e.event === 'notification'), 'notification');
    expect(n.data).toMatchObject({ kind: 'invite', data: { code: created.body.code } });
  });

  it('resumes with Last-Event-ID without losing events from the gap', async () => {
    const me = await guest(server.http, 'Resumer');
    const first = await SseClient.open(`${server.http}/api/events?ticket=${await streamTicket(me.token)}`);
    await first.waitFor(() => first.events.length > 0, 'first event');
    const lastId = first.lastId()!;
    first.close();

    // While disconnected: a match appears, and a notification is sent.
    const opener = await guest(server.http, 'GapOpener');
    const mm = await matchmake(server.http, opener.token);
    const host = await guest(server.http, 'GapHost');
    const created = await postJson(`${server.http}/api/matches`, { private: true }, host.token);
    await play(host.token, created.body);
    await postJson(`${server.http}/api/invite`, { playerId: me.id }, host.token);

    const resumed = track(await SseClient.open(`${server.http}/api/events?ticket=${await streamTicket(me.token)}`, { 'last-event-id': lastId }));
    await resumed.waitFor(() => resumed.events.find((e) => e.event === 'notification'), 'missed notification');
    await resumed.waitFor(() => resumed.events.find((e) => e.event === 'match' && e.data.match?.id === mm.matchId), 'missed match');
    expect(resumed.events.some((e) => e.event === 'snapshot' || e.event === 'reset')).toBe(false);
    const ids = resumed.events.map((e) => Number(e.id));
    expect(ids.every((id) => id > Number(lastId))).toBe(true);
    expect([...ids].sort((x, y) => x - y)).toEqual(ids);
  });

  it('sends heartbeat comments on idle streams', async () => {
    const hb = await startTestServer({ sseHeartbeatMs: 30 });
    try {
      const me = await guest(hb.http, 'Idle');
      const t = (await postJson(`${hb.http}/api/events/ticket`, {}, me.token)).body.ticket;
      const sse = await SseClient.open(`${hb.http}/api/events?ticket=${t}`);
      await sse.waitFor(() => sse.comments >= 2, 'two heartbeats');
      sse.close();
    } finally {
      await hb.close();
    }
  });
});

describe('admin namespace', () => {
  async function upgradeStatus(token?: string): Promise<number> {
    return new Promise((resolve) => {
      const ws = new WebSocket(`${server.ws}/admin`, [SUBPROTOCOL], { headers: token ? { authorization: `Bearer ${token}` } : {} });
      ws.once('unexpected-response', (_q, res) => resolve(res.statusCode ?? 0));
      ws.once('open', () => {
        ws.terminate();
        resolve(101);
      });
      ws.once('error', () => {});
    });
  }

  let nextId = 1;
  async function call(admin: PlayClient, method: string, body: unknown = {}) {
    const id = nextId++;
    admin.send({ type: ClientType.Request, id, method, body });
    return admin.waitFor(() => admin.of(ServerType.Response).find((r) => r.id === id), `response to ${method}`);
  }

  it('refuses anyone without an admin token before the upgrade', async () => {
    const player = await guest(server.http, 'NotAdmin');
    expect(await upgradeStatus()).toBe(401);
    expect(await upgradeStatus(player.token)).toBe(403);
    expect(await upgradeStatus(mintAdminToken('some-other-admin-secret-xyz', 'ops', 60))).toBe(401);
    expect(await upgradeStatus(mintAdminToken(ADMIN_SECRET, 'ops', 60))).toBe(101);
  });

  it('lists matches, kicks a player with a reason, broadcasts, and ends a match', async () => {
    const admin = track(await PlayClient.open(`${server.ws}/admin`, mintAdminToken(ADMIN_SECRET, 'ops', 60)));
    const a = await guest(server.http, 'Kickee');
    const b = await guest(server.http, 'Stayer');
    const pa = await play(a.token, await matchmake(server.http, a.token));
    const mmB = await matchmake(server.http, b.token);
    const pb = await play(b.token, mmB);
    await pa.waitFor(() => pa.welcome, 'a in');
    await pb.waitFor(() => pb.welcome, 'b in');
    const watcher = await guest(server.http, 'LobbyWatcher');
    const lw = await lobby(watcher.token);

    const list = await call(admin, 'matches.list');
    expect(list.ok).toBe(true);
    const match = (list.body as any).matches.find((m: any) => m.id === mmB.matchId);
    expect(match.players.map((p: any) => p.userId)).toEqual(expect.arrayContaining([a.id, b.id]));

    const kick = await call(admin, 'player.kick', { userId: a.id, reason: 'griefing' });
    expect(kick.ok).toBe(true);
    const closed = await pa.waitForClose();
    expect(closed.code).toBe(CloseCode.Kicked);
    expect(closed.reason).toMatch(/griefing/);
    expect(server.rooms.get(mmB.matchId)!.seatOf(a.id)).toBeUndefined();
    expect(pb.closed).toBeNull();

    const bc = await call(admin, 'broadcast', { text: 'Restart in 10 minutes' });
    expect(bc.ok).toBe(true);
    await pb.waitFor(() => pb.of(ServerType.Notice).find((n) => n.kind === 'server' && n.text === 'Restart in 10 minutes'), 'broadcast in match');
    await lw.waitFor(() => lw.of(ServerType.Notice).find((n) => n.kind === 'server'), 'broadcast in lobby');

    const end = await call(admin, 'match.end', { matchId: mmB.matchId, reason: 'maintenance' });
    expect(end.ok).toBe(true);
    expect((await pb.waitForClose()).code).toBe(CloseCode.MatchEnded);
    expect(server.rooms.get(mmB.matchId)).toBeUndefined();

    const unknown = await call(admin, 'nope');
    expect(unknown.ok).toBe(false);
    expect((await call(admin, 'player.kick', { userId: 'ghost' })).ok).toBe(false);
  });
});
