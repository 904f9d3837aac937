/**
 * Stalls on the client, with a scripted socket and a manual clock: the link goes unstable
 * when the server falls silent (or our frames pile up), is given up and resumed after 5 s of
 * silence, the session holds its inputs meanwhile (no burst afterwards), a slow device still
 * sends one input per tick, and a 4008 is retried exactly once.
 */
import { describe, expect, it } from 'vitest';
import { ARENA_SCHEMA, ClientType, CloseCode, ServerType, decodeClient, diffSnapshot, encodeServer } from '../../protocol/index.js';
import { Connection } from '../../client/index.js';
import { LinkHealth } from '../../client/index.js';
import { GameSession } from '../../game-client/netcode/session.js';
import { arenaMode } from '../../server/game/arena/arenaMode.js';
import { FakeSocket, ManualTimers } from '../support/fakeSocket.js';

describe('LinkHealth', () => {
  it('is unstable after 600 ms of silence, lost after 5 s, and ok again on a frame', () => {
    const link = new LinkHealth(0);
    expect(link.check(500, 0)).toBe('ok');
    expect(link.check(600, 0)).toBe('unstable');
    expect(link.episodes).toBe(1);
    link.frame(700);
    expect(link.check(800, 0)).toBe('ok');
    for (let t = 1000; t < 5700; t += 200) link.check(t, 0);
    expect(link.state).toBe('unstable');
    expect(link.check(5700, 0)).toBe('lost');
    expect(link.episodes).toBe(2);
  });

  it('is unstable while our own frames pile up in the socket, even with frames arriving', () => {
    const link = new LinkHealth(0);
    link.frame(100);
    expect(link.check(150, 4096)).toBe('unstable');
    expect(link.check(200, 0)).toBe('ok');
  });

  it('does not blame the network for the page\'s own stall', () => {
    const link = new LinkHealth(0);
    link.check(200, 0);
    // The page froze for 8 s: frames may be waiting in the event queue.
    expect(link.check(8200, 0)).toBe('ok');
    expect(link.check(8800, 0)).toBe('unstable');
  });
});

function connection() {
  FakeSocket.all = [];
  const timers = new ManualTimers();
  const resumes: string[] = [];
  const conn = new Connection({
    createSocket: FakeSocket.create,
    token: 't',
    endpoint: { matchId: 'm1', url: 'ws://h/play', ticket: 't0' },
    resume: async (matchId) => {
      resumes.push(matchId);
      return { matchId, url: 'ws://h/play', ticket: `t${resumes.length}` };
    },
    timers,
    random: () => 0.5,
  });
  const log: string[] = [];
  conn.on('link', (l) => log.push(`link ${l.state} @${timers.t}`));
  conn.on('reconnecting', (r) => log.push(`reconnecting ${r.code} ${r.delayMs} @${timers.t}`));
  conn.on('reconnected', () => log.push(`reconnected @${timers.t}`));
  conn.on('close', (c) => log.push(`close ${c.code}`));
  conn.connect();
  return { conn, timers, log, resumes };
}

const pong = () => encodeServer({ type: ServerType.Pong, t: 1, serverTime: 2 });

describe('Connection link checks', () => {
  it('flags a silent server within a second, gives the socket up after 5 s and resumes the seat', async () => {
    const { conn, timers, log, resumes } = connection();
    FakeSocket.last().open();
    // Frames every 50 ms for 2 s: healthy.
    for (let i = 0; i < 40; i++) {
      await timers.advance(50);
      FakeSocket.last().receive(pong());
    }
    expect(log).toEqual(['link ok @0']);
    // Silence.
    await timers.advance(1000);
    expect(conn.linkState).toBe('unstable');
    const unstableAt = Number(log[1].split('@')[1]);
    expect(log[1]).toMatch(/^link unstable/);
    expect(unstableAt - 2000).toBeLessThanOrEqual(800);
    expect(FakeSocket.all).toHaveLength(1);
    await timers.advance(4200);
    expect(log.some((l) => l.startsWith('link lost'))).toBe(true);
    expect(FakeSocket.all[0].closedByClient).toBe(true);
    expect(log.find((l) => l.startsWith('reconnecting'))).toMatch(/^reconnecting 1006 500/);
    expect(conn.state).toBe('reconnecting');
    await timers.advance(500);
    expect(resumes).toEqual(['m1']);
    FakeSocket.last().open();
    expect(conn.state).toBe('open');
    expect(conn.linkState).toBe('ok');
    expect(log.at(-1)).toMatch(/^reconnected/);
  });

  it('recovers to ok as soon as frames flow again after a short stall, without reconnecting', async () => {
    const { conn, timers, log } = connection();
    FakeSocket.last().open();
    await timers.advance(3000);
    expect(conn.linkState).toBe('unstable');
    FakeSocket.last().receive(pong());
    expect(conn.linkState).toBe('ok');
    expect(log.filter((l) => l.startsWith('link')).map((l) => l.split(' @')[0])).toEqual(['link ok', 'link unstable', 'link ok']);
    expect(FakeSocket.all).toHaveLength(1);
  });

  it('retries a 4008 once, after a longer backoff, and stops at the second', async () => {
    const { conn, timers, log, resumes } = connection();
    FakeSocket.last().open();
    FakeSocket.last().drop(CloseCode.RateLimited, 'rate limited');
    expect(log.at(-1)).toBe('reconnecting 4008 2000 @0');
    await timers.advance(2000);
    expect(resumes).toHaveLength(1);
    FakeSocket.last().open();
    FakeSocket.last().receive(pong());
    FakeSocket.last().drop(CloseCode.RateLimited, 'rate limited');
    expect(conn.state).toBe('closed');
    expect(log.at(-1)).toBe(`close ${CloseCode.RateLimited}`);
  });
});

