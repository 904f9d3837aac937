/**
 * A match's outgoing snapshot stream: the events waiting for the next snapshot, the two
 * snapshot states that alternate (the new one is built in the one before the baseline, so
 * a steady match allocates no snapshot maps), and the fan-out that encodes and sends.
 */
import type { GameEvent, SnapshotState } from '../../protocol/index.js';
import type { Connection } from './connection.js';
import { EventBatch } from './eventBatch.js';
import type { GameMode } from './gameMode.js';
import { SnapshotFanout, type FanoutOptions, type SnapshotViewer } from './snapshotFanout.js';

export class MatchSnapshots {
  private last: SnapshotState | null = null;
  private spare: SnapshotState | null = null;
  private readonly events = new EventBatch();
  private readonly fanout: SnapshotFanout;

  constructor(
    private readonly mode: GameMode<unknown>,
    private readonly state: unknown,
    fanout: FanoutOptions,
  ) {
    this.fanout = new SnapshotFanout(fanout);
  }

  /** Events waiting for the next snapshot. */
  get pendingEvents(): number {
    return this.events.count;
  }

  /** Queues a tick's events; returns how many were dropped past the per-frame bound. */
  addEvents(tick: number, events: readonly GameEvent[]): number {
    return events.length > 0 ? this.events.add(tick, events) : 0;
  }

  /** Snapshots the state at `tick` and sends it with the waiting events to every viewer. */
  publish(tick: number, players: ReadonlyMap<unknown, SnapshotViewer>, spectators: ReadonlyMap<Connection, SnapshotViewer>): void {
    const snap = this.mode.snapshot(this.state, this.spare);
    snap.tick = tick;
    this.fanout.publish(this.last, snap, this.mode.schema, this.events.pending(), players, spectators);
    this.spare = this.last;
    this.last = snap;
    this.events.clear();
  }
}
