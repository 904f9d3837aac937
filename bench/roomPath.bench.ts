/**
 * The server's per-player hot path in one process, without sockets (`npx tsx bench/roomPath.bench.ts`):
 * BENCH_MATCHES real arena matches (default 100, i.e. 800 players) made by the RoomManager,
 * 8 seated players each replaying the bot swarm's input pattern (loadtest/lib/playerPattern),
 * 30 inputs/s encoded, decoded and queued as the /play route does (its ClientFrameReader and
 * PongWriter where the checkout has them), a ping a second answered
 * with a pong; fan-out counted by a fake broadcaster (a publish costs once, counts once per
 * subscriber). Time is simulated (a heap-ordered manual clock, so the scheduling is the
 * server's and not the harness's), so the figures do not depend on what else the machine
 * runs except for CPU speed:
 *
 *   - CPU µs per player·s: process CPU (user + system) over BENCH_SECONDS simulated seconds
 *     (default 20) after a 5 s warm-up, ÷ (players × seconds). The tick, diff, encode,
 *     input decode and fan-out bookkeeping; no uWS I/O (the capacity bench has that).
 *   - GC share: time in V8 garbage collection (PerformanceObserver 'gc') ÷ that CPU time.
 *   - frames and bytes down per player·s, by kind (deterministic: same seed, same numbers).
 *   - BENCH_COLD_KB=n: cache-cold-ish. Live, a socket's next frame comes 33 ms later with the
 *     kernel's network path and 799 other sockets in between, and a match's next tick after
 *     every other match's, so their objects are out of cache; in this loop they stay warm
 *     (live costs ~2.5× this bench's). With n > 0 the harness writes over n KiB before every
 *     timer callback (a scheduler wake-up: the ticks) and before every 8 players' frames, and
 *     times only the server's parts between those scrubs: "cold" µs per player·s for the
 *     ticks and for the frames (wall time of the timed regions, preempted ones left out). The ticks
 *     are split further: the game's own step and snapshot build (the mode's calls, timed
 *     through a wrapper) and the rest, the room's orchestration and send path (inputs
 *     gathered, events batched, delta encoded, frames fanned out, the scheduler).
 *   - BENCH_HASH=1: a SHA-256 of every frame sent or published in the window, in order (the
 *     run is seeded and its clock simulated, so equal hashes mean byte-identical wire output:
 *     the check for an encoder or fan-out change; copy this file to the before tree).
 *   - BENCH_ALLOC=1: bytes allocated per player·s over the window and the top allocation
 *     sites (V8's sampling heap profiler, counting objects a GC already collected too), so
 *     garbage is measured in bytes, independent of the machine's load.
 *
 * The script only uses APIs older than protocol v2, so the same file measures an earlier
 * checkout too (copy it there, with bench/support/allocationProfile.ts) for a before/after on the same machine.
 */
import { createHash } from 'node:crypto';
import { PerformanceObserver } from 'node:perf_hooks';
import * as protocol from '../protocol/index.js';
import { ClientType, decodeClient, decodeServer, encodeClient, encodeServer, ServerType, type ClientMessage } from '../protocol/index.js';
import { arenaMode } from '../server/game/arena/arenaMode.js';
import type { Broadcaster, Connection } from '../server/rooms/connection.js';
import { registerModes } from '../server/modes/modeRegistry.js';
import { RoomManager } from '../server/rooms/roomManager.js';
import type { Room } from '../server/rooms/room.js';
import type { Seat } from '../server/rooms/seat.js';
import { patternRing, type TickIntent } from '../loadtest/lib/playerPattern.js';
import { InputFrame } from '../loadtest/bots/inputFrame.js';
import { encode } from '@msgpack/msgpack';
import { startAllocationSampling, type AllocationSites } from './support/allocationProfile.js';
import { CLIP_MS, COLD_KB, cold, installColdTimers, parts, region, runTimer, scrub, timedMode } from './support/coldRegions.js';
import { HeapClock } from './support/heapClock.js';

function envInt(name: string, fallback: number): number {
  const n = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(n) || n <= 0) {
    console.error(`bench: ${name} must be a positive integer (got ${process.env[name]})`);
    process.exit(2);
  }
  return n;
}

const MATCHES = envInt('BENCH_MATCHES', 100);
const SECONDS = envInt('BENCH_SECONDS', 20);
const WARMUP_S = 5;
const TICK_RATE = 30;
const PLAYERS_PER_MATCH = 8;

