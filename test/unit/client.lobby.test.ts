/**
 * The client's lobby logic without a browser: the live match list (Full/Upsert/Remove), the
 * toast queue and invite toasts, the spectator camera, the lobby connection's reconnection
 * and token check (scripted WebSocket, manual clock), and a spectator session that must
 * never send an input.
 */
import { describe, expect, it } from 'vitest';
import {
  ARENA_SCHEMA,
  Buttons,
  ClientType,
  CloseCode,
  MatchListOp,
  Phase,
  PlayerFlags,
  ServerType,
  decodeClient,
  diffSnapshot,
  encodeServer,
  quantizePosition,
  type MatchListEntry,
  type SnapshotState,
} from '../../protocol/index.js';
import { Connection } from '../../client/index.js';
import { LobbyConnection } from '../../client/index.js';
import { MatchListState } from '../../client/index.js';
import { GameSession } from '../../game-client/netcode/session.js';
import { PAN_SPEED, SpectatorCamera } from '../../game-client/render/spectatorCamera.js';
import { cleanJoinCode } from '../../game-client/ui/lobbyPanel.js';
import { spectatorOrder } from '../../game-client/ui/spectatorPanel.js';
import { ACTION_TTL_MS, PLAIN_TTL_MS, ToastQueue, toastForNotification } from '../../game-client/ui/toastQueue.js';
import { FakeSocket, ManualTimers, settle } from '../support/fakeSocket.js';

const entry = (id: string, players: number, extra: Partial<MatchListEntry> = {}): MatchListEntry => ({
  id,
  mode: 'arena',
  phase: 'playing',
  players,
  bots: 8 - players,
  max: 8,
  spectators: 0,
  ...extra,
});

describe('match list state', () => {
  it('Full replaces, Upsert adds and updates, Remove drops; ordered by humans then id', () => {
    const s = new MatchListState();
    expect(s.synced).toBe(false);
    s.apply({ op: MatchListOp.Upsert, matches: [entry('early', 1)], removed: [] });
    s.apply({ op: MatchListOp.Full, matches: [entry('b', 2), entry('a', 2), entry('c', 5)], removed: [] });
    expect(s.synced).toBe(true);
    // Full is the truth: an entry seen only before it is gone.
    expect(s.list().map((m) => m.id)).toEqual(['c', 'a', 'b']);
    s.apply({ op: MatchListOp.Upsert, matches: [entry('a', 6, { spectators: 2 }), entry('d', 1)], removed: [] });
    expect(s.list().map((m) => `${m.id}:${m.players}`)).toEqual(['a:6', 'c:5', 'b:2', 'd:1']);
    expect(s.get('a')?.spectators).toBe(2);
    s.apply({ op: MatchListOp.Remove, matches: [], removed: ['c', 'nope'] });
    expect(s.list().map((m) => m.id)).toEqual(['a', 'b', 'd']);
    s.apply({ op: MatchListOp.Full, matches: [], removed: [] });
    expect(s.size).toBe(0);
  });

  it('keeps its own copies (a later message cannot mutate an earlier entry)', () => {
    const s = new MatchListState();
    const m = entry('x', 1);
    s.apply({ op: MatchListOp.Full, matches: [m], removed: [] });
    m.players = 7;
    expect(s.get('x')?.players).toBe(1);
  });
});

