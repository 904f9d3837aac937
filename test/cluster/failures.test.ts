/**
 * Issue #10's failure behaviour, each against real processes and a real redis-server:
 * Redis unreachable at start, Redis lost while running (and back, empty), a node killed
 * with SIGKILL, and a node draining.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from 'redis';
import WebSocket from 'ws';
import { ClientType, ServerType, SUBPROTOCOL } from '../../protocol/index.js';
import { guest, matchmake, postJson } from '../support/api.js';
import { CliProcess, killAllCli } from '../support/cliProcess.js';
import { PlayClient } from '../support/playClient.js';
import { freePort, RedisServer } from '../support/redisServer.js';
import { startTestServer, TEST_SECRET } from '../support/testServer.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;
let redis: RedisServer;
const servers: Server[] = [];
const open: Array<{ close(): void }> = [];

function track<T extends { close(): void }>(c: T): T {
  open.push(c);
  return c;
}

async function node(): Promise<Server> {
  const s = await startTestServer({ redisUrl: redis.url, lobbyOnlineIntervalMs: 50, arena: { map: 'open', countdownSeconds: 0, minPlayers: 2 } });
  servers.push(s);
  return s;
}

function upgradeStatus(url: string, token: string): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, [SUBPROTOCOL], { headers: { authorization: `Bearer ${token}` } });
    ws.once('unexpected-response', (_q, res) => resolve(res.statusCode ?? 0));
    ws.once('open', () => {
      ws.terminate();
      resolve(101);
    });
    ws.once('error', () => {});
  });
}

/**
 * Opens public matches through `base` until one lands on the node at `port` (least-loaded
 * placement alternates; a heartbeat landing between two placements can repeat a node).
 */
async function matchOn(base: string, port: number): Promise<{ user: { token: string; id: string }; body: any }> {
  for (let i = 0; i < 6; i++) {
    const user = await guest(base, `Opener${i}`);
    const r = await postJson(`${base}/api/matches`, { mode: 'arena' }, user.token);
    expect(r.status).toBe(201);
    if (r.body.url === `ws://127.0.0.1:${port}/play`) return { user, body: r.body };
  }
  throw new Error(`no match was placed on the node at port ${port}`);
}

async function listed(base: string): Promise<string[]> {
  const r = await fetch(`${base}/api/matches`);
  if (r.status !== 200) return [];
  return ((await r.json()) as { matches: Array<{ id: string }> }).matches.map((m) => m.id);
}

beforeAll(async () => {
  redis = await RedisServer.start();
});

afterEach(async () => {
  for (const c of open.splice(0)) c.close();
  killAllCli();
  await Promise.allSettled(servers.splice(0).map((s) => s.close()));
  // A test that stopped Redis and failed before restarting it must not break the next one.
  if (!redis.running) await redis.restart();
});

afterAll(async () => {
  killAllCli();
  await redis?.stop();
});

describe('Redis unreachable at start', () => {
  it('exits 1 with one line naming the URL and the fix', async () => {
    const port = await freePort();
    const proc = CliProcess.start(['serve', '--host', '127.0.0.1', '--port', '0', '--redis', `redis://ops:hunter2@127.0.0.1:${port}`], { TICKWIRE_JWT_SECRET: TEST_SECRET });
    expect((await proc.exitStatus()).code).toBe(1);
    const lines = proc.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^tickwire: cannot reach Redis at redis://ops:\\*\\*\\*@127\\.0\\.0\\.1:${port} .*start Redis or fix --redis`));
    expect(proc.stderr).not.toContain('hunter2');
  });
});

