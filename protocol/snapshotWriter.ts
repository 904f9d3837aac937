/**
 * The server's snapshot encoder: diffs two snapshot states straight into MessagePack bytes
 * in a reused buffer, where `encodeSnapshotShared(diffSnapshot(...))` builds a delta object,
 * its arrays, the encoder's nested arrays and a copy (a heap profile of a 100-match server
 * put that at about a quarter of all allocation). The bytes are identical to the reference
 * path; a test compares both on random states, so snapshot.ts's `diffSnapshot` and the
 * generic encoder stay the one definition of the format.
 */
import { ServerType, type TickEvents } from './messages.js';
import type { SharedSnapshot } from './snapshotFrame.js';
import type { EntityTable, SnapshotSchema, SnapshotState } from './snapshot.js';

/** Room for an array header before its elements are counted: 0xdd + uint32. */
const MAX_ARRAY_HEADER = 5;

/** Bytes a MessagePack integer takes at most (int64/uint64 tag + 8): room for the ack. */
const MAX_INT_BYTES = 9;

/** Frame views a writer keeps for reuse (a power of two). */
const VIEW_SLOTS = 64;

export class SnapshotWriter {
  private buf = new Uint8Array(2048);
  private pos = 0;
  /** End of the shared part the last `encode` wrote: `frame` appends an ack here. */
  private sharedEnd = 0;
  /**
   * Views of `buf` handed out by `frame`, by length modulo VIEW_SLOTS: a frame of a length
   * seen before gets the same view object again instead of a new one (~100 B each, one per
   * receiver before). Snapshot frames of a match vary in length within a few dozen bytes,
   * so nearly every frame hits; a collision just replaces the slot. Bound: VIEW_SLOTS views.
   */
  private views: Uint8Array[] = [];
  /** The buffer `views` were cut from (a grown buffer needs new views). */
  private viewsOf: Uint8Array = this.buf;

  /**
   * The shared part of a snapshot frame (see snapshotFrame.ts) from `base` (null: keyframe)
   * to `next`. The returned bytes are this writer's buffer: valid until its next call.
   */
  encodeShared(base: SnapshotState | null, next: SnapshotState, schema: SnapshotSchema, events: readonly TickEvents[]): SharedSnapshot {
    this.encode(base, next, schema, events);
    return { bytes: this.buf.subarray(0, this.sharedEnd), keyframe: base === null };
  }

  /**
   * Writes the shared part like `encodeShared` without handing out a view of it: the
   * receivers' frames come from `frame` (the server's fan-out allocates nothing per snapshot).
   */
  encode(base: SnapshotState | null, next: SnapshotState, schema: SnapshotSchema, events: readonly TickEvents[]): void {
    this.pos = 0;
    this.byte(0x97); // 7 elements; the receiver's ack is appended after these 6
    this.int(ServerType.Snapshot);
    this.int(next.tick);
    this.int(base ? next.tick - base.tick : 0);
    this.arrayHeader(next.header.length);
    for (let i = 0; i < next.header.length; i++) this.int(next.header[i]);
    this.arrayHeader(schema.length);
    for (let t = 0; t < schema.length; t++) this.table(base ? base.tables[t] : undefined, next.tables[t], schema[t]);
    this.arrayHeader(events.length);
    for (let g = 0; g < events.length; g++) {
      const group = events[g];
      this.byte(0x92);
      this.int(next.tick - group.tick);
      this.arrayHeader(group.events.length);
      for (let e = 0; e < group.events.length; e++) {
        const ev = group.events[e];
        this.arrayHeader(ev.length);
        for (let k = 0; k < ev.length; k++) this.int(ev[k]);
      }
    }
    this.sharedEnd = this.pos;
    this.ensure(MAX_INT_BYTES);
  }

  /**
   * One receiver's complete frame of the last encoded snapshot: the shared part with `ack`
   * appended (snapshotFrame.ts), written in place in this writer's buffer. The bytes are
   * only valid until the next `frame` or `encode` call, which overwrite them: hand them to
   * something that copies at once (uWS `publish` and `send` copy into the socket's buffer
   * before they return) and never keep them.
   */
  frame(ack: number): Uint8Array {
    const end = writeMsgpackInt(this.buf, this.sharedEnd, ack);
    if (this.viewsOf !== this.buf) {
      this.views = [];
      this.viewsOf = this.buf;
    }
    const slot = end & (VIEW_SLOTS - 1);
    let view = this.views[slot];
    if (view === undefined || view.length !== end) this.views[slot] = view = this.buf.subarray(0, end);
    return view;
  }

  /**
   * Scratch for `table`, reused by every call (never shrunk; entries past a call's row count
   * are stale and not read): the next table's ids and rows in iteration order, and the base
   * row matched to each of them by the walk below (undefined: not matched).
   */
  private nextIds: number[] = [];
  private nextRows: number[][] = [];
  private matched: (number[] | undefined)[] = [];
  /** Per base row in iteration order: the index in `next` it was paired with, or -1. */
  private pairedAt: number[] = [];

