/**
 * The Drainer on real rooms (arena mode) with a manual clock and fake connections: players
 * are told, matches keep ticking and end by themselves, the deadline ends the rest with
 * results and the "server draining" close code, late joiners are told too.
 */
import { describe, expect, it } from 'vitest';
import { CloseCode, decodeServer, Phase, ServerType, type ServerMessage } from '../../protocol/index.js';
import { ManualClock } from '../../server/clock.js';
import { Drainer, formatDuration } from '../../server/drain.js';
import { arenaMode } from '../../server/game/arena/arenaMode.js';
import { createLogger } from '../../server/observability/logger.js';
import { MatchLogs } from '../../server/observability/matchLogs.js';
import type { Broadcaster, Connection } from '../../server/rooms/connection.js';
import { registerModes } from '../../server/modes/modeRegistry.js';
import { RoomManager } from '../../server/rooms/roomManager.js';

class FakeConn implements Connection {
  closed = false;
  closeCode: number | null = null;
  readonly messages: ServerMessage[] = [];
  send(frame: Uint8Array): void {
    const r = decodeServer(frame);
    if (!r.ok) throw new Error(r.error);
    this.messages.push(r.value);
  }
  bufferedAmount(): number {
    return 0;
  }
  subscribe(): void {}
  unsubscribe(): void {}
  close(code: number): void {
    this.closed = true;
    this.closeCode = code;
  }
  terminate(): void {
    this.closed = true;
  }
  of<T extends ServerMessage['type']>(type: T): Extract<ServerMessage, { type: T }>[] {
    return this.messages.filter((m) => m.type === type) as Extract<ServerMessage, { type: T }>[];
  }
}

class CountingBroadcaster implements Broadcaster {
  publishes = 0;
  publish(): void {
    this.publishes++;
  }
}

const TICK_MS = 1000 / 30;

function setup(settings: Record<string, unknown>) {
  const clock = new ManualClock();
  const broadcaster = new CountingBroadcaster();
  const log = createLogger('silent');
  const matchLogs = new MatchLogs(log);
  let drainer: Drainer;
  const rooms = new RoomManager({
    clock,
    broadcaster,
    modes: registerModes({ arena: { mode: arenaMode, settings: { map: 'open', countdownSeconds: 0, resultsSeconds: 0, minPlayers: 2, ...settings } } }).modes,
    maxRooms: 10,
    seed: 7,
    roomDefaults: { tickRate: 30, snapshotRate: 15, maxPlayers: 8, reconnectGraceMs: 5000, botFillDelayMs: -1 },
    hooks: {
      onJoin: (room, seat) => drainer.playerJoined(room, seat),
      onDispose: () => drainer.matchDisposed(),
    },
  });
  drainer = new Drainer({ rooms, clock, log, matchLogs });
  /** A match with two connected players, already playing. */
  const match = () => {
    const room = rooms.create('arena')!;
    const conns = ['a', 'b'].map((u) => {
      room.reserve(u, u.toUpperCase());
      const c = new FakeConn();
      expect(room.attach(u, c).ok).toBe(true);
      return c;
    });
    clock.advance(TICK_MS * 2);
    expect(room.phase).toBe(Phase.Playing);
    return { room, conns };
  };
  return { clock, broadcaster, rooms, drainer, match };
}