describe('toasts', () => {
  it('expire by their own time, show the newest few, and dismiss by id', () => {
    const q = new ToastQueue({ maxVisible: 2, maxKept: 3 });
    const a = q.push({ kind: 'info', text: 'a' }, 0);
    const b = q.push({ kind: 'invite', text: 'b', actionLabel: 'Join' }, 100);
    q.push({ kind: 'info', text: 'c' }, 200);
    expect(a.expiresAt).toBe(PLAIN_TTL_MS);
    expect(b.expiresAt).toBe(100 + ACTION_TTL_MS);
    expect(q.visible().map((t) => t.text)).toEqual(['b', 'c']);
    q.push({ kind: 'info', text: 'd' }, 300);
    expect(q.size).toBe(3); // 'a' was the oldest kept
    expect(q.expire(PLAIN_TTL_MS + 250)).toBe(true); // 'c' (200 + 6000) is gone, 'd' stays
    expect(q.visible().map((t) => t.text)).toEqual(['b', 'd']);
    expect(q.dismiss(b.id)).toBe(true);
    expect(q.dismiss(b.id)).toBe(false);
    expect(q.visible().map((t) => t.text)).toEqual(['d']);
    expect(q.expire(PLAIN_TTL_MS + 250)).toBe(false);
  });

  it('an invite becomes a Join toast keyed by its code; the same notification twice shows once', () => {
    const invite = { kind: 'invite', text: 'Ada invites you (code ABCDEF)', data: { code: 'ABCDEF', matchId: 'm1', from: 'Ada', fromId: 'g_1' } };
    const t = toastForNotification(invite);
    expect(t).toMatchObject({ kind: 'invite', actionLabel: 'Join', key: 'invite:ABCDEF', data: { code: 'ABCDEF', matchId: 'm1' } });
    const q = new ToastQueue();
    const first = q.push(t, 0);
    const again = q.push(toastForNotification(invite), 50); // e.g. lobby and play socket
    expect(q.visible()).toHaveLength(1);
    expect(q.visible()[0].id).toBe(again.id);
    expect(q.get(first.id)).toBeUndefined();
    // No code: no Join button.
    expect(toastForNotification({ kind: 'invite', text: 'broken', data: {} }).actionLabel).toBeUndefined();
    expect(toastForNotification({ kind: 'match_found', text: 'Found', data: {} })).toMatchObject({ kind: 'match_found', key: 'match_found:Found' });
  });

  it('join codes are cleaned the way people paste them', () => {
    expect(cleanJoinCode(' abc-def ')).toBe('ABCDEF');
    expect(cleanJoinCode('ab cd ef')).toBe('ABCDEF');
    expect(cleanJoinCode('  ')).toBeNull();
  });
});

describe('spectator camera', () => {
  const players = [
    { id: 1, x: 100, y: 100, alive: true },
    { id: 2, x: 900, y: 500, alive: true },
  ];

  it('pans freely at a fixed speed, clamped to the map, diagonals not faster', () => {
    const c = new SpectatorCamera();
    c.reset(1000, 800);
    expect(c.update(16, 0, 0, players)).toEqual({ x: 500, y: 400 });
    expect(c.update(100, 1, 0, players)).toEqual({ x: 500 + PAN_SPEED / 10, y: 400 });
    const before = { x: c.x, y: c.y };
    c.update(100, 1, 1, players);
    expect(Math.hypot(c.x - before.x, c.y - before.y)).toBeCloseTo(PAN_SPEED / 10, 6);
    c.update(10_000, -1, -1, players);
    expect({ x: c.x, y: c.y }).toEqual({ x: 0, y: 0 });
  });

  it('follows a player; panning or the player leaving switches to the free camera', () => {
    const c = new SpectatorCamera();
    c.reset(1000, 800);
    c.follow(2);
    expect(c.update(16, 0, 0, players)).toEqual({ x: 900, y: 500 });
    // Dead: the camera waits where they fell.
    expect(c.update(16, 0, 0, [{ id: 2, x: 10, y: 10, alive: false }])).toEqual({ x: 900, y: 500 });
    expect(c.followedId).toBe(2);
    c.update(100, 0, -1, players);
    expect(c.mode).toEqual({ kind: 'free' });
    expect(c.y).toBeCloseTo(500 - PAN_SPEED / 10, 6);
    c.follow(1);
    c.update(16, 0, 0, players);
    c.update(16, 0, 0, [players[1]]); // player 1 left the match
    expect(c.mode.kind).toBe('free');
    expect({ x: c.x, y: c.y }).toEqual({ x: 100, y: 100 });
  });

  it('a click near a living player follows it', () => {
    const c = new SpectatorCamera();
    c.reset(1000, 800);
    expect(c.pick(500, 500, players)).toBeNull();
    expect(c.pick(880, 510, players)).toBe(2);
    expect(c.followedId).toBe(2);
    expect(c.pick(100, 100, [{ id: 1, x: 100, y: 100, alive: false }])).toBeNull();
  });

  it('number keys map to players in a stable (id) order', () => {
    const rows = [3, 1, 2].map((id) => ({ id, name: `p${id}`, bot: false, self: false, score: 10 - id, deaths: 0, connected: true }));
    expect(spectatorOrder(rows).map((r) => r.id)).toEqual([1, 2, 3]);
  });
});