/** A manual clock with a binary heap of timers: O(log n) per timer, whatever the harness. */

const totals = new Map<string, { frames: number; bytes: number }>();
const HASH = process.env.BENCH_HASH === '1';
const wireHash = createHash('sha256');
let hashing = false;
/** BENCH_HASH: every frame (and how many receivers it had), in order. */
function hashFrame(frame: Uint8Array, receivers: number): void {
  if (!hashing) return;
  wireHash.update(String(receivers));
  wireHash.update(frame);
}
function count(kind: string, frames: number, bytes: number): void {
  let c = totals.get(kind);
  if (!c) totals.set(kind, (c = { frames: 0, bytes: 0 }));
  c.frames += frames;
  c.bytes += bytes;
}

class CountingConn implements Connection {
  closed = false;
  /** Keeps copies of its snapshot frames for BENCH_PROFILE (one player's view). */
  profile = false;
  send(frame: Uint8Array, kind: string): void {
    count(kind, 1, frame.byteLength);
    hashFrame(frame, 1);
    if (this.profile && kind === 'snapshot') profiled.push(frame.slice());
  }
  bufferedAmount(): number {
    return 0;
  }
  subscribe(): void {}
  unsubscribe(): void {}
  close(): void {
    this.closed = true;
  }
  terminate(): void {
    this.closed = true;
  }
}

/** BENCH_PROFILE=1: where the snapshot bytes go (one player's frames, split by part). */
const PROFILE = process.env.BENCH_PROFILE === '1';
const profiled: Uint8Array[] = [];

let profiledTopic: string | null = null;
const broadcaster: Broadcaster = {
  publish(topic, frame, kind, subscribers) {
    count(kind, subscribers, frame.byteLength * subscribers);
    hashFrame(frame, subscribers);
    // Protocol v1 published every snapshot to the match topic: profile one match's.
    if (PROFILE && kind === 'snapshot' && subscribers === PLAYERS_PER_MATCH && (profiledTopic ??= topic) === topic) profiled.push(frame.slice());
  },
};

interface Player {
  room: Room;
  seat: Seat;
  conn: CountingConn;
  ring: TickIntent[];
  seq: number;
  /** The bots' pre-encoded input frame (patched in place), so the harness allocates nothing. */
  frame: InputFrame;
}

installColdTimers();
const clock = new HeapClock(runTimer);
const manager = new RoomManager({
  clock,
  broadcaster,
  // One long match: the measured window stays in Playing.
  modes: registerModes({ arena: { mode: timedMode(arenaMode), settings: { map: 'arena', countdownSeconds: 0, matchSeconds: 86_400, scoreLimit: 1_000_000 } } }).modes,
  maxRooms: MATCHES,
  seed: 1,
  roomDefaults: {
    tickRate: TICK_RATE,
    snapshotRate: 15,
    maxPlayers: PLAYERS_PER_MATCH,
    reconnectGraceMs: 60_000,
    botFillDelayMs: -1,
  },
});

const players: Player[] = [];
const interval = 1000 / TICK_RATE;
for (let m = 0; m < MATCHES; m++) {
  const room = manager.create('arena')!;
  for (let p = 0; p < PLAYERS_PER_MATCH; p++) {
    const user = `u${m}-${p}`;
    room.reserve(user, user);
    const conn = new CountingConn();
    const r = room.attach(user, conn);
    if (!r.ok) throw new Error('attach failed');
    players.push({ room, seat: r.seat, conn, ring: patternRing(m * 8 + p + 1, TICK_RATE, 256), seq: 0, frame: new InputFrame() });
  }
  // Matches start at different moments, as players arrive.
  clock.advanceTo(clock.now() + interval / MATCHES);
}

// The server's receive path where the checkout has it (the /play socket's decoder and Pong
// writer), else the allocating decodeClient / encodeServer, so an older checkout still runs.
const hot = protocol as unknown as {
  ClientFrameReader?: new () => { read(bytes: Uint8Array): ClientMessage | null };
  PongWriter?: new () => { encode(t: number, serverTime: number): Uint8Array };
};
const reader = hot.ClientFrameReader ? new hot.ClientFrameReader() : null;
const pongWriter = hot.PongWriter ? new hot.PongWriter() : null;
function decodeFrame(bytes: Uint8Array): ClientMessage | null {
  if (reader) return reader.read(bytes);
  const r = decodeClient(bytes);
  return r.ok ? r.value : null;
}
function encodePongFrame(t: number, serverTime: number): Uint8Array {
  return pongWriter ? pongWriter.encode(t, serverTime) : encodeServer({ type: ServerType.Pong, t, serverTime });
}

