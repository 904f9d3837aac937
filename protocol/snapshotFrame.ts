/**
 * Building snapshot frames (protocol v2):
 *
 *   [65, tick, baselineAge, header, tables, events, ack]
 *
 * Everything but `ack` is the same for every receiver of a match's snapshot, so it is
 * encoded once (`encodeSnapshotShared`) and each receiver's frame is that shared prefix plus
 * its own `ack` (`snapshotFrame`): the last input sequence the server applied for *this*
 * receiver's player — the prediction's reconciliation anchor, which nobody else needs.
 * The ack rides the same reliable, ordered delta chain as the snapshot: in a keyframe it is
 * absolute, in a delta it is the difference from the previous snapshot's ack (+2 at 30
 * inputs/s and 15 snapshots/s: one byte). Spectators get 0, so their frames are identical
 * and can still go out as one publish.
 *
 * `baselineAge` is `tick − baselineTick` (0 = keyframe): 1 byte where the tick takes 3–5.
 */
import { Encoder } from '@msgpack/msgpack';
import { ServerType, type TickEvents } from './messages.js';
import { KEYFRAME, type SnapshotDelta } from './snapshot.js';
import { writeMsgpackInt } from './snapshotWriter.js';

// One encoder for every snapshot: `encode()` from @msgpack/msgpack builds a new Encoder
// (and its 2 KB buffer) per call.
const encoder = new Encoder();

/** Bytes a MessagePack integer takes at most (int64/uint64 tag + 8). */
const MAX_INT_BYTES = 9;

/** The receiver-independent part of a snapshot frame: a 7-element array missing its last element. */
export interface SharedSnapshot {
  readonly bytes: Uint8Array;
  readonly keyframe: boolean;
}

/** The reference encoder (tools, tests, the client side); the server uses SnapshotWriter. */
export function encodeSnapshotShared(d: SnapshotDelta, events: readonly TickEvents[] = []): SharedSnapshot {
  const bytes = encoder.encode([
    ServerType.Snapshot,
    d.tick,
    d.baselineTick === KEYFRAME ? 0 : d.tick - d.baselineTick,
    d.header,
    d.tables.map((t) => [t.removed, t.changed]),
    events.map((e) => [d.tick - e.tick, e.events]),
  ]);
  // fixarray(6) → fixarray(7): the receiver's ack is appended after the shared elements.
  bytes[0] = 0x97;
  return { bytes, keyframe: d.baselineTick === KEYFRAME };
}

/**
 * Frames for the first `count` receivers' acks of one shared snapshot, carved from one
 * buffer, written to out[0…count−1] (entries past count are stale). Tools and tests; the
 * server writes each receiver's frame in place with SnapshotWriter.frame (no allocation).
 */
export function snapshotFrames(shared: SharedSnapshot, acks: readonly number[], out: Uint8Array[], count = acks.length): Uint8Array[] {
  const len = shared.bytes.length;
  const slab = new Uint8Array(count * (len + MAX_INT_BYTES));
  let at = 0;
  for (let i = 0; i < count; i++) {
    slab.set(shared.bytes, at);
    const end = writeMsgpackInt(slab, at + len, acks[i]);
    out[i] = slab.subarray(at, end);
    at = end;
  }
  return out;
}

/** One receiver's frame (tests, bots, tools; the room uses SnapshotWriter.frame). */
export function snapshotFrame(shared: SharedSnapshot, ack: number): Uint8Array {
  return snapshotFrames(shared, [ack], [], 1)[0];
}

/** A complete snapshot frame for one receiver. */
export function encodeSnapshotDelta(d: SnapshotDelta, events: readonly TickEvents[] = [], ack = 0): Uint8Array {
  return snapshotFrame(encodeSnapshotShared(d, events), ack);
}

/**
 * The receiver's absolute ack after this snapshot: a keyframe's is absolute, a delta's adds
 * to the previous one. Null when a delta arrives with no previous ack (a broken chain).
 */
export function resolveAck(previous: number | null, keyframe: boolean, wire: number): number | null {
  if (keyframe) return wire;
  return previous === null ? null : previous + wire;
}