/** A seated player's session on a scripted socket, fed the real arena's snapshots. */
function playerSession() {
  const { conn, timers } = connection();
  const state = arenaMode.create({ seed: 3, tickRate: 30, settings: { map: 'open', countdownSeconds: 0, spawnProtectionSeconds: 0 } });
  arenaMode.addPlayer(state, 1, 'me', false);
  const session = new GameSession(conn, () => timers.t);
  const ws = FakeSocket.last();
  ws.open();
  ws.receive(encodeServer({ type: ServerType.Welcome, playerId: 1, matchId: 'm1', serverTick: 0, config: arenaMode.matchConfig(state) }));
  let prev: ReturnType<typeof arenaMode.snapshot> | null = null;
  let tick = 0;
  const snapshot = () => {
    arenaMode.step(state, new Map());
    const snap = arenaMode.snapshot(state);
    snap.tick = ++tick;
    FakeSocket.last().receive(encodeServer({ type: ServerType.Snapshot, delta: diffSnapshot(prev, snap, ARENA_SCHEMA), events: [], ack: 0 }));
    prev = snap;
  };
  snapshot();
  const inputs = () => FakeSocket.last().sent.map((b) => decodeClient(b)).filter((r) => r.ok && r.value.type === ClientType.Input).length;
  return { session, timers, snapshot, inputs };
}

describe('GameSession inputs', () => {
  it('sends one input per tick at 6 fps (several per frame), so a slow device moves at full speed', async () => {
    const { session, timers, snapshot, inputs } = playerSession();
    session.setInput(0, 0);
    session.update(timers.t);
    const start = inputs();
    // 3 s of frames 166 ms apart, snapshots arriving meanwhile.
    for (let i = 0; i < 18; i++) {
      for (let k = 0; k < 3; k++) {
        await timers.advance(166 / 3);
        snapshot();
      }
      session.update(timers.t);
    }
    const sent = inputs() - start;
    expect(sent).toBeGreaterThanOrEqual(88);
    expect(sent).toBeLessThanOrEqual(91);
  });

  it('after a 2 s page freeze sends at most 500 ms of backlog (15 inputs), not 60', async () => {
    const { session, timers, snapshot, inputs } = playerSession();
    session.update(timers.t);
    await timers.advance(50);
    snapshot();
    session.update(timers.t);
    const before = inputs();
    // The page froze for 2 s (no update, no check); frames were waiting and arrive now.
    timers.t += 2000;
    snapshot();
    session.update(timers.t);
    expect(inputs() - before).toBe(15);
  });

  it('holds inputs while the link is unstable and does not burst when it recovers', async () => {
    const { session, timers, snapshot, inputs } = playerSession();
    for (let i = 0; i < 10; i++) {
      await timers.advance(50);
      snapshot();
      session.update(timers.t);
    }
    const before = inputs();
    expect(before).toBeGreaterThan(10);
    // 3 s without a frame from the server, the page still updating every 50 ms.
    let duringStall = 0;
    for (let i = 0; i < 60; i++) {
      await timers.advance(50);
      session.update(timers.t);
      if (i === 20) duringStall = inputs();
    }
    expect(session.connection.linkState).toBe('unstable');
    // At most the first ~600 ms of the stall produced inputs; nothing after.
    expect(duringStall - before).toBeLessThanOrEqual(20);
    expect(inputs()).toBe(duringStall);
    // Frames again: inputs resume one per tick, no catch-up burst.
    snapshot();
    const resumed = inputs();
    await timers.advance(50);
    session.update(timers.t);
    expect(inputs() - resumed).toBeLessThanOrEqual(2);
  });
});