/** One player's frames of one tick: its input, and a ping a second answered with a pong. */
function handleFrames(i: number): void {
  const pl = players[i];
  const intent = pl.ring[pl.seq++ & 255];
  const msg = decodeFrame(pl.frame.set(pl.seq, intent.buttons, intent.aim, pl.room.serverTick));
  if (msg && msg.type === ClientType.Input) pl.room.queueInput(pl.seat, msg);
  if (pl.seq % TICK_RATE === i % TICK_RATE) {
    const ping = decodeFrame(encodeClient({ type: ClientType.Ping, t: clock.now() }));
    if (ping && ping.type === ClientType.Ping) pl.conn.send(encodePongFrame(ping.t, clock.wallNow()), 'pong');
  }
}

/** One simulated second: every player sends one input per tick spread over the tick, one ping. */
function simulate(seconds: number): void {
  const ticks = seconds * TICK_RATE;
  const slots = 4;
  for (let t = 0; t < ticks; t++) {
    const start = clock.now();
    for (let s = 0; s < slots; s++) {
      if (!cold.on) {
        for (let i = s; i < players.length; i += slots) handleFrames(i);
      } else {
        // 8 players' frames between two scrubs (BENCH_COLD_KB), only they timed.
        for (let i = s; i < players.length; ) {
          scrub();
          const t0 = performance.now();
          for (let k = 0; k < 8 && i < players.length; k++, i += slots) handleFrames(i);
          const ms = performance.now() - t0;
          if (cold.timing && region(ms)) cold.frameMs += ms;
        }
      }
      clock.advanceTo(start + ((s + 1) * interval) / slots);
    }
  }
}

simulate(WARMUP_S);
totals.clear();
// v2 sends players their own frames; v1 published them (then the publish hook profiles).
players[0].conn.profile = PROFILE && profiled.length === 0;
profiled.length = 0;
let gcMs = 0;
const gcCounts = new Map<string, number>();
const GC_KINDS: Record<number, string> = { 1: 'minor', 2: 'major', 4: 'incremental', 8: 'weak callbacks' };
const obs = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    gcMs += e.duration;
    const kind = GC_KINDS[(e as unknown as { detail?: { kind?: number } }).detail?.kind ?? 0] ?? 'other';
    gcCounts.set(kind, (gcCounts.get(kind) ?? 0) + 1);
  }
});
obs.observe({ entryTypes: ['gc'] });
const ALLOC = process.env.BENCH_ALLOC === '1';
// Bytes are counted over the same window as CPU (the sampler slows allocation a little).
const stopSampling = ALLOC ? await startAllocationSampling(4096) : null;
hashing = HASH;
cold.timing = cold.on;
const cpu0 = process.cpuUsage();
const wall0 = performance.now();
simulate(SECONDS);
const cpu = process.cpuUsage(cpu0);
hashing = false;
cold.timing = false;
const wall = performance.now() - wall0;
const allocations = stopSampling ? await stopSampling() : null;
// Let the observer deliver the last entries.
await new Promise((r) => setTimeout(r, 50));
obs.disconnect();

