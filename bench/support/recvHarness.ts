/**
 * The /play receive path of one checkout, driven without a network (bench/recvPath.bench.ts):
 * the route's real uWS handlers on a fake app, sockets opened through its real `upgrade`
 * and `open` (token and ticket stubbed), so the per-socket data and state are whatever that
 * checkout makes of them. Its modules are imported from `root`, so two checkouts can run in
 * one process, each its own module graph (BENCH_AB). Only APIs main already had.
 */
import type { AuthUser, TokenService } from '../../server/auth/tokens.js';
import type { TicketStore } from '../../server/auth/tickets.js';
import type { Logger } from '../../server/observability/logger.js';
import type { GameMode } from '../../server/rooms/gameMode.js';
import type { Room } from '../../server/rooms/room.js';
import type { RoomManager } from '../../server/rooms/roomManager.js';
import type { Seat } from '../../server/rooms/seat.js';
import type { TemplatedApp } from '../../server/uws.js';

type Mods = [
  typeof import('../../protocol/index.js'),
  typeof import('../../server/clock.js'),
  typeof import('../../server/game/arena/arenaMode.js'),
  typeof import('../../server/observability/metrics.js'),
  typeof import('../../server/rooms/room.js'),
  typeof import('../../server/transport/playRoute.js'),
];

export interface RecvHarness {
  /** One round: every socket's input frame (every 30th round also a ping), in a shuffled order. */
  round(): void;
  /** Instead of ticks: empties the seats' queues (what a tick would take). */
  drain(): void;
  /**
   * Touches the harness's own per-socket objects (its records, frames, the fake ws's
   * header: a load every checkout makes alike), not the checkout's (the ws's copied
   * properties, its state): after an eviction they stand for uWS's side,
   * which is not our JS, and they would otherwise add the same misses to every checkout.
   */
  warmOwn(): number;
  readonly sockets: number;
  seated(): number;
}

interface Sock {
  ws: { getUserData(): unknown };
  seat: Seat;
  /** Empties the seat's queue: the checkout's own way (a seat's InputQueue before the room's input store). */
  drain: () => void;
  /** Its input frame `[1, seq (uint32), buttons, aim, ackTick]`, patched in place. */
  input: ArrayBuffer;
  inputBytes: Uint8Array;
  ping: ArrayBuffer;
  seq: number;
}

type Handler = (...args: unknown[]) => void;

/** A uWS ws object as the Node 20 build makes it (see the opens in recvHarness). */
class FakeWs {
  getUserData(): this {
    return this;
  }
  send(): number {
    return 1;
  }
  getBufferedAmount(): number {
    return 0;
  }
  subscribe(): boolean {
    return true;
  }
  unsubscribe(): boolean {
    return true;
  }
  end(): void {}
  close(): void {}
}

