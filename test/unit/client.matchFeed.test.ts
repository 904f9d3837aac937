/**
 * MatchFeed with a made-up game's schema (one table of two fields — not the arena's): the
 * welcome, the keyframe/delta chain and the own ack, a broken chain counted and repaired by
 * the next keyframe, a resumed welcome on a new socket, the ping schedule (5 quick pings
 * 200 ms apart, then one per second) and interpolation once the clock is synced.
 * Scripted sockets, manual clock.
 */
import { describe, expect, it } from 'vitest';
import { ClientType, ServerType, decodeClient, diffSnapshot, encodeServer, type SnapshotState } from '../../protocol/index.js';
import { Connection, MatchFeed } from '../../client/index.js';
import { FakeSocket, ManualTimers } from '../support/fakeSocket.js';

const SCHEMA = [2] as const;
const config = { mode: 'dots', tickRate: 20, snapshotRate: 10, maxPlayers: 4, map: { width: 100, height: 100, walls: [] } };

function state(tick: number, dots: Array<[number, number, number]>): SnapshotState {
  return { tick, header: [], tables: [{ rows: new Map(dots.map(([id, x, y]) => [id, [x, y]])) }] };
}

function setup() {
  FakeSocket.all = [];
  const timers = new ManualTimers();
  const conn = new Connection({
    createSocket: FakeSocket.create,
    token: 't',
    endpoint: { matchId: 'm1', url: 'ws://h/play', ticket: 't0' },
    resume: async (matchId) => ({ matchId, url: 'ws://h/play', ticket: 't1' }),
    timers,
    linkHealth: false,
    random: () => 0.5,
  });
  const feed = new MatchFeed(conn, { schema: SCHEMA, now: () => timers.t });
  const log: string[] = [];
  feed.on('welcome', (w) => log.push(`welcome ${w.playerId} resumed=${w.resumed}`));
  feed.on('snapshot', (s) => log.push(`snapshot ${s.state.tick} ack=${s.ack}`));
  conn.connect();
  FakeSocket.last().open();
  return { conn, feed, timers, log };
}

const welcome = () => encodeServer({ type: ServerType.Welcome, playerId: 3, matchId: 'm1', serverTick: 0, config });

describe('MatchFeed', () => {
  it('applies a keyframe and deltas with the game schema and resolves the ack', () => {
    const { feed, log } = setup();
    const ws = FakeSocket.last();
    ws.receive(welcome());
    const a = state(10, [[3, 5, 5]]);
    const b = state(12, [[3, 6, 5], [4, 1, 1]]);
    ws.receive(encodeServer({ type: ServerType.Snapshot, delta: diffSnapshot(null, a, SCHEMA), events: [], ack: 7 }));
    ws.receive(encodeServer({ type: ServerType.Snapshot, delta: diffSnapshot(a, b, SCHEMA), events: [{ tick: 11, events: [[9, 3]] }], ack: 2 }));
    expect(log).toEqual(['welcome 3 resumed=false', 'snapshot 10 ack=7', 'snapshot 12 ack=9']);
    expect(feed.state!.tables[0].rows.get(4)).toEqual([1, 1]);
    expect(feed.tickMs).toBe(50);
    expect(feed.snapshotErrors).toBe(0);
  });

  it('counts a delta whose baseline it does not hold, and is repaired by the next keyframe', () => {
    const { feed } = setup();
    const ws = FakeSocket.last();
    ws.receive(welcome());
    ws.receive(encodeServer({ type: ServerType.Snapshot, delta: diffSnapshot(state(8, []), state(10, [[3, 1, 1]]), SCHEMA), events: [], ack: 1 }));
    expect(feed.snapshotErrors).toBe(1);
    expect(feed.state).toBeNull();
    ws.receive(encodeServer({ type: ServerType.Snapshot, delta: diffSnapshot(null, state(12, [[3, 1, 1]]), SCHEMA), events: [], ack: 4 }));
    expect(feed.state!.tick).toBe(12);
    expect(feed.ack).toBe(4);
  });

  it('says resumed on the welcome of a new socket into the same seat, and restarts the chain', async () => {
    const { feed, timers, log } = setup();
    FakeSocket.last().receive(welcome());
    FakeSocket.last().receive(encodeServer({ type: ServerType.Snapshot, delta: diffSnapshot(null, state(10, [[3, 1, 1]]), SCHEMA), events: [], ack: 1 }));
    FakeSocket.last().drop(1006);
    await timers.advance(500);
    FakeSocket.last().open();
    FakeSocket.last().receive(welcome());
    expect(log.at(-1)).toBe('welcome 3 resumed=true');
    expect(feed.state).toBeNull();
    expect(feed.ack).toBeNull();
  });

  it('pings 5 times 200 ms apart, then once a second, only while open after the welcome', async () => {
    const { conn, feed, timers } = setup();
    const pings = () => FakeSocket.last().sent.filter((b) => {
      const r = decodeClient(b);
      return r.ok && r.value.type === ClientType.Ping;
    }).length;
    feed.update();
    expect(pings()).toBe(0); // no welcome yet
    FakeSocket.last().receive(welcome());
    for (let t = 0; t <= 3000; t += 50) {
      feed.update();
      await timers.advance(50);
    }
    // 0, 200, 400, 600, 800 ms, then 1800 and 2800 ms.
    expect(pings()).toBe(7);
    conn.close();
    feed.update();
    expect(pings()).toBe(7);
  });

  it('draws between two snapshots once they arrive on the synced clock', async () => {
    const { feed, timers } = setup();
    const ws = FakeSocket.last();
    ws.receive(welcome());
    ws.receive(encodeServer({ type: ServerType.Pong, t: timers.t, serverTime: 0 }));
    let prev: SnapshotState | null = null;
    for (let tick = 2; tick <= 40; tick += 2) {
      await timers.advance(100);
      const s = state(tick, [[4, tick, 0]]);
      ws.receive(encodeServer({ type: ServerType.Snapshot, delta: diffSnapshot(prev, s, SCHEMA), events: [], ack: 0 }));
      prev = s;
    }
    const sample = feed.sample()!;
    expect(sample.mode).toBe('interpolate');
    expect(sample.to.tick - sample.from.tick).toBe(2);
    // About two snapshot intervals (200 ms = 4 ticks) behind the newest.
    expect(sample.renderTick).toBeGreaterThan(34);
    expect(sample.renderTick).toBeLessThan(38);
  });
});