const cpuMs = (cpu.user + cpu.system) / 1000;
const playerSeconds = players.length * SECONDS;
let frames = 0;
let bytes = 0;
for (const c of totals.values()) {
  frames += c.frames;
  bytes += c.bytes;
}
console.log(`room hot path: ${MATCHES} matches × ${PLAYERS_PER_MATCH} players, ${SECONDS} simulated s (after ${WARMUP_S} s warm-up), Node ${process.versions.node}`);
console.log(`CPU ${(cpuMs * 1000 / playerSeconds).toFixed(2)} µs per player·s (${cpuMs.toFixed(0)} ms CPU, ${wall.toFixed(0)} ms wall)`);
if (cold.on) {
  const per = (ms: number) => ((ms * 1000) / playerSeconds).toFixed(2);
  console.log(`cold (${COLD_KB} KiB scrubbed between timed regions): ticks ${per(cold.tickMs)} + frames ${per(cold.frameMs)} = ${per(cold.tickMs + cold.frameMs)} µs per player·s (wall time of the timed regions; ${cold.clipped} of ${cold.regions} over ${CLIP_MS} ms left out as preempted)`);
  console.log(`cold ticks split: game step + snapshot build ${per(cold.gameMs)}, room orchestration + send path ${per(cold.tickMs - cold.gameMs)} µs per player·s`);
  console.log(`cold send path: fan-out ${per(parts.fanoutMs)} (of which encode ${per(parts.encodeMs)}) µs per player·s`);
  console.log(`cold tick path: scheduler + tick loop ${per(cold.tickMs - parts.runTickMs)}, Room.runTick without game and fan-out ${per(parts.runTickMs - cold.gameMs - parts.fanoutMs)} (of which gathering inputs ${per(parts.gatherMs)}) µs per player·s`);
}
// GC pauses are wall time (inflated when the machine is busy); the count of minor GCs is
// not: the young generation has a fixed size, so it measures how much the path allocates.
const gcList = [...gcCounts].map(([k, n]) => `${n} ${k}`).join(', ') || 'none';
console.log(`GC: ${gcMs.toFixed(0)} ms of pauses = ${((gcMs / wall) * 100).toFixed(1)} % of wall time; ${gcList} (${(((gcCounts.get('minor') ?? 0) * 1000) / playerSeconds).toFixed(2)} minor GCs per 1,000 player·s)`);
console.log(`down per player·s: ${(frames / playerSeconds).toFixed(2)} frames, ${(bytes / playerSeconds).toFixed(0)} B payload`);
for (const [kind, c] of [...totals].sort((a, b) => b[1].bytes - a[1].bytes)) {
  console.log(`  ${kind.padEnd(10)} ${(c.frames / playerSeconds).toFixed(2).padStart(6)} frames/s  ${(c.bytes / playerSeconds).toFixed(0).padStart(5)} B/s  (${(c.bytes / Math.max(1, c.frames)).toFixed(1)} B avg)`);
}
if (HASH) console.log(`wire hash (sha256 of every frame in the window, in order): ${wireHash.digest('hex')}`);
if (PROFILE) profileBytes();
if (allocations) printAllocations(allocations, players.length * SECONDS);
manager.disposeAll();

/** Bytes allocated per player·s, and the sites (function, file:line, caller) that allocate most. */
function printAllocations(a: AllocationSites, playerSeconds: number): void {
  console.log(`allocated: ${(a.total / playerSeconds).toFixed(0)} B per player·s (sampled, every 4 KiB; includes the harness's own)`);
  for (const [k, v] of a.sites.slice(0, 20)) console.log(`  ${(v / playerSeconds).toFixed(1).padStart(7)} B/player·s  ${k}`);
}

/** Splits the profiled snapshot frames into header, tables (per field) and events (per kind). */
function profileBytes(): void {
  const parts = new Map<string, number>();
  const add = (k: string, n: number) => parts.set(k, (parts.get(k) ?? 0) + n);
  const size = (v: unknown) => encode(v).length;
  let framesSeen = 0;
  for (const f of profiled) {
    const m = decodeServer(f);
    if (!m.ok || m.value.type !== ServerType.Snapshot) continue;
    framesSeen++;
    const d = m.value.delta;
    add('frame total', f.length);
    add('tick, baseline, header', size([d.tick, d.baselineTick, d.header]) + 1);
    d.tables.forEach((t, ti) => {
      add(`table ${ti} removed`, size(t.removed));
      // Attribute each run's numbers: id, mask, then each field present.
      const fields = ti === 0 ? 8 : 5;
      for (let i = 0; i < t.changed.length; ) {
        add(`table ${ti} id+mask`, size(t.changed[i]) + size(t.changed[i + 1]));
        const mask = t.changed[i + 1];
        i += 2;
        for (let k = 0; k < fields; k++) if (mask & (1 << k)) add(`table ${ti} field ${k}`, size(t.changed[i++]));
      }
    });
    const events = (m.value as { events?: Array<{ events: number[][] }> }).events ?? [];
    for (const g of events) for (const e of g.events) add(`event kind ${e[0]}`, size(e));
  }
  console.log(`snapshot bytes per frame, ${framesSeen} frames of one match:`);
  for (const [k, v] of [...parts].sort((a, b) => b[1] - a[1])) console.log(`  ${k.padEnd(24)} ${(v / framesSeen).toFixed(1).padStart(6)} B`);
}
