/**
 * Sends one match snapshot to everyone watching it (protocol v2, protocol/snapshotFrame.ts).
 *
 * The delta and the events are encoded once per match per snapshot. Each seated player's
 * frame is that shared prefix plus the player's own `ack` (the last input sequence the
 * simulation applied for them), carved from one buffer: the ack is the only per-player
 * content, and it no longer costs every other player two bytes per row. Spectators have no
 * ack, so their frames are identical and go out as one publish on the match topic.
 *
 * A player's frame is published on the player's own topic (`<match topic>/<playerId>`)
 * rather than sent on the socket: uWS buffers small publishes and writes them after the
 * callback, coalesced per socket, where a `send` from a timer is a write syscall in the
 * middle of the tick (it made tick durations several times longer in a profile).
 *
 * Every frame is written in place in its writer's buffer (SnapshotWriter.frame), one after
 * the other: the next player's ack overwrites the previous player's. That is safe because a
 * publish or send copies the bytes before it returns (uWS into its per-socket buffers, the
 * polling transport into its queue, test fakes by contract), so nothing here allocates per
 * snapshot or per viewer. The Maps are walked with `forEach` and callbacks bound once: a
 * `for…of` over a Map allocates an iterator per loop, seven per snapshot.
 *
 * Slow consumers: above the soft bound a socket stops getting snapshots (its delta chain
 * would break) and gets a keyframe of its own once it drains; above the hard bound it is
 * closed as a slow consumer (4016) by the room.
 */
import { SnapshotWriter, type SnapshotSchema, type SnapshotState, type TickEvents } from '../../protocol/index.js';
import type { Broadcaster, Connection } from './connection.js';

/** Anyone who receives a match's snapshots: a seated player or a spectator. */
export interface SnapshotViewer {
  conn: Connection | null;
  needsKeyframe: boolean;
  /** The viewer's entity id; 0 for spectators. */
  readonly playerId: number;
  /** Last input sequence the simulation applied for this viewer's player; 0 for spectators. */
  readonly ackSeq: number;
  /** The ack this viewer's socket last received (deltas carry the difference). */
  ackSent: number;
}

export interface FanoutOptions {
  topic: string;
  broadcaster: Broadcaster;
  softBufferBytes: number;
  hardBufferBytes: number;
  /** A socket passed the hard bound: the room closes it and lets its seat or spectator go. */
  onSlowConsumer(viewer: SnapshotViewer, conn: Connection): void;
  /** A snapshot was skipped for a socket above the soft bound. */
  onDropped(): void;
}

type Viewers = ReadonlyMap<unknown, SnapshotViewer>;

const NO_EVENTS: readonly TickEvents[] = [];

export class SnapshotFanout {
  /** Each player's own topic, built once per player id (ids are small: an array, not a Map). */
  private readonly playerTopics: string[] = [];
  /** Delta and keyframe are written into their own reused buffers (both go out in one publish). */
  private readonly deltaWriter = new SnapshotWriter();
  private readonly keyframeWriter = new SnapshotWriter();
  // The snapshot being published, for the callbacks below (cleared after each publish).
  private snap: SnapshotState | null = null;
  private schema: SnapshotSchema = [];
  private events: readonly TickEvents[] = NO_EVENTS;
  private hasDelta = false;
  private keyframeEncoded = false;
  private watching = 0;

  constructor(private readonly o: FanoutOptions) {}

  /**
   * Players are visited once each (bound check, then delta or keyframe): a snapshot's
   * work per player touches its seat and socket once, where three passes (bounds, deltas,
   * keyframes) loaded each seat three times, cold by the next snapshot 66 ms later.
   * Spectators keep separate passes: they share the match topic, and a keyframe's
   * subscribe must come after that topic's delta publish.
   */
  publish(prev: SnapshotState | null, snap: SnapshotState, schema: SnapshotSchema, events: readonly TickEvents[], players: Viewers, spectators: Viewers): void {
    this.snap = snap;
    this.schema = schema;
    this.events = events;
    this.keyframeEncoded = false;
    this.hasDelta = prev !== null;
    try {
      if (prev) this.deltaWriter.encode(prev, snap, schema, events);
      players.forEach(this.sendToPlayer);
      spectators.forEach(this.dropSlowSpectator);
      if (prev) {
        this.watching = 0;
        spectators.forEach(this.countWatching);
        // Spectators have no ack (0): their frames are identical, one publish on the match topic.
        if (this.watching > 0) this.o.broadcaster.publish(this.o.topic, this.deltaWriter.frame(0), 'snapshot', this.watching);
      }
      spectators.forEach(this.sendSpectatorKeyframe);
    } finally {
      this.snap = null;
      this.events = NO_EVENTS;
    }
  }

