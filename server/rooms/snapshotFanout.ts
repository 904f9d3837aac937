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
 * Slow consumers: above the soft bound a socket stops getting snapshots (its delta chain
 * would break) and gets a keyframe of its own once it drains; above the hard bound it is
 * closed as a slow consumer (4016) by the room.
 */
import {
  SnapshotWriter,
  snapshotFrame,
  snapshotFrames,
  type SharedSnapshot,
  type SnapshotSchema,
  type SnapshotState,
  type TickEvents,
} from '../../protocol/index.js';
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

export class SnapshotFanout {
  // Reused from one snapshot to the next: no per-snapshot arrays besides the frame buffer.
  private readonly acks: number[] = [];
  private readonly targets: SnapshotViewer[] = [];
  private readonly frames: Uint8Array[] = [];
  /** Each player's own topic, built once per player id. */
  private readonly playerTopics = new Map<number, string>();
  /** Delta and keyframe are written into their own reused buffers (both live in one publish). */
  private readonly deltaWriter = new SnapshotWriter();
  private readonly keyframeWriter = new SnapshotWriter();

  constructor(private readonly o: FanoutOptions) {}

  publish(
    prev: SnapshotState | null,
    snap: SnapshotState,
    schema: SnapshotSchema,
    events: readonly TickEvents[],
    players: ReadonlyMap<unknown, SnapshotViewer>,
    spectators: ReadonlyMap<unknown, SnapshotViewer>,
  ): void {
    this.dropSlow(players, false);
    this.dropSlow(spectators, true);
    if (prev) {
      const shared = this.deltaWriter.encodeShared(prev, snap, schema, events);
      // Filled by index with a count (emptying an array with `length = 0` frees its store).
      const acks = this.acks;
      const targets = this.targets;
      let n = 0;
      for (const v of players.values()) {
        if (!v.conn || v.conn.closed || v.needsKeyframe) continue;
        acks[n] = v.ackSeq - v.ackSent;
        targets[n++] = v;
        v.ackSent = v.ackSeq;
      }
      if (n > 0) {
        const frames = snapshotFrames(shared, acks, this.frames, n);
        for (let i = 0; i < n; i++) this.o.broadcaster.publish(this.topicOf(targets[i]), frames[i], 'snapshot', 1);
      }
      let watching = 0;
      for (const v of spectators.values()) if (v.conn && !v.conn.closed && !v.needsKeyframe) watching++;
      if (watching > 0) this.o.broadcaster.publish(this.o.topic, snapshotFrame(shared, 0), 'snapshot', watching);
    }
    let keyframe: SharedSnapshot | null = null;
    for (const group of [players, spectators]) {
      for (const v of group.values()) {
        const conn = v.conn;
        if (!conn || conn.closed || !v.needsKeyframe) continue;
        if (conn.bufferedAmount() > this.o.softBufferBytes) {
          this.o.onDropped();
          continue;
        }
        keyframe ??= this.keyframeWriter.encodeShared(null, snap, schema, events);
        // Sent directly (rare: join, resume, recovery), then the socket subscribes; uWS
        // delivers anything already published to a topic before a new subscriber joins it,
        // so a keyframe never follows a delta it was meant to precede.
        conn.send(snapshotFrame(keyframe, v.ackSeq), 'keyframe');
        v.ackSent = v.ackSeq;
        conn.subscribe(this.topicOf(v));
        v.needsKeyframe = false;
      }
    }
  }

  /** Where a viewer's snapshots go: the player's own topic, or the match topic for spectators. */
  private topicOf(v: SnapshotViewer): string {
    if (v.playerId === 0) return this.o.topic;
    let t = this.playerTopics.get(v.playerId);
    if (t === undefined) this.playerTopics.set(v.playerId, (t = `${this.o.topic}/${v.playerId}`));
    return t;
  }

  /**
   * Sockets about to fall behind stop getting deltas before this one goes out, so the delta
   * chain of everyone else stays intact; they get a keyframe once they drain.
   */
  private dropSlow(viewers: ReadonlyMap<unknown, SnapshotViewer>, spectators: boolean): void {
    for (const v of viewers.values()) {
      const conn = v.conn;
      // The hard bound applies to sockets already waiting for a keyframe too: they still
      // receive chat, rosters and notices.
      if (!conn || conn.closed) continue;
      const buffered = conn.bufferedAmount();
      if (buffered > this.o.hardBufferBytes) {
        this.o.onSlowConsumer(v, conn);
      } else if (!v.needsKeyframe && buffered > this.o.softBufferBytes) {
        conn.unsubscribe(spectators ? this.o.topic : this.topicOf(v));
        v.needsKeyframe = true;
        this.o.onDropped();
      }
    }
  }
}
