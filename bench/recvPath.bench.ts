/**
 * The /play socket's receive path alone (`npx tsx bench/recvPath.bench.ts`): the real uWS
 * `message` handler of registerPlayRoute (namespace checks, one decode, the token buckets,
 * the play handler, Room.queueInput, the Pong of a ping), driven by a fake uWS app with
 * frames as uWS hands them (an ArrayBuffer per frame), sockets opened through the route's
 * real `upgrade` and `open`. BENCH_SOCKETS sockets (default 800, 8 per match) send
 * BENCH_ROUNDS rounds (default 3,000; 300 cold) of one input frame each, and a ping every
 * 30th round; no ticks run (the harness empties the seats' queues instead), so the figures
 * are the receive path's own:
 *   - ns per frame (CPU time; load-dependent: compare back-to-back runs only);
 *   - BENCH_ALLOC=1: bytes allocated per frame and the top sites (V8's sampling heap
 *     profiler, collected objects included);
 *   - BENCH_COLD=1: the same with each socket's objects evicted from the caches between
 *     two of its frames, as live (below).
 * It uses only APIs main already had, so the same file measures an older checkout too.
 */
import { startAllocationSampling } from './support/allocationProfile.js';
import { ClientType, encodeClient, SUBPROTOCOL } from '../protocol/index.js';
import type { AuthUser, TokenService } from '../server/auth/tokens.js';
import { ManualClock } from '../server/clock.js';
import { arenaMode } from '../server/game/arena/arenaMode.js';
import type { GameMode } from '../server/rooms/gameMode.js';
import { Metrics } from '../server/observability/metrics.js';
import { Room } from '../server/rooms/room.js';
import type { RoomManager } from '../server/rooms/roomManager.js';
import type { Seat } from '../server/rooms/seat.js';
import type { TicketStore } from '../server/auth/tickets.js';
import type { Logger } from '../server/observability/logger.js';
import { registerPlayRoute } from '../server/transport/playRoute.js';
import type { TemplatedApp } from '../server/uws.js';

