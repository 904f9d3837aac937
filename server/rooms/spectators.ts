/**
 * A match's read-only viewers: bounded in number, each with the snapshot state a viewer
 * needs (keyframe pending; no entity, no input ack). The Room sends their welcome and
 * roster; the snapshot fan-out reads them beside the seats.
 */
import type { Connection } from './connection.js';
import type { SnapshotViewer } from './snapshotFanout.js';

export class Spectators {
  private readonly viewers = new Map<Connection, SnapshotViewer>();

  constructor(private readonly max: number) {}

  get size(): number {
    return this.viewers.size;
  }

  /** The fan-out's view of them (keyed by socket). */
  get all(): ReadonlyMap<Connection, SnapshotViewer> {
    return this.viewers;
  }

  /** Adds a socket unless the match already has `max` spectators. */
  add(conn: Connection): boolean {
    if (this.viewers.size >= this.max) return false;
    this.viewers.set(conn, { conn, needsKeyframe: true, playerId: 0, ackSeq: 0, ackSent: 0 });
    return true;
  }

  /** Returns whether the socket was a spectator. */
  remove(conn: Connection): boolean {
    return this.viewers.delete(conn);
  }

  /** Closes every spectator's socket and forgets them (the match ends). */
  closeAll(code: number, reason: string): void {
    for (const conn of this.viewers.keys()) if (!conn.closed) conn.close(code, reason);
    this.viewers.clear();
  }
}