  /** Where a viewer's snapshots go: the player's own topic, or the match topic for spectators. */
  private topicOf(v: SnapshotViewer): string {
    const id = v.playerId;
    if (id === 0) return this.o.topic;
    let t = this.playerTopics[id];
    if (t === undefined) this.playerTopics[id] = t = `${this.o.topic}/${id}`;
    return t;
  }

  /**
   * A seated player's snapshot. Above the hard bound the socket is closed (the room lets the
   * seat go); above the soft bound a subscribed socket leaves its topic and waits for a
   * keyframe (its delta chain would break), and a waiting one keeps waiting. Otherwise a
   * delta with the player's own ack on the player's own topic, or the keyframe it waits for.
   * The buffered amount is read once (a call into uWS, per player per snapshot).
   */
  private readonly sendToPlayer = (v: SnapshotViewer): void => {
    const conn = v.conn;
    if (!conn || conn.closed) return;
    const buffered = conn.bufferedAmount();
    if (buffered > this.o.hardBufferBytes) {
      this.o.onSlowConsumer(v, conn);
      return;
    }
    if (!v.needsKeyframe) {
      if (buffered > this.o.softBufferBytes) {
        conn.unsubscribe(this.topicOf(v));
        v.needsKeyframe = true;
        // One skipped snapshot, counted once (tickwire_snapshots_dropped_total).
        this.o.onDropped();
        return;
      }
      if (!this.hasDelta) return;
      const ack = v.ackSeq - v.ackSent;
      v.ackSent = v.ackSeq;
      this.o.broadcaster.publish(this.topicOf(v), this.deltaWriter.frame(ack), 'snapshot', 1);
      return;
    }
    if (buffered > this.o.softBufferBytes) {
      this.o.onDropped();
      return;
    }
    this.sendKeyframe(v, conn);
  };

  private readonly countWatching = (v: SnapshotViewer): void => {
    if (v.conn && !v.conn.closed && !v.needsKeyframe) this.watching++;
  };

  private readonly sendSpectatorKeyframe = (v: SnapshotViewer): void => {
    const conn = v.conn;
    if (!conn || conn.closed || !v.needsKeyframe) return;
    if (conn.bufferedAmount() > this.o.softBufferBytes) {
      this.o.onDropped();
      return;
    }
    this.sendKeyframe(v, conn);
  };

  private sendKeyframe(v: SnapshotViewer, conn: Connection): void {
    if (!this.keyframeEncoded) {
      this.keyframeWriter.encode(null, this.snap!, this.schema, this.events);
      this.keyframeEncoded = true;
    }
    // Sent directly (rare: join, resume, recovery), then the socket subscribes; uWS
    // delivers anything already published to a topic before a new subscriber joins it,
    // so a keyframe never follows a delta it was meant to precede.
    conn.send(this.keyframeWriter.frame(v.ackSeq), 'keyframe');
    v.ackSent = v.ackSeq;
    conn.subscribe(this.topicOf(v));
    v.needsKeyframe = false;
  }

  /**
   * A spectator about to fall behind stops getting deltas before this one goes out; it gets
   * a keyframe once it drains. The hard bound applies to sockets already waiting for a
   * keyframe too: they still receive chat, rosters and notices.
   */
  private readonly dropSlowSpectator = (v: SnapshotViewer): void => {
    const conn = v.conn;
    if (!conn || conn.closed) return;
    const buffered = conn.bufferedAmount();
    if (buffered > this.o.hardBufferBytes) {
      this.o.onSlowConsumer(v, conn);
    } else if (!v.needsKeyframe && buffered > this.o.softBufferBytes) {
      // Not counted here: the keyframe pass that follows finds it still above the soft
      // bound and counts this snapshot as skipped, once.
      conn.unsubscribe(this.o.topic);
      v.needsKeyframe = true;
    }
  };
}