export async function recvHarness(root: URL, sockets: number, perMatch = 8): Promise<RecvHarness> {
  const load = (path: string) => import(new URL(path, root).href);
  const paths = ['protocol/index.js', 'server/clock.js', 'server/game/arena/arenaMode.js', 'server/observability/metrics.js', 'server/rooms/room.js', 'server/transport/playRoute.js'];
  const [{ ClientType, encodeClient, SUBPROTOCOL }, { ManualClock }, { arenaMode }, { Metrics }, { Room }, { registerPlayRoute }] = (await Promise.all(paths.map(load))) as Mods;

  const behaviors = new Map<string, Record<string, Handler>>();
  const app = { ws: (path: string, b: Record<string, Handler>) => void behaviors.set(path, b) } as unknown as TemplatedApp;
  const clock = new ManualClock();
  const rooms = new Map<string, Room>();
  const users = new Map<string, AuthUser>();
  const log = { debug() {}, info() {}, warn() {}, error() {} } as unknown as Logger;
  const tokens = { verify: (t: string | null) => ({ ok: true, user: users.get(t ?? '')! }) } as unknown as TokenService;
  const tickets = { redeem: (id: string) => ({ ok: true, ticket: { id, userId: id, matchId: `m${Math.floor(Number(id.slice(1)) / perMatch)}`, expiresAt: Infinity } }) } as unknown as TicketStore;
  registerPlayRoute(
    { app, tokens, clock, metrics: new Metrics() },
    {
      tickets,
      rooms: { get: (id: string) => rooms.get(id) } as unknown as RoomManager,
      clock,
      log,
      maxFrameBytes: 1024,
      maxInputsPerSecond: 60,
      idleTimeoutSeconds: 30,
    },
  );
  const play = behaviors.get('/play')!;

  // As uWS's Node 20 build (v20.30, what loads on glibc < 2.38) does it: `res.upgrade` copies
  // the user data's properties onto the socket's ws object (an API object: none in-object),
  // and `getUserData` returns that ws object itself. And as live, every socket is opened
  // after the upgrades, not at once: its ws object is allocated apart from what the upgrade
  // made (its state), so each hop from one to the other costs what it costs live.
  // (FakeWs's first instances end V8's slack tracking with no in-object field, so the
  // copied properties live in a separate property array, as on uWS's API object.)
  for (let i = 0; i < 16; i++) new FakeWs();
  const upgraded: Array<{ user: AuthUser; room: Room; data: object }> = [];
  for (let i = 0; i < sockets; i++) {
    const matchId = `m${Math.floor(i / perMatch)}`;
    let room = rooms.get(matchId);
    if (!room) {
      room = new Room({
        id: matchId,
        mode: arenaMode as GameMode<unknown>,
        clock,
        broadcaster: { publish() {} },
        tickRate: 30,
        snapshotRate: 15,
        maxPlayers: perMatch,
        reconnectGraceMs: 60_000,
        botFillDelayMs: -1,
        seed: i,
        settings: { map: 'arena', countdownSeconds: 0, matchSeconds: 86_400 },
      });
      rooms.set(matchId, room);
    }
    const user: AuthUser = { id: `u${i}`, name: `u${i}`, roles: [] };
    users.set(user.id, user);
    room.reserve(user.id, user.name);
    let data: object | null = null;
    const headers: Record<string, string> = { 'sec-websocket-protocol': SUBPROTOCOL, authorization: `Bearer ${user.id}` };
    const req = { getHeader: (h: string) => headers[h] ?? '', getQuery: () => user.id };
    const res = { upgrade: (d: object) => void (data = d), cork: (f: () => void) => f(), writeStatus: () => res, writeHeader: () => res, end: () => res };
    play.upgrade(res, req, null);
    if (data === null) throw new Error(`upgrade of ${user.id} refused`);
    upgraded.push({ user, room, data });
  }
  const socks: Sock[] = [];
  for (const { user, room, data } of upgraded) {
    const ws = Object.assign(new FakeWs(), data);
    play.open(ws);
    const seat = room.seatOf(user.id);
    if (!seat || seat.playerId === 0) throw new Error(`${user.id} not seated`);
    // A fixed-width uint32 seq keeps the frame's length (valid for both decoders).
    const inputBytes = Uint8Array.from([0x95, ClientType.Input, 0xce, 0, 0, 0, 0, 0, 0, 0]);
    const old = (seat as unknown as { inputs?: { take(n: number): unknown } }).inputs;
    const drain = old !== undefined ? () => void old.take(8) : () => (room as unknown as { inputs: { discard(s: Seat): void } }).inputs.discard(seat);
    socks.push({ ws, seat, drain, input: inputBytes.buffer, inputBytes, ping: encodeClient({ type: ClientType.Ping, t: 1234.5 }).slice().buffer, seq: 0 });
  }

  // Frames arrive in an arbitrary order live (whichever sockets epoll reports), not a match's
  // eight sockets back to back: a fixed shuffle (seeded) visits them that way.
  const order = socks.map((_, i) => i);
  for (let i = order.length - 1, x = 12345; i > 0; i--) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    const j = x % (i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const frameMs = 1000 / 30 / sockets;

  return {
    sockets,
    round() {
      for (let k = 0; k < order.length; k++) {
        const i = order[k];
        const s = socks[i];
        const seq = ++s.seq;
        const b = s.inputBytes;
        b[3] = seq >>> 24;
        b[4] = seq >>> 16;
        b[5] = seq >>> 8;
        b[6] = seq;
        b[7] = seq & 31;
        // Time moves as the frames arrive (buckets refill); no timers fire.
        clock.jump(frameMs);
        play.message(s.ws, s.input, true);
        if ((seq + i) % 30 === 0) play.message(s.ws, s.ping, true);
      }
    },
    drain() {
      for (let i = 0; i < socks.length; i++) socks[i].drain();
    },
    warmOwn() {
      let n = 0;
      for (let k = 0; k < order.length; k++) {
        const s = socks[order[k]];
        // getUserData returns the checkout's object without reading it.
        if (s.ws.getUserData() !== null) n += s.seq + s.inputBytes[0] + s.input.byteLength + s.ping.byteLength;
      }
      return n;
    },
    seated: () => socks.filter((s) => s.seat.playerId !== 0).length,
  };
}
