/**
 * Issue #10 against three real nodes sharing one real redis-server (started here on a free
 * port): concurrent quick play across nodes, routed connect to the owner, lobby chat,
 * notifications and admin commands crossing nodes, private codes and resume cluster-wide.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ClientType, CloseCode, ServerType } from '../../protocol/index.js';
import { mintAdminToken } from '../../server/auth/tokens.js';
import { guest, matchmake, postJson } from '../support/api.js';
import { PlayClient } from '../support/playClient.js';
import { SseClient } from '../support/sseClient.js';
import { RedisServer } from '../support/redisServer.js';
import { startTestServer } from '../support/testServer.js';
import { ManualClock } from '../../server/clock.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;
const ADMIN_SECRET = 'admin-secret-for-tests-0123456789';
let redis: RedisServer;
let nodes: Server[] = [];
const open: Array<{ close(): void }> = [];

function track<T extends { close(): void }>(c: T): T {
  open.push(c);
  return c;
}

async function lobby(node: Server, token: string): Promise<PlayClient> {
  const c = track(await PlayClient.open(`${node.ws}/lobby`, token));
  await c.waitFor(() => c.of(ServerType.MatchList).length > 0, 'initial match list');
  return c;
}

function ownerOf(matchId: string): Server | undefined {
  return nodes.find((n) => n.rooms.get(matchId));
}

beforeAll(async () => {
  redis = await RedisServer.start();
  for (let i = 0; i < 3; i++) {
    nodes.push(await startTestServer({ redisUrl: redis.url, adminSecret: ADMIN_SECRET, lobbyOnlineIntervalMs: 50, arena: { map: 'open', countdownSeconds: 0, minPlayers: 2 } }));
  }
});

afterEach(() => {
  for (const c of open.splice(0)) c.close();
});

afterAll(async () => {
  for (const c of open.splice(0)) c.close();
  await Promise.allSettled(nodes.map((n) => n.close()));
  nodes = [];
  await redis?.stop();
});

function kickEverywhere(userIds: string[]): void {
  for (const n of nodes) for (const u of userIds) n.rooms.findSeat(u)?.kick(u, 'test cleanup');
}

describe('three nodes, one Redis', () => {
  it('300 concurrent quick plays through 3 nodes: no overfill, at most one partial match, routed to the owner', async () => {
    const users = await Promise.all(Array.from({ length: 300 }, (_, i) => guest(nodes[i % 3].http, `q${i}`)));
    const results = await Promise.all(users.map((u, i) => matchmake(nodes[i % 3].http, u.token)));
    const perMatch = new Map<string, number>();
    for (const r of results) perMatch.set(r.matchId, (perMatch.get(r.matchId) ?? 0) + 1);
    const counts = [...perMatch.values()];
    expect(Math.max(...counts)).toBeLessThanOrEqual(8);
    expect(counts.filter((n) => n < 8).length).toBeLessThanOrEqual(1);
    expect(perMatch.size).toBe(Math.ceil(300 / 8));
    // Each match lives on exactly one node, whose Room holds exactly the seats the registry gave out,
    // and every answer's URL names that owner (whichever node was asked).
    for (const [id, n] of perMatch) {
      const owners = nodes.filter((x) => x.rooms.get(id));
      expect(owners).toHaveLength(1);
      expect(owners[0].rooms.get(id)!.seatCount).toBe(n);
    }
    for (const r of results) expect(r.url).toBe(`${ownerOf(r.matchId)!.ws}/play`);
    // Least-loaded placement spreads matches over the nodes.
    expect(nodes.filter((x) => x.rooms.size > 0).length).toBeGreaterThanOrEqual(2);

    // A client asked on node 0 connects straight to the owner with its ticket.
    const i = results.findIndex((r, k) => k % 3 === 0 && ownerOf(r.matchId) !== nodes[0]);
    expect(i).toBeGreaterThanOrEqual(0);
    const p = track(await PlayClient.connect(results[i].url, users[i].token, results[i].ticket));
    const welcome = await p.waitFor(() => p.welcome, 'welcome from the owner');
    expect(welcome.matchId).toBe(results[i].matchId);

    kickEverywhere(users.map((u) => u.id));
    await expect.poll(() => nodes.reduce((n, x) => n + x.rooms.size, 0)).toBe(0);
  }, 60_000);

  it('quick play asked twice returns the same seat, wherever asked', async () => {
    const u = await guest(nodes[0].http, 'Twice');
    const a = await matchmake(nodes[0].http, u.token);
    const b = await matchmake(nodes[2].http, u.token);
    expect(b.matchId).toBe(a.matchId);
    expect(ownerOf(a.matchId)!.rooms.get(a.matchId)!.seatCount).toBe(1);
    kickEverywhere([u.id]);
  });

  it('lobby chat and a match notification cross nodes; lists show matches of every node', async () => {
    const a = await guest(nodes[0].http, 'Alice');
    const b = await guest(nodes[1].http, 'Bob');
    const la = await lobby(nodes[0], a.token);
    const lb = await lobby(nodes[1], b.token);
    lb.send({ type: ClientType.Chat, text: 'hello from node 1' });
    await la.waitFor(() => la.of(ServerType.Chat).find((c) => c.text === 'hello from node 1' && c.from === 'Bob'), 'chat on node 0');

    // Alice's lobby is on node 0; she matchmakes through node 2 and plays wherever the match is.
    const mm = await matchmake(nodes[2].http, a.token);
    const p = track(await PlayClient.connect(mm.url, a.token, mm.ticket));
    await p.waitFor(() => p.welcome, 'welcome');
    const n = await la.waitFor(() => la.of(ServerType.Notification).find((x) => x.kind === 'match_found'), 'match_found on node 0');
    expect(n.data).toMatchObject({ matchId: mm.matchId });
    // Bob's lobby on node 1 lists the match, whichever node hosts it.
    await lb.waitFor(() => lb.of(ServerType.MatchList).some((m) => m.matches.some((x) => x.id === mm.matchId)), 'match listed on node 1');
    for (const node of nodes) {
      const list = await fetch(`${node.http}/api/matches`).then((r) => r.json());
      expect(list.matches.map((m: { id: string }) => m.id)).toContain(mm.matchId);
    }
    kickEverywhere([a.id]);
  });

  it('an admin on one node kicks a player and ends a match on another', async () => {
    const u = await guest(nodes[0].http, 'Kickee');
    const v = await guest(nodes[0].http, 'Other');
    const mm = await matchmake(nodes[0].http, u.token);
    const owner = ownerOf(mm.matchId)!;
    const adminNode = nodes.find((x) => x !== owner)!;
    const pu = track(await PlayClient.connect(mm.url, u.token, mm.ticket));
    await pu.waitFor(() => pu.welcome, 'welcome');
    const mv = await matchmake(nodes[1].http, v.token);
    expect(mv.matchId).toBe(mm.matchId);
    const pv = track(await PlayClient.connect(mv.url, v.token, mv.ticket));
    await pv.waitFor(() => pv.welcome, 'welcome');

    const admin = track(await PlayClient.open(`${adminNode.ws}/admin`, mintAdminToken(ADMIN_SECRET, 'ops', 60)));
    let id = 1;
    const call = async (method: string, body: unknown) => {
      const rid = id++;
      admin.send({ type: ClientType.Request, id: rid, method, body });
      return admin.waitFor(() => admin.of(ServerType.Response).find((r) => r.id === rid), method);
    };
    const kick = await call('player.kick', { userId: u.id, reason: 'griefing' });
    expect(kick).toMatchObject({ ok: true, body: { kicked: u.id, matchId: mm.matchId } });
    const closed = await pu.waitForClose();
    expect(closed.code).toBe(CloseCode.Kicked);
    expect(closed.reason).toMatch(/griefing/);

    const end = await call('match.end', { matchId: mm.matchId, reason: 'maintenance' });
    expect(end.ok).toBe(true);
    expect((await pv.waitForClose()).code).toBe(CloseCode.MatchEnded);
    expect(owner.rooms.get(mm.matchId)).toBeUndefined();
    expect((await call('player.kick', { userId: 'g_ghost' })).ok).toBe(false);
  });

  it('private codes resolve on every node; resume finds the seat on its owner', async () => {
    const host = await guest(nodes[0].http, 'Host');
    const friend = await guest(nodes[1].http, 'Friend');
    const created = await postJson(`${nodes[0].http}/api/matches`, { mode: 'arena', private: true }, host.token);
    expect(created.status).toBe(201);
    const code = created.body.code as string;
    const joined = await postJson(`${nodes[2].http}/api/matchmake`, { code: code.toLowerCase() }, friend.token);
    expect(joined.status).toBe(200);
    expect(joined.body.matchId).toBe(created.body.matchId);
    expect(joined.body.url).toBe(`${ownerOf(created.body.matchId)!.ws}/play`);
    // An invite sent through any node carries the host's code, wherever the match runs.
    const friendLobby = await lobby(nodes[1], friend.token);
    const inv = await postJson(`${nodes[2].http}/api/invite`, { playerId: friend.id }, host.token);
    expect(inv.body).toMatchObject({ delivered: true, code });
    await friendLobby.waitFor(() => friendLobby.of(ServerType.Notification).find((n) => n.kind === 'invite' && n.data.code === code), 'invite on node 1');
    const wrong = await postJson(`${nodes[1].http}/api/matchmake`, { code: 'ZZZZZZ' }, friend.token);
    expect(wrong.status).toBe(404);
    // Private matches stay out of every list.
    const list = await fetch(`${nodes[1].http}/api/matches`).then((r) => r.json());
    expect(list.matches.map((m: { id: string }) => m.id)).not.toContain(created.body.matchId);

    const p = track(await PlayClient.connect(joined.body.url, friend.token, joined.body.ticket));
    await p.waitFor(() => p.welcome, 'welcome');
    p.close();
    const resumed = await postJson(`${nodes[0].http}/api/matchmake`, { resume: created.body.matchId }, friend.token);
    expect(resumed.status).toBe(200);
    expect(resumed.body.url).toBe(joined.body.url);
    const again = track(await PlayClient.connect(resumed.body.url, friend.token, resumed.body.ticket));
    await again.waitFor(() => again.welcome, 'welcome after resume');
    expect((await postJson(`${nodes[1].http}/api/matchmake`, { resume: 'nope' }, friend.token)).status).toBe(404);
    kickEverywhere([host.id, friend.id]);
  });

  it('SSE resumes on a different node with Last-Event-ID: the missed match change and notification, nothing else', async () => {
    const me = await guest(nodes[0].http, 'Resumer');
    const ticket = async (node: Server) => (await postJson(`${node.http}/api/events/ticket`, {}, me.token)).body.ticket as string;
    const first = await SseClient.open(`${nodes[0].http}/api/events?ticket=${await ticket(nodes[0])}`);
    await first.waitFor(() => first.events.find((e) => e.event === 'snapshot'), 'snapshot');
    const opener0 = await guest(nodes[1].http, 'Before');
    const before = await matchmake(nodes[1].http, opener0.token);
    await first.waitFor(() => first.events.find((e) => e.event === 'match' && e.data.match?.id === before.matchId), 'a live match event');
    const lastId = first.lastId()!;
    first.close();

    // While disconnected: a new match appears elsewhere, and I am seated (a match_found notification).
    const opener = await guest(nodes[1].http, 'GapOpener');
    const other = await postJson(`${nodes[1].http}/api/matches`, { mode: 'arena' }, opener.token);
    const mm = await matchmake(nodes[2].http, me.token);
    const p = track(await PlayClient.connect(mm.url, me.token, mm.ticket));
    await p.waitFor(() => p.of(ServerType.Notification).find((n) => n.kind === 'match_found'), 'match_found on the play socket');

    const resumed = track(await SseClient.open(`${nodes[1].http}/api/events?ticket=${await ticket(nodes[1])}`, { 'last-event-id': lastId }));
    await resumed.waitFor(() => resumed.events.find((e) => e.event === 'notification' && e.data.kind === 'match_found'), 'missed notification');
    await resumed.waitFor(() => resumed.events.find((e) => e.event === 'match' && e.data.match?.id === other.body.matchId), 'missed match');
    expect(resumed.events.some((e) => e.event === 'snapshot' || e.event === 'reset')).toBe(false);
    const ids = resumed.events.map((e) => Number(e.id));
    expect(ids.every((id) => id > Number(lastId))).toBe(true);
    expect([...ids].sort((x, y) => x - y)).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);

    // An id the cluster never issued cannot be resumed from: a reset with the full list, not a silent gap.
    const bogus = track(await SseClient.open(`${nodes[2].http}/api/events?ticket=${await ticket(nodes[2])}`, { 'last-event-id': '999999999' }));
    const reset = await bogus.waitFor(() => bogus.events.find((e) => e.event === 'reset'), 'reset');
    expect(reset.data.matches.map((m: { id: string }) => m.id)).toContain(other.body.matchId);
    kickEverywhere([me.id, opener.id, opener0.id]);

    // More match changes than the log keeps (256) while away: part of the gap is gone, so a
    // resume gets a reset with the full list rather than a silent gap.
    const lastSeen = resumed.lastId()!;
    resumed.close();
    const crowd = await Promise.all(Array.from({ length: 150 }, (_, i) => guest(nodes[i % 3].http, `c${i}`)));
    await Promise.all(crowd.map((u, i) => matchmake(nodes[i % 3].http, u.token)));
    kickEverywhere(crowd.map((u) => u.id));
    const late = track(await SseClient.open(`${nodes[0].http}/api/events?ticket=${await ticket(nodes[0])}`, { 'last-event-id': lastSeen }));
    await late.waitFor(() => late.events.find((e) => e.event === 'reset'), 'reset after a trimmed gap');
    expect(late.events.some((e) => e.event === 'match' && Number(e.id) <= Number(lastSeen))).toBe(false);
  }, 30_000);

  it('/readyz is ready and metrics show Redis up', async () => {
    const r = await fetch(`${nodes[0].http}/readyz`);
    expect(r.status).toBe(200);
    const text = await fetch(`${nodes[0].http}/metrics`).then((x) => x.text());
    expect(text).toMatch(/^tickwire_redis_up 1$/m);
  });
});

describe('the fair-join rule across nodes', () => {
  it('quick play through another node skips a match with less than 30 s left', async () => {
    const clock = new ManualClock();
    // Its own Redis: a cluster of just these two nodes, on one manual match clock.
    const ownRedis = await RedisServer.start();
    const config = {
      redisUrl: ownRedis.url,
      minJoinTimeLeftMs: 30_000,
      idleTimeoutSeconds: 960,
      ticketTtlMs: 600_000,
      arena: { map: 'open', countdownSeconds: 0, minPlayers: 1, matchSeconds: 60 },
    };
    const pair: Server[] = [];
    try {
      pair.push(await startTestServer(config, { clock }), await startTestServer(config, { clock }));
      const early = await guest(pair[0].http, 'Early');
      const mm = await matchmake(pair[0].http, early.token);
      const p = track(await PlayClient.connect(mm.url, early.token, mm.ticket));
      await p.waitFor(() => p.welcome, 'welcome');
      const room = pair.find((n) => n.rooms.get(mm.matchId))!.rooms.get(mm.matchId)!;
      clock.advance(100);
      clock.advance(29_000); // ≈ 30.9 s left: still a fair join
      expect(room.msLeft).toBeGreaterThan(30_000);
      const onTime = await guest(pair[1].http, 'OnTime');
      expect((await matchmake(pair[1].http, onTime.token)).matchId).toBe(mm.matchId);

      clock.advance(1_500); // ≈ 29.4 s left
      expect(room.msLeft).toBeLessThan(30_000);
      expect(room.joinable).toBe(true);
      for (const node of pair) {
        const late = await guest(node.http, 'TooLate');
        expect((await matchmake(node.http, late.token)).matchId).not.toBe(mm.matchId);
      }
      // A resume still finds its seat.
      expect((await postJson(`${pair[1].http}/api/matchmake`, { resume: mm.matchId }, early.token)).status).toBe(200);
    } finally {
      for (const c of open.splice(0)) c.close();
      await Promise.allSettled(pair.map((n) => n.close()));
      await ownRedis.stop();
    }
  });
});