describe('Drainer', () => {
  it('tells players, keeps matches ticking, and finishes when they end by themselves', async () => {
    const { clock, broadcaster, rooms, drainer, match } = setup({ matchSeconds: 2 });
    const { room, conns } = match();
    let report: unknown = null;
    void drainer.drain(60_000).then((r) => (report = r));
    expect(drainer.draining).toBe(true);
    expect(rooms.acceptingNewRooms).toBe(false);
    expect(rooms.create('arena')).toBeNull();
    for (const c of conns) {
      const [notice] = c.of(ServerType.Notice);
      expect(notice).toMatchObject({ kind: 'draining' });
      expect(notice.text).toMatch(/shutting down.*at most 60 s/);
    }
    const tick = room.serverTick;
    const published = broadcaster.publishes;
    clock.advance(1000);
    expect(room.serverTick).toBe(tick + 30);
    expect(broadcaster.publishes).toBeGreaterThan(published);
    expect(report).toBeNull();

    clock.advance(1500); // the 2 s match ends; results phase is 0 s
    expect(rooms.size).toBe(0);
    await Promise.resolve();
    expect(report).toMatchObject({ matchesAtStart: 1, endedAtDeadline: 0 });
    for (const c of conns) {
      expect(c.closeCode).toBe(CloseCode.MatchEnded);
      expect(c.of(ServerType.Results)).toEqual([]);
    }
    expect(clock.pendingTimers()).toBe(0);
  });

  it('ends matches still running at the deadline with results and close code 4012', async () => {
    const { clock, rooms, drainer, match } = setup({ matchSeconds: 600 });
    const { conns } = match();
    const done = drainer.drain(1000);
    clock.advance(999);
    expect(rooms.size).toBe(1);
    expect(conns[0].closed).toBe(false);
    clock.advance(1);
    expect(rooms.size).toBe(0);
    expect(await done).toMatchObject({ matchesAtStart: 1, endedAtDeadline: 1, durationMs: 1000 });
    for (const c of conns) {
      const kinds = c.messages.map((m) => m.type);
      // The notice came first, the results last, then the close.
      expect(kinds.indexOf(ServerType.Notice)).toBeLessThan(kinds.indexOf(ServerType.Results));
      expect(kinds[kinds.length - 1]).toBe(ServerType.Results);
      const [results] = c.of(ServerType.Results);
      expect(results.reason).toBe('draining');
      expect(results.players.map((p) => p.name).sort()).toEqual(['A', 'B']);
      expect(c.closeCode).toBe(CloseCode.ServerDraining);
    }
  });

  it('tells players who join or reconnect during the drain', () => {
    const { clock, drainer, match } = setup({ matchSeconds: 600 });
    const { room, conns } = match();
    room.reserve('late', 'Late'); // a ticket issued before the drain
    void drainer.drain(30_000);
    clock.advance(5000);
    const late = new FakeConn();
    expect(room.attach('late', late).ok).toBe(true);
    expect(late.messages.map((m) => m.type).slice(0, 3)).toEqual([ServerType.Welcome, ServerType.Roster, ServerType.Notice]);
    expect(late.of(ServerType.Notice)[0].text).toMatch(/at most 25 s/);

    room.detach(room.seatOf('a')!, conns[0]);
    const back = new FakeConn();
    expect(room.attach('a', back).ok).toBe(true);
    expect(back.of(ServerType.Notice)).toHaveLength(1);
  });

  it('a second call with an earlier deadline ends everything now; a later one changes nothing', async () => {
    const { clock, rooms, drainer, match } = setup({ matchSeconds: 600 });
    match();
    match();
    const first = drainer.drain(60_000);
    expect(drainer.drain(120_000)).toBe(first);
    clock.advance(10);
    expect(rooms.size).toBe(2);
    const second = drainer.drain(0);
    expect(second).toBe(first);
    expect(rooms.size).toBe(0);
    expect(await first).toMatchObject({ matchesAtStart: 2, endedAtDeadline: 2 });
    expect(clock.pendingTimers()).toBe(0);
  });

  it('resolves at once with no matches', async () => {
    const { drainer } = setup({});
    expect(await drainer.drain(60_000)).toEqual({ matchesAtStart: 0, endedAtDeadline: 0, durationMs: 0 });
    expect(drainer.msLeft).toBe(60_000);
  });

  it('formats the time left for players', () => {
    expect([999, 42_000, 119_000, 120_000, 299_500].map(formatDuration)).toEqual(['1 s', '42 s', '119 s', '2 min', '5 min']);
  });
});
