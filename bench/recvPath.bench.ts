/**
 * The /play socket's receive path alone (`npx tsx bench/recvPath.bench.ts`): the real uWS
 * `message` handler of registerPlayRoute (namespace checks, one decode, the token buckets,
 * the play handler, Room.queueInput, the Pong of a ping), driven by a fake uWS app with
 * frames as uWS hands them (an ArrayBuffer per frame). BENCH_SOCKETS sockets (default 800,
 * 8 per match) send BENCH_ROUNDS rounds (default 3,000) of one input frame each, and a
 * ping every 30th round; no ticks run (the harness empties the seats' queues instead), so
 * the figures are the receive path's own:
 *   - ns per frame (CPU time; load-dependent: compare back-to-back runs only);
 *   - BENCH_ALLOC=1: bytes allocated per frame and the top sites (V8's sampling heap
 *     profiler, collected objects included).
 * It uses only APIs main already had, so the same file measures an older checkout too.
 */
import { startAllocationSampling } from './support/allocationProfile.js';
import { ClientType, encodeClient } from '../protocol/index.js';
import { ManualClock } from '../server/clock.js';
import { arenaMode } from '../server/game/arena/arenaMode.js';
import type { GameMode } from '../server/rooms/gameMode.js';
import { Metrics } from '../server/observability/metrics.js';
import { Room } from '../server/rooms/room.js';
import type { RoomManager } from '../server/rooms/roomManager.js';
import type { Seat } from '../server/rooms/seat.js';
import type { TicketStore } from '../server/auth/tickets.js';
import type { Logger } from '../server/observability/logger.js';
import { registerPlayRoute, type PlaySocket } from '../server/transport/playRoute.js';
import { TokenBucket } from '../server/transport/rateLimit.js';
import type { TemplatedApp } from '../server/uws.js';

function envInt(name: string, fallback: number): number {
  const n = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer`);
  return n;
}
const SOCKETS = envInt('BENCH_SOCKETS', 800);
const ROUNDS = envInt('BENCH_ROUNDS', 3000);
const PER_MATCH = 8;

type Handler = (...args: unknown[]) => void;
const behaviors = new Map<string, Record<string, Handler>>();
const app = { ws: (path: string, b: Record<string, Handler>) => void behaviors.set(path, b) } as unknown as TemplatedApp;
const clock = new ManualClock();
const metrics = new Metrics();
const rooms = new Map<string, Room>();
const broadcaster = { publish() {} };
const log = { debug() {}, info() {}, warn() {}, error() {} } as unknown as Logger;
registerPlayRoute(
  { app, tokens: null as never, clock, metrics },
  {
    tickets: null as unknown as TicketStore,
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
  ws: unknown;
  seat: () => Seat | null;
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
  const user = { id: `u${i}`, name: `u${i}`, role: 'player' };
  room.reserve(user.id, user.name);
  const state = playState(matchId);
  const data = { user, state, ctx: null as { state: PlaySocket } | null, bucket: null, lastFrameAt: 0 };
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
  // A fixed-width uint32 seq keeps the frame's length (valid for both decoders).
  const inputBytes = Uint8Array.from([0x95, ClientType.Input, 0xce, 0, 0, 0, 0, 0, 0, 0]);
  socks.push({ ws, seat: () => data.ctx?.state.seat ?? null, input: inputBytes.buffer, inputBytes, ping: encodeClient({ type: ClientType.Ping, t: 1234.5 }).slice().buffer, seq: 0 });
}

function playState(roomId: string): PlaySocket {
  // The buckets the play route's authorize makes (60 inputs/s, burst 300; others 10/s).
  return {
    roomId,
    room: null,
    seat: null,
    inputs: new TokenBucket(clock, 60, 300),
    other: new TokenBucket(clock, 10, 20),
    chat: new TokenBucket(clock, 1, 3),
  };
}

const frameMs = 1000 / 30 / SOCKETS;
let frames = 0;
function run(rounds: number): void {
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < socks.length; i++) {
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
    // Instead of ticks: empty the queues (what a tick would take).
    for (let i = 0; i < socks.length; i++) socks[i].seat()?.inputs.take(8);
  }
}

run(Math.min(500, ROUNDS));
frames = 0;
const ALLOC = process.env.BENCH_ALLOC === '1';
const stop = ALLOC ? await startAllocationSampling(1024) : null;
const cpu0 = process.cpuUsage();
run(ROUNDS);
const cpu = process.cpuUsage(cpu0);
const seats = socks.filter((s) => s.seat()).length;
console.log(`receive path: ${SOCKETS} sockets (${seats} seated), ${frames} input frames + ${Math.round(frames / 30)} pings, Node ${process.versions.node}`);
console.log(`CPU ${(((cpu.user + cpu.system) * 1000) / frames).toFixed(0)} ns per input frame (load-dependent: compare back-to-back runs)`);
if (stop) {
  const { total, sites } = await stop();
  console.log(`allocated: ${(total / frames).toFixed(1)} B per input frame (sampled every 1 KiB; pings included)`);
  for (const [k, v] of sites.slice(0, 12)) console.log(`  ${(v / frames).toFixed(2).padStart(7)} B/frame  ${k}`);
}
