/**
 * The room tests' shared fixture: a Room on a manual clock with fake sockets that decode
 * every frame they get and keep the client's view (snapshot state through the deltas,
 * the resolved input ack), and a broadcaster that delivers topic publishes to them.
 */
import {
  ARENA_SCHEMA,
  applySnapshotDelta,
  decodeServer,
  KEYFRAME,
  resolveAck,
  ServerType,
  type ServerMessage,
  type SnapshotMsg,
  type SnapshotSchema,
  type SnapshotState,
} from '../../protocol/index.js';
import { ManualClock } from '../../server/clock.js';
import { arenaMode } from '../../server/game/arena/arenaMode.js';
import type { Broadcaster, Connection } from '../../server/rooms/connection.js';
import type { GameMode } from '../../server/rooms/gameMode.js';
import { Room, type RoomOptions } from '../../server/rooms/room.js';

export const TICK = 1000 / 30;

export class RecordingConn implements Connection {
  closed = false;
  closeCode = 0;
  /** What bufferedAmount() reports: set it to play a slow consumer. */
  buffered = 0;
  topics = new Set<string>();
  frames: Array<{ bytes: Uint8Array; kind: string }> = [];
  received: ServerMessage[] = [];
  /** The match as this client sees it, through keyframe and deltas. */
  state: SnapshotState | null = null;
  /** The input ack as this client resolves it. */
  ack: number | null = null;
  /** Undecodable frames, broken delta baselines, unresolvable acks. */
  errors: string[] = [];

  constructor(private readonly schema: SnapshotSchema = ARENA_SCHEMA) {}

  send(frame: Uint8Array, kind: string): void {
    if (this.closed) return;
    // Copy: a frame is only valid until it is sent.
    const bytes = frame.slice();
    this.frames.push({ bytes, kind });
    const m = decodeServer(bytes);
    if (!m.ok) return void this.errors.push(m.error);
    this.received.push(m.value);
    if (m.value.type !== ServerType.Snapshot) return;
    const s = applySnapshotDelta(this.state, m.value.delta, this.schema);
    const ack = resolveAck(this.ack, m.value.delta.baselineTick === KEYFRAME, m.value.ack);
    if (!s.ok || ack === null) return void this.errors.push(s.ok ? 'ack' : s.error);
    this.state = s.value;
    this.ack = ack;
  }
  bufferedAmount(): number {
    return this.buffered;
  }
  subscribe(t: string): void {
    this.topics.add(t);
  }
  unsubscribe(t: string): void {
    this.topics.delete(t);
  }
  close(code: number): void {
    this.closed = true;
    this.closeCode = code;
  }
  terminate(): void {
    this.close(1006);
  }
  get kinds(): string[] {
    return this.frames.map((f) => f.kind);
  }
  count(type: number): number {
    return this.received.filter((m) => m.type === type).length;
  }
  snapshots(): SnapshotMsg[] {
    return this.received.filter((m): m is SnapshotMsg => m.type === ServerType.Snapshot);
  }
}

/** Delivers each publish to the connections subscribed to its topic, and records it. */
export class TopicBroadcaster implements Broadcaster {
  conns: RecordingConn[] = [];
  /** Every publish: the subscriber count the room announced and how many really were. */
  publishes: Array<{ topic: string; kind: string; subscribers: number; delivered: number }> = [];
  publish(topic: string, frame: Uint8Array, kind: string, subscribers: number): void {
    let delivered = 0;
    for (const c of this.conns) {
      if (!c.topics.has(topic)) continue;
      c.send(frame, kind);
      delivered++;
    }
    this.publishes.push({ topic, kind, subscribers, delivered });
  }
}

/** An 8-player arena room (open map, no countdown, no bots) unless `over` says otherwise. */
export function makeRoom(over: Partial<RoomOptions> = {}, schema: SnapshotSchema = ARENA_SCHEMA) {
  const clock = new ManualClock();
  const broadcaster = new TopicBroadcaster();
  const disposed: string[] = [];
  const room = new Room({
    id: 'r1',
    mode: arenaMode as GameMode<unknown>,
    clock,
    broadcaster,
    tickRate: 30,
    snapshotRate: 15,
    maxPlayers: 8,
    reconnectGraceMs: 1000,
    botFillDelayMs: -1,
    seed: 7,
    settings: { map: 'open', countdownSeconds: 0, minPlayers: 2 },
    hooks: { onDispose: (r) => disposed.push(r.id) },
    ...over,
  });
  const conn = () => {
    const c = new RecordingConn(schema);
    broadcaster.conns.push(c);
    return c;
  };
  const join = (user: string) => {
    room.reserve(user, user);
    const c = conn();
    const r = room.attach(user, c);
    if (!r.ok) throw new Error('attach failed');
    return { c, seat: r.seat };
  };
  return { room, clock, broadcaster, conn, join, disposed };
}
