/**
 * Operating a server, in process: /healthz and /readyz bodies, /metrics as Prometheus text
 * whose counters move while a match is played, the admin match overview, and a drain
 * (readiness 503, players told, new players refused, late joiners told, deadline results).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Buttons, CloseCode, Header, Phase, ServerType } from '../../protocol/index.js';
import { mintAdminToken } from '../../server/auth/tokens.js';
import { guest, matchmake, postJson } from '../support/api.js';
import { PlayClient } from '../support/playClient.js';
import { parsePrometheus, type Exposition } from '../support/prometheus.js';
import { startTestServer } from '../support/testServer.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;

const ADMIN_SECRET = 'admin-secret-for-tests-0123';
const ARENA = { map: 'open', countdownSeconds: 0, minPlayers: 2, matchSeconds: 600 };

const servers: Server[] = [];
const clients: PlayClient[] = [];

async function server(overrides: Parameters<typeof startTestServer>[0] = {}): Promise<Server> {
  const s = await startTestServer({ arena: ARENA, ...overrides });
  servers.push(s);
  return s;
}

async function player(s: Server, name: string) {
  const { token, id } = await guest(s.http, name);
  const mm = await matchmake(s.http, token);
  const client = await PlayClient.connect(mm.url, token, mm.ticket);
  clients.push(client);
  return { client, token, id, mm };
}

const playing = (c: PlayClient) => c.waitFor(() => c.snapshot?.header[Header.Phase] === Phase.Playing, 'phase playing');

async function getJson(url: string, token?: string): Promise<{ status: number; body: any }> {
  const res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.status, body: await res.json() };
}

async function metrics(s: Server): Promise<Exposition> {
  const res = await fetch(`${s.http}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheus(await res.text());
}

/** Polls /metrics until `pred` holds (the server applies inputs on its own ticks). */
async function metricsWhen(s: Server, pred: (m: Exposition) => boolean, what: string): Promise<Exposition> {
  for (let i = 0; i < 200; i++) {
    const m = await metrics(s);
    if (pred(m)) return m;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for metrics: ${what}`);
}

afterEach(() => {
  for (const c of clients.splice(0)) c.close();
});

afterAll(async () => {
  for (const s of servers.splice(0)) await s.close();
});

describe('health endpoints', () => {
  let s: Server;
  beforeAll(async () => {
    s = await server();
  });

  it('/healthz reports a live event loop', async () => {
    const r = await getJson(`${s.http}/healthz`);
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('ok');
    expect(typeof r.body.eventLoopLagMs).toBe('number');
  });

  it('/readyz is ready with room for matches', async () => {
    const r = await getJson(`${s.http}/readyz`);
    const free = s.config.maxMatches * s.config.maxPlayersPerMatch;
    expect(r).toEqual({ status: 200, body: { status: 'ready', matches: 0, maxMatches: s.config.maxMatches, seats: { reserved: 0, seated: 0, free } } });
  });

  it('admin endpoints say how to enable them when no admin secret is set', async () => {
    const r = await getJson(`${s.http}/api/admin/matches`, mintAdminToken(ADMIN_SECRET, 'ops', 60));
    expect(r.status).toBe(403);
    expect(r.body.error).toMatch(/--admin-secret/);
  });
});

describe('/metrics', () => {
  it('parses as Prometheus text and its counters move as a match is played', async () => {
    const s = await server();
    const before = await metrics(s);
    expect(before.types.get('tickwire_players_joined_total')).toBe('counter');
    expect(before.has('process_cpu_user_seconds_total')).toBe(true); // Node default metrics
    expect(before.has('nodejs_eventloop_lag_seconds')).toBe(true);
    expect(before.sum('tickwire_draining')).toBe(0);

    const a = await player(s, 'Ada');
    const b = await player(s, 'Bob');
    await playing(a.client);
    for (let i = 0; i < 10; i++) {
      a.client.input(Buttons.Right);
      b.client.input(Buttons.Left);
    }
    const joined0 = before.sum('tickwire_players_joined_total');
    const inputs0 = before.sum('tickwire_inputs_applied_total');
    const after = await metricsWhen(s, (m) => m.sum('tickwire_inputs_applied_total') >= inputs0 + 20, '20 inputs applied');
    expect(after.sum('tickwire_players_joined_total')).toBe(joined0 + 2);
    expect(after.sum('tickwire_players')).toBe(2);
    expect(after.sum('tickwire_matches', { phase: 'playing' })).toBe(1);
    expect(after.sum('tickwire_connections', { namespace: 'play' })).toBe(2);
    expect(after.sum('tickwire_frames_in_total', { namespace: 'play' })).toBeGreaterThanOrEqual(before.sum('tickwire_frames_in_total', { namespace: 'play' }) + 20);
    expect(after.sum('tickwire_bytes_out_total')).toBeGreaterThan(before.sum('tickwire_bytes_out_total'));
    expect(after.sum('tickwire_tick_duration_ms_count')).toBeGreaterThan(before.sum('tickwire_tick_duration_ms_count'));
    // Every tick's lateness is observed twice: in full, and the wake-up's share of it.
    expect(after.types.get('tickwire_tick_wake_lateness_ms')).toBe('histogram');
    expect(after.sum('tickwire_tick_wake_lateness_ms_count')).toBe(after.sum('tickwire_tick_lateness_ms_count'));
    expect(after.sum('tickwire_tick_wake_lateness_ms_sum')).toBeLessThanOrEqual(after.sum('tickwire_tick_lateness_ms_sum') + 1e-9);
    // Wake-ups by source, documented in docs/hosting.md: the timer ran the ticks of this quiet server.
    expect(after.types.get('tickwire_tick_wakeups_total')).toBe('counter');
    expect(after.sum('tickwire_tick_wakeups_total', { source: 'timer' })).toBeGreaterThan(0);
    expect(after.sum('tickwire_tick_wakeups_total', { source: 'io' })).toBeGreaterThanOrEqual(0);
  });

  it('rejects malformed exposition text (the parser is strict)', () => {
    expect(() => parsePrometheus('tickwire_x{a="1"} 1\n')).not.toThrow();
    expect(() => parsePrometheus('tickwire-x 1\n')).toThrow(/not a sample/);
    expect(() => parsePrometheus('tickwire_x\n')).toThrow(/not a sample/);
    expect(() => parsePrometheus('tickwire_x{a=1} 1\n')).toThrow(/not a sample/);
    expect(() => parsePrometheus('tickwire_x 1.2.3\n')).toThrow(/bad sample value/);
    expect(() => parsePrometheus('# TYPE tickwire_x countr\n')).toThrow(/unknown type/);
  });
});

describe('GET /api/admin/matches', () => {
  it('lists matches with players, scores and phase for admin tokens only', async () => {
    const s = await server({ adminSecret: ADMIN_SECRET });
    const a = await player(s, 'Ada');
    const b = await player(s, 'Bob');
    await playing(a.client);
    expect((await getJson(`${s.http}/api/admin/matches`)).status).toBe(401);
    expect((await getJson(`${s.http}/api/admin/matches`, 'garbage')).status).toBe(401);
    const asPlayer = await getJson(`${s.http}/api/admin/matches`, a.token);
    expect(asPlayer.status).toBe(403);
    expect(asPlayer.body.error).toMatch(/admin token required/);
    expect((await getJson(`${s.http}/api/admin/matches`, mintAdminToken('some-other-admin-secret', 'ops', 60))).status).toBe(401);

    const r = await getJson(`${s.http}/api/admin/matches`, mintAdminToken(ADMIN_SECRET, 'ops', 60));
    expect(r.status).toBe(200);
    expect(r.body.draining).toBe(false);
    expect(r.body.matches).toHaveLength(1);
    const m = r.body.matches[0];
    expect(m).toMatchObject({ id: a.mm.matchId, mode: 'arena', phase: 'playing', maxPlayers: 8, bots: 0 });
    expect(m.tick).toBeGreaterThan(0);
    expect(m.players.map((p: any) => [p.userId, p.name, p.status]).sort()).toEqual([
      [a.id, 'Ada', 'connected'],
      [b.id, 'Bob', 'connected'],
    ].sort());
    expect(m.scores.map((x: any) => x.name).sort()).toEqual(['Ada', 'Bob']);
    expect(m.scores[0]).toEqual(expect.objectContaining({ score: 0, deaths: 0, bot: false }));
  });
});

describe('drain', () => {
  it('readyz 503, players told, new players refused, late joiners and reconnects told, deadline ends with results', async () => {
    const s = await server({ adminSecret: ADMIN_SECRET });
    const a = await player(s, 'Ada');
    const b = await player(s, 'Bob');
    await playing(a.client);
    // Carol got a ticket before the drain and connects during it.
    const carol = await guest(s.http, 'Carol');
    const carolTicket = await matchmake(s.http, carol.token);
    const lobbyWatcher = await PlayClient.open(`${s.ws}/lobby`, (await guest(s.http, 'Eve')).token);
    clients.push(lobbyWatcher);
    await lobbyWatcher.waitFor(() => lobbyWatcher.of(ServerType.MatchList).length > 0, 'lobby ready');

    const done = s.drain(60_000);
    expect(s.draining).toBe(true);
    const ready = await getJson(`${s.http}/readyz`);
    expect(ready.status).toBe(503);
    expect(ready.body).toMatchObject({ status: 'draining', matches: 1 });
    expect((await getJson(`${s.http}/healthz`)).status).toBe(200);

    for (const c of [a.client, b.client]) {
      const notice = await c.waitFor(() => c.of(ServerType.Notice).find((n) => n.kind === 'draining'), 'draining notice');
      expect(notice.text).toMatch(/shutting down/);
    }
    await lobbyWatcher.waitFor(() => lobbyWatcher.of(ServerType.Notice).find((n) => n.kind === 'draining'), 'draining notice in the lobby');
    // A spectator arriving during the drain is told as well.
    const viewer = await PlayClient.open(`${s.ws}/spectate?match=${a.mm.matchId}`, (await guest(s.http, 'Vic')).token);
    clients.push(viewer);
    await viewer.waitFor(() => viewer.of(ServerType.Notice).find((n) => n.kind === 'draining'), 'draining notice for a spectator');
    const tickAtNotice = a.client.snapshot!.tick;
    await a.client.waitFor(() => a.client.snapshot!.tick >= tickAtNotice + 10, 'the match to keep ticking');

    const dave = await guest(s.http, 'Dave');
    const refused = await postJson(`${s.http}/api/matchmake`, { mode: 'arena' }, dave.token);
    expect(refused).toEqual({ status: 503, body: { error: 'server draining: no new matches' } });

    const late = await PlayClient.connect(carolTicket.url, carol.token, carolTicket.ticket);
    clients.push(late);
    await late.waitFor(() => late.of(ServerType.Notice).find((n) => n.kind === 'draining'), 'notice for the late joiner');
    expect(late.messages.findIndex((m) => m.type === ServerType.Welcome)).toBeLessThan(late.messages.findIndex((m) => m.type === ServerType.Notice));

    // Bob's connection drops; he holds a seat, so he may come back and is told again.
    b.client.close();
    const again = await matchmake(s.http, b.token);
    expect(again.matchId).toBe(a.mm.matchId);
    const bob2 = await PlayClient.connect(again.url, b.token, again.ticket);
    clients.push(bob2);
    await bob2.waitFor(() => bob2.of(ServerType.Notice).length > 0, 'notice after reconnecting');

    const overview = await getJson(`${s.http}/api/admin/matches`, mintAdminToken(ADMIN_SECRET, 'ops', 60));
    expect(overview.body.draining).toBe(true);
    expect(overview.body.drainMsLeft).toBeGreaterThan(50_000);
    expect((await metrics(s)).sum('tickwire_draining')).toBe(1);

    // The deadline (brought forward, as a second signal does): results, then 4012.
    void s.drain(0);
    const report = await done;
    expect(report).toMatchObject({ matchesAtStart: 1, endedAtDeadline: 1 });
    for (const c of [a.client, late, bob2]) {
      const closed = await c.waitForClose();
      expect(closed.code).toBe(CloseCode.ServerDraining);
      const results = c.of(ServerType.Results);
      expect(results).toHaveLength(1);
      expect(results[0].reason).toBe('draining');
      expect(results[0].players.map((p) => p.name).sort()).toEqual(['Ada', 'Bob', 'Carol']);
    }
    expect(s.rooms.size).toBe(0);
  });
});

describe('RS256 mode', () => {
  it('has no guest endpoint unless guests are allowed', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
    const s = await server({ jwtPublicKey: publicKey, allowGuest: false });
    const r = await postJson(`${s.http}/api/auth/guest`, { name: 'Gus' });
    expect(r.status).toBe(404);
    expect(r.body.error).toMatch(/guest sign-in is disabled/);
    const open = await server({ jwtPublicKey: publicKey, allowGuest: true });
    expect((await postJson(`${open.http}/api/auth/guest`, { name: 'Gus' })).status).toBe(200);
  });
});