describe('Redis lost while running', () => {
  it('matches keep ticking; matchmaking, lists and lobby answer 503; readyz 503; metrics count it; Redis back → re-registered', async () => {
    const a = await node();
    const u = await guest(a.http, 'Stayer');
    const mm = await matchmake(a.http, u.token);
    const p = track(await PlayClient.connect(mm.url, u.token, mm.ticket));
    await p.waitFor(() => p.welcome, 'welcome');
    await expect.poll(() => listed(a.http)).toContain(mm.matchId);

    await redis.stop();
    await expect.poll(async () => (await fetch(`${a.http}/readyz`)).status).toBe(503);
    const ready = await (await fetch(`${a.http}/readyz`)).json();
    expect(ready).toMatchObject({ status: 'unavailable' });
    expect(ready.reason).toMatch(/^redis unavailable/);

    const other = await guest(a.http, 'Newcomer');
    const refused = await postJson(`${a.http}/api/matchmake`, { mode: 'arena' }, other.token);
    expect(refused.status).toBe(503);
    expect(refused.body.error).toMatch(/Redis is unreachable/);
    expect((await fetch(`${a.http}/api/matches`)).status).toBe(503);
    expect(await upgradeStatus(`${a.ws}/lobby`, other.token)).toBe(503);
    const streamTicket = (await postJson(`${a.http}/api/events/ticket`, {}, other.token)).body.ticket;
    const sse = await fetch(`${a.http}/api/events?ticket=${streamTicket}`);
    expect(sse.status).toBe(503);
    await sse.body?.cancel();

    // The running match still ticks and streams snapshots to its player.
    const before = p.of(ServerType.Snapshot).length;
    await p.waitFor(() => p.of(ServerType.Snapshot).length >= before + 10, 'snapshots during the outage');
    expect(p.closed).toBeNull();

    const metrics = await fetch(`${a.http}/metrics`).then((r) => r.text());
    expect(metrics).toMatch(/^tickwire_redis_up 0$/m);
    expect(Number(/^tickwire_redis_unavailable_total (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(2);
    expect(Number(/^tickwire_redis_errors_total (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(1);

    // Redis returns empty (a restart without persistence): the node registers itself and its match again.
    await redis.restart();
    await expect.poll(async () => (await fetch(`${a.http}/readyz`)).status, { timeout: 10_000 }).toBe(200);
    await expect.poll(() => listed(a.http), { timeout: 10_000 }).toContain(mm.matchId);
    // The seat is known again: quick play by the same player returns it, a newcomer joins the same match.
    expect((await matchmake(a.http, u.token)).matchId).toBe(mm.matchId);
    expect((await matchmake(a.http, other.token)).matchId).toBe(mm.matchId);
    expect(p.closed).toBeNull();
  }, 40_000);
});

describe('Redis restarted under two nodes', () => {
  it('subscriptions come back: lobby chat opened before the outage crosses nodes after it', async () => {
    const a = await node();
    const b = await node();
    const ua = await guest(a.http, 'Before');
    const ub = await guest(b.http, 'After');
    const la = track(await PlayClient.open(`${a.ws}/lobby`, ua.token));
    const lb = track(await PlayClient.open(`${b.ws}/lobby`, ub.token));
    await la.waitFor(() => la.of(ServerType.MatchList).length > 0, 'list on a');
    await lb.waitFor(() => lb.of(ServerType.MatchList).length > 0, 'list on b');

    await redis.restart();
    await expect.poll(async () => (await fetch(`${a.http}/readyz`)).status, { timeout: 10_000 }).toBe(200);
    await expect.poll(async () => (await fetch(`${b.http}/readyz`)).status, { timeout: 10_000 }).toBe(200);
    // Each says something until the other hears it (the subscriber may re-subscribe a moment after ready).
    let n = 0;
    await expect
      .poll(
        () => {
          lb.send({ type: ClientType.Chat, text: `hello again ${++n}` });
          return la.of(ServerType.Chat).some((c) => c.from === 'After');
        },
        { timeout: 10_000, interval: 300 },
      )
      .toBe(true);
  }, 30_000);
});

describe('a node killed with SIGKILL', () => {
  it('its matches leave the lists within the TTL, its players are cut off, and their quick play works at once elsewhere', async () => {
    const a = await node();
    const proc = CliProcess.start(['serve', '--host', '127.0.0.1', '--port', '0', '--redis', redis.url, '--log-level', 'info', '--bot-fill-delay', 'off'], { TICKWIRE_JWT_SECRET: TEST_SECRET });
    const bPort = await proc.port();
    await proc.waitForLog((l) => l.msg === 'cluster: node registered', 'registered');

    // A public match on b (asked through a).
    const onB = await matchOn(a.http, bPort);
    const victim = onB.user;
    const deadMatch = onB.body.matchId as string;
    const p = track(await PlayClient.connect(onB.body.url, victim.token, onB.body.ticket));
    await p.waitFor(() => p.welcome, 'welcome on node b');
    await expect.poll(() => listed(a.http)).toContain(deadMatch);
    // A lobby on the survivor counts the victim (connected to b) and itself.
    const watcher = await guest(a.http, 'Watcher');
    const lw = track(await PlayClient.open(`${a.ws}/lobby`, watcher.token));
    const online = () => lw.of(ServerType.LobbyState).at(-1)?.online;
    await lw.waitFor(() => online() === 2, 'online 2');

    const killedAt = Date.now();
    proc.signal('SIGKILL');
    await proc.exitStatus();
    expect((await p.waitForClose()).code).toBe(1006);
    // Registry clean within the TTL (6 s) plus one heartbeat of the survivor (2 s).
    await expect.poll(() => listed(a.http), { timeout: 9000, interval: 200 }).not.toContain(deadMatch);
    expect(Date.now() - killedAt).toBeLessThan(8500);
    // …and the dead node's users leave the online count with it.
    await lw.waitFor(() => online() === 1, 'online 1', 5000);

    const again = await matchmake(a.http, victim.token);
    expect(again.matchId).not.toBe(deadMatch);
    expect(again.url).toBe(`${a.ws}/play`);
    const resumed = await postJson(`${a.http}/api/matchmake`, { resume: deadMatch }, victim.token);
    expect(resumed.status).toBe(404);
  }, 30_000);

  it('a player retrying before the TTL ran out is placed on a live node at once', async () => {
    const a = await node();
    const proc = CliProcess.start(['serve', '--host', '127.0.0.1', '--port', '0', '--redis', redis.url, '--log-level', 'info'], { TICKWIRE_JWT_SECRET: TEST_SECRET });
    const bPort = await proc.port();
    await proc.waitForLog((l) => l.msg === 'cluster: node registered', 'registered');
    const onB = await matchOn(a.http, bPort);

    proc.signal('SIGKILL');
    await proc.exitStatus();
    // Await Redis noticing the dead node's connections (its channel has no listener left).
    const probe = createClient({ url: redis.url });
    await probe.connect();
    try {
      await expect.poll(async () => ((await probe.sendCommand(['PUBSUB', 'CHANNELS', 'tw:rpc:*'])) as string[]).length).toBe(1);
    } finally {
      await probe.close();
    }
    const again = await matchmake(a.http, onB.user.token);
    expect(again.url).toBe(`${a.ws}/play`);
    expect(again.matchId).not.toBe(onB.body.matchId);
  }, 30_000);
});

describe('draining one node', () => {
  it('places no new match there; its players keep playing; the other node takes new ones', async () => {
    const a = await node();
    const b = await node();
    const u = await guest(a.http, 'Early');
    const mm = await matchmake(a.http, u.token);
    const owner = a.rooms.get(mm.matchId) ? a : b;
    const other = owner === a ? b : a;
    const p = track(await PlayClient.connect(mm.url, u.token, mm.ticket));
    await p.waitFor(() => p.welcome, 'welcome');

    void owner.drain(60_000);
    await p.waitFor(() => p.of(ServerType.Notice).find((n) => n.kind === 'draining'), 'draining notice');
    // New players (asked on either node) go to matches on the other node.
    const late = await Promise.all([guest(owner.http, 'Late1'), guest(other.http, 'Late2')]);
    const placed = await Promise.all([matchmake(owner.http, late[0].token), matchmake(other.http, late[1].token)]);
    for (const r of placed) {
      expect(r.matchId).not.toBe(mm.matchId);
      expect(r.url).toBe(`${other.ws}/play`);
    }
    // The early player still holds their seat on the draining node.
    expect((await matchmake(other.http, u.token)).matchId).toBe(mm.matchId);
    expect(p.closed).toBeNull();
  }, 30_000);
});