  /**
   * `[removed, changed]` exactly as diffSnapshot + the generic encoder would write it.
   * Without a hash lookup per row in the steady state: the rows of `base` that are still in
   * `next` are usually in the same order there (a match's players every snapshot; its
   * projectiles too, the survivors first), so one walk of `base` against a cursor in `next`
   * pairs them; a row the walk does not pair (reordered, or new) falls back to the lookups
   * the reference diff makes, so the answer is the same for any pair of maps.
   */
  private table(base: EntityTable | undefined, next: EntityTable, fields: number): void {
    const ids = this.nextIds;
    const rows = this.nextRows;
    const matched = this.matched;
    let count = 0;
    for (const id of next.rows.keys()) ids[count++] = id;
    count = 0;
    for (const row of next.rows.values()) {
      rows[count] = row;
      matched[count++] = undefined;
    }
    this.byte(0x92);
    let start = this.openArray();
    let n = 0;
    if (base) {
      const pairedAt = this.pairedAt;
      let c = 0;
      let k = 0;
      for (const id of base.rows.keys()) {
        if (c < count && ids[c] === id) {
          pairedAt[k++] = c++;
          continue;
        }
        pairedAt[k++] = -1;
        if (next.rows.has(id)) continue;
        this.int(id);
        n++;
      }
      // The paired rows, from a walk of the values in the same order.
      k = 0;
      for (const old of base.rows.values()) {
        const at = pairedAt[k++];
        if (at >= 0) matched[at] = old;
      }
    }
    this.closeArray(start, n);
    start = this.openArray();
    n = 0;
    for (let r = 0; r < count; r++) {
      const id = ids[r];
      const row = rows[r];
      const old = matched[r] ?? base?.rows.get(id);
      let mask = 0;
      for (let i = 0; i < fields; i++) if (!old || old[i] !== row[i]) mask |= 1 << i;
      if (mask === 0) continue;
      this.int(id);
      this.int(mask >>> 0);
      n += 2;
      for (let i = 0; i < fields; i++) {
        if (!(mask & (1 << i))) continue;
        this.int(old ? row[i] - old[i] : row[i]);
        n++;
      }
    }
    this.closeArray(start, n);
  }

  private openArray(): number {
    this.ensure(MAX_ARRAY_HEADER);
    const start = this.pos;
    this.pos += MAX_ARRAY_HEADER;
    return start;
  }

  /** Writes the shortest header for `n` elements at `start` and moves the elements up to it. */
  private closeArray(start: number, n: number): void {
    const size = n < 16 ? 1 : n < 0x10000 ? 3 : 5;
    const body = start + MAX_ARRAY_HEADER;
    if (size < MAX_ARRAY_HEADER) this.buf.copyWithin(start + size, body, this.pos);
    this.pos -= MAX_ARRAY_HEADER - size;
    const end = this.pos;
    this.pos = start;
    this.arrayHeader(n);
    this.pos = end;
  }

  private arrayHeader(n: number): void {
    this.ensure(5);
    const b = this.buf;
    if (n < 16) b[this.pos++] = 0x90 | n;
    else if (n < 0x10000) {
      b[this.pos] = 0xdc;
      b[this.pos + 1] = n >>> 8;
      b[this.pos + 2] = n & 0xff;
      this.pos += 3;
    } else {
      b[this.pos] = 0xdd;
      b[this.pos + 1] = n >>> 24;
      b[this.pos + 2] = (n >>> 16) & 0xff;
      b[this.pos + 3] = (n >>> 8) & 0xff;
      b[this.pos + 4] = n & 0xff;
      this.pos += 5;
    }
  }

  private byte(v: number): void {
    this.ensure(1);
    this.buf[this.pos++] = v;
  }

  private int(n: number): void {
    this.ensure(9);
    this.pos = writeMsgpackInt(this.buf, this.pos, n);
  }

  private ensure(extra: number): void {
    if (this.pos + extra <= this.buf.length) return;
    const grown = new Uint8Array(Math.max(this.buf.length * 2, this.pos + extra));
    grown.set(this.buf.subarray(0, this.pos));
    this.buf = grown;
  }
}

/** Writes `n` (a safe integer) as the shortest MessagePack integer at `at`; returns the end. */
export function writeMsgpackInt(b: Uint8Array, at: number, n: number): number {
  if (n >= 0) {
    if (n < 0x80) {
      b[at] = n;
      return at + 1;
    }
    if (n < 0x100) {
      b[at] = 0xcc;
      b[at + 1] = n;
      return at + 2;
    }
    if (n < 0x10000) {
      b[at] = 0xcd;
      b[at + 1] = n >>> 8;
      b[at + 2] = n & 0xff;
      return at + 3;
    }
    if (n <= 0xffffffff) {
      b[at] = 0xce;
      b[at + 1] = n >>> 24;
      b[at + 2] = (n >>> 16) & 0xff;
      b[at + 3] = (n >>> 8) & 0xff;
      b[at + 4] = n & 0xff;
      return at + 5;
    }
    b[at] = 0xcf;
    new DataView(b.buffer, b.byteOffset).setBigUint64(at + 1, BigInt(n));
    return at + 9;
  }
  if (n >= -32) {
    b[at] = n & 0xff;
    return at + 1;
  }
  if (n >= -128) {
    b[at] = 0xd0;
    b[at + 1] = n & 0xff;
    return at + 2;
  }
  if (n >= -32768) {
    b[at] = 0xd1;
    b[at + 1] = (n >> 8) & 0xff;
    b[at + 2] = n & 0xff;
    return at + 3;
  }
  if (n >= -0x80000000) {
    b[at] = 0xd2;
    b[at + 1] = (n >> 24) & 0xff;
    b[at + 2] = (n >> 16) & 0xff;
    b[at + 3] = (n >> 8) & 0xff;
    b[at + 4] = n & 0xff;
    return at + 5;
  }
  b[at] = 0xd3;
  new DataView(b.buffer, b.byteOffset).setBigInt64(at + 1, BigInt(n));
  return at + 9;
}
