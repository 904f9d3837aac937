/**
 * A match's state as the client sees it, for any game: the welcome, the snapshot chain
 * (keyframes and deltas applied with the game's schema), the own input acknowledgement,
 * clock sync from ping/pong, and an interpolation buffer to draw remote entities from.
 * Game code adds its own meaning to the rows (which field is x, what an event means).
 *
 * `update(now)` sends pings when due (5 quick ones for a fast first sync, then one per
 * `pingIntervalMs`); `sample(now)` gives the two snapshots bracketing the render time.
 * No DOM, no renderer: the same code runs in a page and in Node.
 */
import {
  ClientType,
  KEYFRAME,
  ServerType,
  applySnapshotDelta,
  resolveAck,
  type MatchConfig,
  type ServerMessage,
  type SnapshotSchema,
  type SnapshotState,
  type TickEvents,
} from '../protocol/index.js';
import { ClockSync } from './clockSync.js';
import type { Connection } from './connection.js';
import { Emitter } from './emitter.js';
import { InterpolationBuffer, type InterpolationOptions, type Sample } from './interpolationBuffer.js';

export interface MatchFeedEvents extends Record<string, unknown> {
  /** A welcome: a new match, or `resumed` on a new socket into the same seat. */
  welcome: { playerId: number; matchId: string; resumed: boolean; config: MatchConfig };
  /** A snapshot applied: the full state, the own last applied input, this tick range's events. */
  snapshot: { state: SnapshotState; ack: number; events: readonly TickEvents[]; arrival: number };
}

export interface MatchFeedOptions {
  /** The game's snapshot schema (field counts per table), as its server encodes them. */
  schema: SnapshotSchema;
  /** Local monotonic clock, ms (default performance.now). */
  now?: () => number;
  /** Ping interval once synced, ms (default 1000). */
  pingIntervalMs?: number;
  /** Interpolation tuning (tick and snapshot intervals come from the welcome). */
  interpolation?: Omit<InterpolationOptions, 'tickMs' | 'snapshotIntervalMs'>;
}

/** An arrival timestamp from the socket event older than this is not trusted (clock mismatch). */
const MAX_ARRIVAL_AGE_MS = 2000;
/** Quick pings at the start, for a usable clock offset within a second. */
const QUICK_PINGS = 5;

export class MatchFeed extends Emitter<MatchFeedEvents> {
  readonly clock = new ClockSync();
  config: MatchConfig | null = null;
  playerId = 0;
  matchId: string | null = null;
  /** The newest applied snapshot. */
  state: SnapshotState | null = null;
  /** The last input sequence the server applied for this player (null before a keyframe). */
  ack: number | null = null;
  /** Snapshots that failed to apply (a broken delta chain); should stay 0. */
  snapshotErrors = 0;
  private buffer: InterpolationBuffer<SnapshotState> | null = null;
  private lastPingAt = -Infinity;
  private pingsSent = 0;
  private readonly now: () => number;
  private readonly unsubscribe: () => void;

  constructor(
    readonly connection: Connection,
    private readonly o: MatchFeedOptions,
  ) {
    super();
    this.now = o.now ?? (() => performance.now());
    this.unsubscribe = connection.on('message', (m) => this.onMessage(m));
  }

  dispose(): void {
    this.unsubscribe();
    this.removeAllListeners();
  }

  /** Milliseconds per simulation tick (from the welcome; 1000/30 before it). */
  get tickMs(): number {
    return this.config ? 1000 / this.config.tickRate : 1000 / 30;
  }

  /** The interpolation buffer (null before the welcome): delay, jitter and starvation figures. */
  get interpolation(): InterpolationBuffer<SnapshotState> | null {
    return this.buffer;
  }

  /** Sends a ping when one is due. Call it every frame or from a timer. */
  update(now = this.now()): void {
    if (this.connection.state !== 'open' || !this.config) return;
    if (now - this.lastPingAt < (this.pingsSent < QUICK_PINGS ? 200 : (this.o.pingIntervalMs ?? 1000))) return;
    this.lastPingAt = now;
    this.pingsSent++;
    this.connection.send({ type: ClientType.Ping, t: Math.max(0, now) });
  }

  /** The snapshots bracketing the render time at local time `now` (null before two arrive). */
  sample(now = this.now()): Sample<SnapshotState> | null {
    return this.buffer?.sample(this.clock.serverNow(now)) ?? null;
  }

  /**
   * When the message being handled arrived: the socket event's own timestamp when it has
   * one (so a busy main thread does not make snapshots look late), else now.
   */
  arrivalTime(): number {
    const now = this.now();
    const at = this.connection.receivedAt;
    return at !== null && at <= now && now - at < MAX_ARRIVAL_AGE_MS ? at : now;
  }

  private onMessage(m: ServerMessage): void {
    switch (m.type) {
      case ServerType.Welcome: {
        const resumed = this.matchId === m.matchId && this.playerId === m.playerId && this.config !== null;
        if (!resumed) {
          this.config = m.config;
          this.matchId = m.matchId;
          this.playerId = m.playerId;
          this.buffer = new InterpolationBuffer<SnapshotState>({ ...this.o.interpolation, tickMs: this.tickMs, snapshotIntervalMs: 1000 / m.config.snapshotRate });
        }
        // A new socket starts a new delta chain with a keyframe.
        this.state = null;
        this.ack = null;
        this.emit('welcome', { playerId: m.playerId, matchId: m.matchId, resumed, config: m.config });
        return;
      }
      case ServerType.Snapshot: {
        if (!this.buffer) return;
        const arrival = this.arrivalTime();
        const applied = applySnapshotDelta(this.state, m.delta, this.o.schema);
        const ack = resolveAck(this.ack, m.delta.baselineTick === KEYFRAME, m.ack);
        if (!applied.ok || ack === null) {
          // Only a bug breaks an ordered stream's chain; the next keyframe repairs it.
          this.snapshotErrors++;
          return;
        }
        this.state = applied.value;
        this.ack = ack;
        this.buffer.push(applied.value.tick, applied.value, this.clock.serverNow(arrival));
        this.emit('snapshot', { state: applied.value, ack, events: m.events, arrival });
        return;
      }
      case ServerType.Pong: {
        const sample = this.clock.addSample(m.t, this.arrivalTime(), m.serverTime);
        // Snapshots that arrived before the clock synced were stamped with the old offset.
        if (sample && sample.step !== 0) this.buffer?.rebase(sample.step);
        return;
      }
      default:
        return;
    }
  }
}