function envInt(name: string, fallback: number): number {
  const n = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer`);
  return n;
}
const SOCKETS = envInt('BENCH_SOCKETS', 800);
const ROUNDS = envInt('BENCH_ROUNDS', process.env.BENCH_COLD === '1' ? 300 : 3000);
const PER_MATCH = 8;

type Handler = (...args: unknown[]) => void;
const behaviors = new Map<string, Record<string, Handler>>();
const app = { ws: (path: string, b: Record<string, Handler>) => void behaviors.set(path, b) } as unknown as TemplatedApp;
const clock = new ManualClock();
const metrics = new Metrics();
const rooms = new Map<string, Room>();
const broadcaster = { publish() {} };
const log = { debug() {}, info() {}, warn() {}, error() {} } as unknown as Logger;
// Sockets come in through the route's real `upgrade` (token and ticket stubbed), so the
// per-socket data and state are whatever the checkout under test makes of them.
const users = new Map<string, AuthUser>();
const tokens = { verify: (t: string | null) => ({ ok: true, user: users.get(t ?? '')! }) } as unknown as TokenService;
const tickets = { redeem: (id: string) => ({ ok: true, ticket: { id, userId: id, matchId: `m${Math.floor(Number(id.slice(1)) / PER_MATCH)}`, expiresAt: Infinity } }) } as unknown as TicketStore;
registerPlayRoute(
  { app, tokens, clock, metrics },
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

interface Sock {
  ws: { getUserData(): unknown };
  seat: Seat;
  /** Its input frame `[1, seq (uint32), buttons, aim, ackTick]`, patched in place. */
  input: ArrayBuffer;
  inputBytes: Uint8Array;
  ping: ArrayBuffer;
  seq: number;
}

const socks: Sock[] = [];
for (let i = 0; i < SOCKETS; i++) {
  const matchId = `m${Math.floor(i / PER_MATCH)}`;
  let room = rooms.get(matchId);
  if (!room) {
    room = new Room({
      id: matchId,
      mode: arenaMode as GameMode<unknown>,
      clock,
      broadcaster,
      tickRate: 30,
      snapshotRate: 15,
      maxPlayers: PER_MATCH,
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
  let data: unknown = null;
  const headers: Record<string, string> = { 'sec-websocket-protocol': SUBPROTOCOL, authorization: `Bearer ${user.id}` };
  const req = { getHeader: (h: string) => headers[h] ?? '', getQuery: () => user.id };
  const res = { upgrade: (d: unknown) => void (data = d), cork: (f: () => void) => f(), writeStatus: () => res, writeHeader: () => res, end: () => res };
  play.upgrade(res, req, null);
  if (data === null) throw new Error(`upgrade of ${user.id} refused`);
  const ws = {
    getUserData: () => data,
    send: () => 1,
    getBufferedAmount: () => 0,
    subscribe: () => true,
    unsubscribe: () => true,
    end: () => {},
    close: () => {},
  };
  play.open(ws);
  const seat = room.seatOf(user.id);
  if (!seat || seat.playerId === 0) throw new Error(`${user.id} not seated`);
  // A fixed-width uint32 seq keeps the frame's length (valid for both decoders).
  const inputBytes = Uint8Array.from([0x95, ClientType.Input, 0xce, 0, 0, 0, 0, 0, 0, 0]);
  socks.push({ ws, seat, input: inputBytes.buffer, inputBytes, ping: encodeClient({ type: ClientType.Ping, t: 1234.5 }).slice().buffer, seq: 0 });
}

/**
 * BENCH_COLD=1: the live server handles a socket's frames 33 ms apart, with the kernel's
 * network path and 799 other sockets in between, so each frame's first touch of its
 * socket's objects misses the caches. Here, after every round (all sockets once), a walk
 * over BENCH_COLD_MB (default 64) evicts them the same way. The figure is the CPU time of the
 * rounds' frame loops alone (read around each), so the walks' cost is not in it; the walks are
 * also timed alone and subtracted from the whole run's as a cross-check. 64 MB is past this VM's last-level cache
 * and gives the live profile's order (~1.7 µs a frame against ~2.5 µs live, 0.26 µs warm);
 * 8–32 MB leave the objects in L3 (~0.55 µs).
 */
const COLD = process.env.BENCH_COLD === '1';
const evictBuf = COLD ? new Uint8Array(envInt('BENCH_COLD_MB', 64) << 20) : new Uint8Array(64);
let evictSink = 0;
function evict(): void {
  const b = evictBuf;
  let s = 0;
  // A write per line, as the kernel's buffers and other objects dirty them live.
  for (let i = 0; i < b.length; i += 64) s += b[i]++;
  evictSink += s;
}

// Frames arrive in an arbitrary order live (whichever sockets epoll reports), not a match's
// eight sockets back to back: a fixed shuffle (seeded) visits them that way.
const order = socks.map((_, i) => i);
for (let i = order.length - 1, x = 12345; i > 0; i--) {
  x = (Math.imul(x, 1103515245) + 12345) >>> 0;
  const j = x % (i + 1);
  [order[i], order[j]] = [order[j], order[i]];
}

const frameMs = 1000 / 30 / SOCKETS;
let frames = 0;
/** Cold mode: CPU µs spent in the rounds' frame loops alone (the walks and queue emptying excluded). */
let frameLoopUs = 0;
/** …and per round, for the median (a round another process disturbed weighs no more than one). */
const roundUs: number[] = [];
function run(rounds: number): void {
  for (let r = 0; r < rounds; r++) {
    const c0 = COLD ? process.cpuUsage() : null;
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
      frames++;
    }
    if (c0 !== null) {
      const c = process.cpuUsage(c0);
      frameLoopUs += c.user + c.system;
      roundUs.push(c.user + c.system);
    }
    // Instead of ticks: empty the queues (what a tick would take).
    for (let i = 0; i < socks.length; i++) socks[i].seat.inputs.take(8);
    if (COLD) evict();
  }
}

function evictOnly(rounds: number): void {
  for (let r = 0; r < rounds; r++) evict();
}

run(Math.min(COLD ? 100 : 500, ROUNDS));
evictOnly(20);
frames = 0;
frameLoopUs = 0;
roundUs.length = 0;
const ALLOC = process.env.BENCH_ALLOC === '1';
const stop = ALLOC ? await startAllocationSampling(1024) : null;
const cpu0 = process.cpuUsage();
run(ROUNDS);
const cpu = process.cpuUsage(cpu0);
const e0 = process.cpuUsage();
if (COLD) evictOnly(ROUNDS);
const e = process.cpuUsage(e0);
const evictUs = e.user + e.system;
const seats = socks.filter((s) => s.seat.playerId !== 0).length;
console.log(`receive path: ${SOCKETS} sockets (${seats} seated), ${frames} input frames + ${Math.round(frames / 30)} pings, Node ${process.versions.node}`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const ns = (us: number) => ((us * 1000) / frames).toFixed(0);
if (COLD) {
  console.log(
    `cold (${evictBuf.length >> 20} MB walked per round): CPU ${ns(frameLoopUs)} ns per input frame (median round ${((median(roundUs) * 1000) / SOCKETS).toFixed(0)}), the frame loops alone ` +
      `(cross-check: whole run ${ns(cpu.user + cpu.system)} − walks alone ${ns(evictUs)} = ${ns(cpu.user + cpu.system - evictUs)}, queue emptying included; load-dependent: compare back-to-back runs)`,
  );
}
else console.log(`CPU ${ns(cpu.user + cpu.system)} ns per input frame (load-dependent: compare back-to-back runs)`);
if (evictSink === -1) console.log('');
if (stop) {
  const { total, sites } = await stop();
  console.log(`allocated: ${(total / frames).toFixed(1)} B per input frame (sampled every 1 KiB; pings included)`);
  for (const [k, v] of sites.slice(0, 12)) console.log(`  ${(v / frames).toFixed(2).padStart(7)} B/frame  ${k}`);
}