function lobbySetup(verifyToken?: () => Promise<boolean>) {
  FakeSocket.all = [];
  const timers = new ManualTimers();
  const conn = new LobbyConnection({ createSocket: FakeSocket.create, url: 'ws://h/lobby', token: 'jwt.a.b', verifyToken, timers, random: () => 0.5 });
  const log: string[] = [];
  conn.on('status', (s) => log.push(`status ${s.state}${s.attempt ? ` #${s.attempt} ${s.delayMs}ms` : ''}`));
  conn.on('close', (c) => log.push(`close ${c.code} unauthorized=${c.unauthorized}`));
  conn.connect();
  return { conn, timers, log };
}

describe('lobby connection', () => {
  it('offers the subprotocol and token, keeps the online count and the live match list, and relays chat and notifications', () => {
    const { conn, log } = lobbySetup();
    const ws = FakeSocket.last();
    expect(ws.url).toBe('ws://h/lobby');
    expect(ws.protocols).toEqual(['tickwire.v2', 'bearer.jwt.a.b']);
    expect(conn.sendChat('too early')).toBe(false);
    ws.open();
    expect(conn.state).toBe('open');
    const seen: string[] = [];
    conn.on('matches', (l) => seen.push(`matches ${l.map((m) => m.id).join(',')}`));
    conn.on('chat', (c) => seen.push(`chat ${c.from}: ${c.text}`));
    conn.on('notification', (n) => seen.push(`notification ${n.kind} ${String(n.data.code)}`));
    conn.on('serverError', (e) => seen.push(`error ${e.code}`));
    ws.receive(encodeServer({ type: ServerType.LobbyState, online: 3 }));
    ws.receive(encodeServer({ type: ServerType.MatchList, op: MatchListOp.Full, matches: [entry('m1', 2)], removed: [] }));
    ws.receive(encodeServer({ type: ServerType.MatchList, op: MatchListOp.Upsert, matches: [entry('m2', 4)], removed: [] }));
    ws.receive(encodeServer({ type: ServerType.MatchList, op: MatchListOp.Remove, matches: [], removed: ['m1'] }));
    ws.receive(encodeServer({ type: ServerType.Chat, from: 'Ada', text: 'hi' }));
    ws.receive(encodeServer({ type: ServerType.Notification, kind: 'invite', text: 'join me', data: { code: 'ABCDEF' } }));
    ws.receive(encodeServer({ type: ServerType.Error, code: CloseCode.RateLimited, message: 'chat rate limited' }));
    expect(conn.online).toBe(3);
    expect(seen).toEqual(['matches m1', 'matches m2,m1', 'matches m2', 'chat Ada: hi', 'notification invite ABCDEF', `error ${CloseCode.RateLimited}`]);

    expect(conn.sendChat('  hello  ')).toBe(true);
    expect(conn.sendChat('   ')).toBe(false);
    expect(conn.sendChat('x'.repeat(300))).toBe(true);
    const sent = ws.sent.map((b) => decodeClient(b));
    expect(sent.map((r) => (r.ok && r.value.type === ClientType.Chat ? r.value.text.length : -1))).toEqual([5, 200]);
    expect(log).toEqual(['status open']);
  });

  it('reconnects with backoff after a drop, forever, and resyncs from the next Full list', async () => {
    const { conn, timers, log } = lobbySetup();
    FakeSocket.last().open();
    FakeSocket.last().receive(encodeServer({ type: ServerType.MatchList, op: MatchListOp.Full, matches: [entry('old', 1)], removed: [] }));
    FakeSocket.last().drop(1006);
    expect(conn.state).toBe('reconnecting');
    // random 0.5 → the nominal delays 500, 1000, 2000… (same schedule as the game connection).
    await timers.advance(499);
    expect(FakeSocket.all).toHaveLength(1);
    await timers.advance(1);
    expect(FakeSocket.all).toHaveLength(2);
    FakeSocket.last().drop(1006); // never opened; no verifyToken configured: just retry
    await timers.advance(1000);
    expect(FakeSocket.all).toHaveLength(3);
    FakeSocket.last().open();
    expect(conn.reconnects).toBe(1);
    FakeSocket.last().receive(encodeServer({ type: ServerType.MatchList, op: MatchListOp.Full, matches: [entry('new', 2)], removed: [] }));
    expect(conn.matches.list().map((m) => m.id)).toEqual(['new']);
    expect(log).toEqual(['status open', 'status reconnecting #1 500ms', 'status reconnecting #2 1000ms', 'status open']);
    // A server draining (4012) is retried too, and there is no attempt limit (delays cap at 8 s):
    // the lobby has no seat to lose.
    FakeSocket.last().drop(CloseCode.ServerDraining);
    for (let i = 0; i < 20; i++) {
      expect(conn.state).toBe('reconnecting');
      await timers.advance(8000);
      FakeSocket.last().drop(1006);
    }
    expect(FakeSocket.all).toHaveLength(23);
    conn.close();
    await timers.advance(60_000);
    expect(FakeSocket.all).toHaveLength(23); // closed: no more attempts
    expect(log[log.length - 1]).toBe('close 1000 unauthorized=false');
  });

  it('asks whether the token is refused when a socket never opened, and stops if so', async () => {
    const answers = [true, false];
    const { conn, timers, log } = lobbySetup(async () => answers.shift()!);
    FakeSocket.last().drop(1006); // browsers report a refused upgrade (401) like this
    await settle();
    expect(conn.state).toBe('reconnecting');
    await timers.advance(500);
    expect(FakeSocket.all).toHaveLength(2);
    FakeSocket.last().drop(1006);
    await settle();
    expect(conn.state).toBe('closed');
    expect(log).toEqual(['status reconnecting #1 0ms', 'status reconnecting #1 500ms', 'status reconnecting #2 0ms', 'status closed', `close ${CloseCode.Unauthorized} unauthorized=true`]);
    await timers.advance(60_000);
    expect(FakeSocket.all).toHaveLength(2);
  });

  it('stops at once on an auth close code, and a socket that had opened is retried without asking', async () => {
    let asked = 0;
    const { conn, log } = lobbySetup(async () => (asked++, true));
    FakeSocket.last().open();
    FakeSocket.last().drop(1006);
    expect(asked).toBe(0);
    expect(conn.state).toBe('reconnecting');
    conn.close();
    const second = lobbySetup(async () => true);
    FakeSocket.last().open();
    FakeSocket.last().drop(CloseCode.TokenExpired);
    expect(second.conn.state).toBe('closed');
    expect(second.log).toEqual(['status open', 'status closed', `close ${CloseCode.TokenExpired} unauthorized=true`]);
    expect(log[0]).toBe('status open');
  });
});

describe('spectator session', () => {
  const map = { width: 1000, height: 800, walls: [] };
  const row = (x: number, y: number, flags: number) => [quantizePosition(x), quantizePosition(y), 0, 100, 0, 0, flags, 0];
  const alive = PlayerFlags.Alive | PlayerFlags.Connected;

  /** A session fed a welcome and a few snapshots, then updated for 2 s of page time. */
  function run(spectator: boolean) {
    FakeSocket.all = [];
    const timers = new ManualTimers();
    const conn = new Connection({
      createSocket: FakeSocket.create,
      token: 't',
      endpoint: { matchId: 'm1', url: 'ws://h/spectate?match=m1', ticket: '' },
      resume: async () => ({ matchId: 'm1', url: 'ws://h/spectate?match=m1', ticket: '' }),
      timers,
    });
    let now = 0;
    const session = new GameSession(conn, () => now, { spectator });
    conn.connect();
    const ws = FakeSocket.last();
    ws.open();
    const playerId = spectator ? 0 : 1;
    ws.receive(encodeServer({ type: ServerType.Welcome, playerId, matchId: 'm1', serverTick: 1, config: { mode: 'arena', tickRate: 30, snapshotRate: 15, maxPlayers: 8, map } }));
    ws.receive(encodeServer({ type: ServerType.Roster, players: [{ id: 1, name: 'Ada', bot: false }, { id: 2, name: 'Bob', bot: false }] }));
    let prev: SnapshotState | null = null;
    for (let tick = 2; tick <= 20; tick += 2) {
      const state: SnapshotState = {
        tick,
        header: [Phase.Playing, 900],
        tables: [{ rows: new Map([[1, row(100 + tick, 100, alive)], [2, row(500, 400 + tick, alive)]]) }, { rows: new Map() }],
      };
      ws.receive(encodeServer({ type: ServerType.Snapshot, delta: diffSnapshot(prev, state, ARENA_SCHEMA), events: [], ack: 0 }));
      prev = state;
    }
    session.setInput(Buttons.Up | Buttons.Fire, 0); // what a careless page might do
    for (now = 0; now <= 2000; now += 16) session.update(now);
    const sent = ws.sent.map((b) => decodeClient(b)).map((r) => (r.ok ? r.value.type : -1));
    return { session, sent, url: ws.url };
  }

  it('connects without a seat ticket and never sends an input, only pings', () => {
    const { session, sent, url } = run(true);
    expect(url).toBe('ws://h/spectate?match=m1');
    expect(session.spectator).toBe(true);
    expect(sent.length).toBeGreaterThan(0);
    expect(new Set(sent)).toEqual(new Set([ClientType.Ping]));
    expect(session.inputSeq).toBe(0);
    const view = session.frame(2000)!;
    expect(view.self).toBeNull();
    expect(view.players.map((p) => p.name).sort()).toEqual(['Ada', 'Bob']);
    expect(session.scoreboard().map((r) => r.id)).toEqual([1, 2]);
  });

  it('the same session as a player does send inputs (the check above can fail)', () => {
    const { sent } = run(false);
    expect(sent.filter((t) => t === ClientType.Input).length).toBeGreaterThan(30);
  });
});
