/**
 * The foundation end to end against a real server: auth → matchmake → WebSocket → welcome →
 * snapshots, movement, a kill, and the upgrade refusals.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import jwt from 'jsonwebtoken';
import {
  Buttons,
  ClientType,
  CloseCode,
  EventKind,
  Header,
  Phase,
  PlayerField,
  PLAYER_SPEED,
  POSITION_SCALE,
  ServerType,
  Tables,
  quantizeAngle,
  SUBPROTOCOL,
} from '../../protocol/index.js';
import { guest, matchmake, postJson } from '../support/api.js';
import { ManualClock } from '../../server/clock.js';
import { PlayClient } from '../support/playClient.js';
import { startTestServer, TEST_SECRET } from '../support/testServer.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;

let server: Server;
const clients: PlayClient[] = [];

async function join(name: string): Promise<{ client: PlayClient; token: string; mm: Awaited<ReturnType<typeof matchmake>> }> {
  const { token } = await guest(server.http, name);
  const mm = await matchmake(server.http, token);
  const client = await PlayClient.connect(mm.url, token, mm.ticket);
  clients.push(client);
  return { client, token, mm };
}

function me(c: PlayClient): number[] | undefined {
  return c.snapshot?.tables[Tables.Players].rows.get(c.welcome!.playerId);
}

beforeAll(async () => {
  server = await startTestServer({
    arena: { map: 'open', countdownSeconds: 0, spawnProtectionSeconds: 0, minPlayers: 2 },
  });
});

afterEach(() => {
  for (const c of clients.splice(0)) c.close();
});

afterAll(async () => {
  await server?.close();
});

describe('auth and matchmaking', () => {
  it('issues a guest token and refuses bad names', async () => {
    const ok = await postJson(`${server.http}/api/auth/guest`, { name: '  Alice  ' });
    expect(ok.status).toBe(200);
    expect(ok.body.player.name).toBe('Alice');
    const claims = jwt.verify(ok.body.token, TEST_SECRET, { algorithms: ['HS256'] }) as jwt.JwtPayload;
    expect(claims.sub).toBe(ok.body.player.id);
    for (const name of ['', '   ', 'x'.repeat(17), 'bad\nname', 42]) {
      const r = await postJson(`${server.http}/api/auth/guest`, { name });
      expect(r.status, JSON.stringify(name)).toBe(400);
      expect(r.body.error).toMatch(/name/);
    }
    const notJson = await fetch(`${server.http}/api/auth/guest`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{nope' });
    expect(notJson.status).toBe(400);
    const notJsonType = await fetch(`${server.http}/api/auth/guest`, { method: 'POST', body: '{"name":"Ada"}' });
    expect(notJsonType.status).toBe(415);
  });

  it('requires a bearer token to matchmake', async () => {
    expect((await postJson(`${server.http}/api/matchmake`, { mode: 'arena' })).status).toBe(401);
    expect((await postJson(`${server.http}/api/matchmake`, { mode: 'arena' }, 'garbage')).status).toBe(401);
    const { token } = await guest(server.http, 'Mode');
    expect((await postJson(`${server.http}/api/matchmake`, { mode: 'nope' }, token)).status).toBe(400);
  });
});

describe('a match over WebSocket', () => {
  it('welcomes the player and streams snapshots at the configured rate', async () => {
    const { client, mm } = await join('Walker');
    const welcome = await client.waitFor(() => client.welcome, 'welcome');
    expect(welcome.matchId).toBe(mm.matchId);
    expect(welcome.config.tickRate).toBe(30);
    expect(welcome.config.snapshotRate).toBe(15);
    expect(welcome.config.map.width).toBeGreaterThan(0);
    await client.waitFor(() => client.snapshots.length >= 6, '6 snapshots');
    // The first snapshot is a keyframe; then one every 2 ticks (30 Hz / 15 Hz), no gaps.
    const deltas = client.of(ServerType.Snapshot).map((m) => m.delta);
    expect(deltas[0].baselineTick).toBe(0);
    for (let i = 1; i < deltas.length; i++) {
      expect(deltas[i].baselineTick).toBe(deltas[i - 1].tick);
      expect(deltas[i].tick - deltas[i - 1].tick).toBe(2);
    }
    expect(me(client)).toBeDefined();
    expect(client.decodeErrors).toEqual([]);
  });

  it('moves the player up by speed × dt per held-W input', async () => {
    const { client } = await join('Mover');
    await client.waitFor(() => me(client), 'own entity');
    const y0 = me(client)![PlayerField.Y];
    const n = 15;
    let last = 0;
    for (let i = 0; i < n; i++) last = client.input(Buttons.Up);
    await client.waitFor(() => client.ack === last, 'all inputs applied');
    const moved = (y0 - me(client)![PlayerField.Y]) / POSITION_SCALE;
    // Each input moves 220/30 ≈ 7.33 units, snapped to 1/16 after every step.
    expect(moved).toBeGreaterThan(n * (PLAYER_SPEED / 30) - n / 32);
    expect(moved).toBeLessThan(n * (PLAYER_SPEED / 30) + n / 32);
    expect(me(client)![PlayerField.X]).toBeDefined();
  });

  it('answers ping at once with the echoed time', async () => {
    const { client } = await join('Pinger');
    await client.waitFor(() => client.welcome, 'welcome');
    client.send({ type: ClientType.Ping, t: 123.5 });
    const pong = await client.waitFor(() => client.of(ServerType.Pong)[0], 'pong');
    expect(pong.t).toBe(123.5);
    expect(pong.serverTime).toBeGreaterThan(1.6e12);
    // Back to back, so uWS likely handles them in one read: the socket path writes every
    // Pong into one reused buffer, and uWS must have copied each before the next overwrote it.
    for (const t of [7, 70_000.25, 2 ** 40]) client.send({ type: ClientType.Ping, t });
    await client.waitFor(() => client.of(ServerType.Pong).length === 4, 'three more pongs');
    expect(client.of(ServerType.Pong).map((m) => m.t)).toEqual([123.5, 7, 70_000.25, 2 ** 40]);
  });

  it('a scripted shot kills the target and the score changes', async () => {
    const a = await join('Shooter');
    const b = await join('Target');
    expect(b.mm.matchId).toBe(a.mm.matchId); // quick play fills the fullest match
    const shooter = a.client;
    const target = b.client;
    await shooter.waitFor(() => shooter.snapshot?.header[Header.Phase] === Phase.Playing && me(shooter) && shooter.snapshot.tables[Tables.Players].rows.get(target.welcome?.playerId ?? -1), 'both players, playing');
    const targetId = target.welcome!.playerId;
    const shooterId = shooter.welcome!.playerId;
    const kill = shooter.waitFor(
      () => shooter.of(ServerType.Snapshot).flatMap((s) => s.events).flatMap((g) => g.events).find((ev) => ev[0] === EventKind.Kill && ev[1] === shooterId && ev[2] === targetId),
      'kill event',
      15000,
    );
    // Aim at the target every tick and hold fire until the kill arrives.
    const timer = setInterval(() => {
      const s = shooter.snapshot!.tables[Tables.Players].rows;
      const mine = s.get(shooterId)!;
      const theirs = s.get(targetId)!;
      const dx = theirs[PlayerField.X] - mine[PlayerField.X];
      const dy = theirs[PlayerField.Y] - mine[PlayerField.Y];
      // Walk into range first (projectiles fly ~600 units), firing all the while.
      let buttons: number = Buttons.Fire;
      if (Math.abs(dx) > 300 * POSITION_SCALE) buttons |= dx > 0 ? Buttons.Right : Buttons.Left;
      if (Math.abs(dy) > 300 * POSITION_SCALE) buttons |= dy > 0 ? Buttons.Down : Buttons.Up;
      shooter.input(buttons, quantizeAngle(Math.atan2(dy, dx)));
    }, 1000 / 30);
    try {
      await kill;
    } finally {
      clearInterval(timer);
    }
    await shooter.waitFor(() => me(shooter)![PlayerField.Score] === 1, 'score 1');
    await target.waitFor(() => target.snapshot!.tables[Tables.Players].rows.get(targetId)![PlayerField.Deaths] === 1, 'target death counted');
  });
});

describe('upgrade refusals happen before the upgrade', () => {
  async function refused(url: string, protocols: string[], headers: Record<string, string>): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, protocols, { headers });
      ws.once('open', () => {
        ws.terminate();
        reject(new Error('upgrade unexpectedly accepted'));
      });
      ws.once('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      ws.once('error', () => {});
    });
  }

  it('refuses a missing, bad or expired JWT with 401', async () => {
    const { token } = await guest(server.http, 'Ref');
    const mm = await matchmake(server.http, token);
    const url = `${mm.url}?ticket=${mm.ticket}`;
    expect((await refused(url, [SUBPROTOCOL], {})).status).toBe(401);
    expect((await refused(url, [SUBPROTOCOL], { authorization: 'Bearer not.a.jwt' })).status).toBe(401);
    const other = jwt.sign({ name: 'Ref' }, 'some-other-secret-123456', { algorithm: 'HS256', subject: 'x', expiresIn: 60 });
    expect((await refused(url, [SUBPROTOCOL], { authorization: `Bearer ${other}` })).status).toBe(401);
    const expired = jwt.sign({ name: 'Ref', exp: Math.floor(Date.now() / 1000) - 10 }, TEST_SECRET, { algorithm: 'HS256', subject: 'x' });
    const r = await refused(url, [SUBPROTOCOL], { authorization: `Bearer ${expired}` });
    expect(r.status).toBe(401);
    expect(r.body).toMatch(/expired/);
    const none = jwt.sign({ name: 'Ref' }, '', { algorithm: 'none', subject: 'x' } as jwt.SignOptions);
    expect((await refused(url, [SUBPROTOCOL], { authorization: `Bearer ${none}` })).status).toBe(401);
    // None of these burned the ticket: its owner still gets in.
    const ok = await PlayClient.connect(mm.url, token, mm.ticket);
    clients.push(ok);
    await ok.waitFor(() => ok.welcome, 'welcome');
  });

  it('refuses a wrong subprotocol with a body naming the server version', async () => {
    const { token } = await guest(server.http, 'Proto');
    const mm = await matchmake(server.http, token);
    const r = await refused(`${mm.url}?ticket=${mm.ticket}`, ['tickwire.v0'], { authorization: `Bearer ${token}` });
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body).serverProtocol).toBe(SUBPROTOCOL);
  });

  it('refuses a reused, unknown or foreign ticket with 403', async () => {
    const a = await guest(server.http, 'Owner');
    const b = await guest(server.http, 'Thief');
    const mm = await matchmake(server.http, a.token);
    const foreign = await refused(`${mm.url}?ticket=${mm.ticket}`, [SUBPROTOCOL], { authorization: `Bearer ${b.token}` });
    expect(foreign.status).toBe(403);
    expect(foreign.body).toMatch(/another user/);
    const first = await PlayClient.connect(mm.url, a.token, mm.ticket);
    clients.push(first);
    const reused = await refused(`${mm.url}?ticket=${mm.ticket}`, [SUBPROTOCOL], { authorization: `Bearer ${a.token}` });
    expect(reused.status).toBe(403);
    expect((await refused(`${mm.url}?ticket=nope`, [SUBPROTOCOL], { authorization: `Bearer ${a.token}` })).status).toBe(403);
    expect((await refused(`${mm.url}`, [SUBPROTOCOL], { authorization: `Bearer ${a.token}` })).status).toBe(403);
  });

  it('accepts the JWT as a bearer.<jwt> subprotocol entry (browsers)', async () => {
    const { token } = await guest(server.http, 'Browser');
    const mm = await matchmake(server.http, token);
    const ws = new WebSocket(`${mm.url}?ticket=${mm.ticket}`, [SUBPROTOCOL, `bearer.${token}`]);
    const protocol = await new Promise<string>((resolve, reject) => {
      ws.once('open', () => resolve(ws.protocol));
      ws.once('unexpected-response', (_q, res) => reject(new Error(`refused ${res.statusCode}`)));
    });
    expect(protocol).toBe(SUBPROTOCOL);
    ws.terminate();
  });
});

describe('hostile frames', () => {
  it('a malformed frame closes only that socket; the others keep receiving snapshots', async () => {
    const good = await join('Good');
    const bad = await join('Bad');
    expect(bad.mm.matchId).toBe(good.mm.matchId);
    await bad.client.waitFor(() => bad.client.snapshot, 'bad client snapshot');
    bad.client.sendRaw(new Uint8Array([0x93, 0x01, 0xc1, 0x00])); // 0xc1 is never valid msgpack
    const closed = await bad.client.waitForClose();
    expect(closed.code).toBe(CloseCode.MalformedFrame);
    expect(closed.reason).toMatch(/malformed/);
    const before = good.client.snapshots.length;
    await good.client.waitFor(() => good.client.snapshots.length >= before + 3, 'snapshots keep coming');
    expect(good.client.closed).toBeNull();
    expect(good.client.decodeErrors).toEqual([]);
  });

  it('closes with distinct codes for text frames, oversize frames and input floods', async () => {
    const text = await join('Text');
    await text.client.waitFor(() => text.client.welcome, 'welcome');
    text.client.sendRaw('hello');
    expect((await text.client.waitForClose()).code).toBe(CloseCode.MalformedFrame);

    const big = await join('Big');
    await big.client.waitFor(() => big.client.welcome, 'welcome');
    big.client.sendRaw(new Uint8Array(2000));
    expect((await big.client.waitForClose()).code).toBe(CloseCode.FrameTooLarge);

    const flood = await join('Flood');
    await flood.client.waitFor(() => flood.client.welcome, 'welcome');
    // More than the 5 s burst allowance (300 at 60/s) at once: no stall explains that.
    for (let i = 0; i < 400; i++) flood.client.input(0);
    expect((await flood.client.waitForClose()).code).toBe(CloseCode.RateLimited);

    const wrongField = await join('Field');
    await wrongField.client.waitFor(() => wrongField.client.welcome, 'welcome');
    wrongField.client.sendRaw(new Uint8Array([0x95, 0x01, 0x01, 0xcc, 0xff, 0x00, 0x00])); // buttons=255
    const c = await wrongField.client.waitForClose();
    expect(c.code).toBe(CloseCode.MalformedFrame);
    expect(c.reason).toMatch(/buttons/);

    const text2 = await server.metrics.text();
    expect(text2).toMatch(/tickwire_bad_frames_total\{reason="4009"\} [1-9]/);
    expect(text2).toMatch(/tickwire_bad_frames_total\{reason="4008"\} 1/);
  });
});

describe('idle timeout', () => {
  it('closes a player that sent nothing for the idle timeout with 4017, and keeps their seat', async () => {
    const clock = new ManualClock();
    const s = await startTestServer({ idleTimeoutSeconds: 8 }, { clock });
    let client: PlayClient | null = null;
    try {
      const { token, id } = await guest(s.http, 'Quiet');
      const mm = await matchmake(s.http, token);
      client = await PlayClient.connect(mm.url, token, mm.ticket);
      const c = client;
      await c.waitFor(() => c.welcome, 'welcome');
      clock.advance(4000);
      c.send({ type: ClientType.Ping, t: 1 });
      await c.waitFor(() => c.of(ServerType.Pong).length === 1, 'pong');
      clock.advance(7000); // 7 s since the last frame: still fine
      expect(c.closed).toBeNull();
      clock.advance(4000); // 11 s since the last frame
      const closed = await c.waitForClose();
      expect(closed.code).toBe(CloseCode.IdleTimeout);
      expect(s.rooms.get(mm.matchId)?.seatOf(id)?.status).toBe('disconnected');
    } finally {
      client?.close();
      await s.close();
    }
  });
});
