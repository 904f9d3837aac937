/**
 * The snapshot a SnapshotWriter encoded last, kept compact for the next delta.
 *
 * A match's next delta is against that same snapshot (the server's delta chain), and by
 * then it is cold: ~66 ms and every other match's work later, its rows are a Map's hash
 * table plus two heap objects per row (the array and its elements), each row a cache miss
 * or two, where the diff needs only the numbers. So while writing a snapshot the writer
 * copies its rows here (ids and fields in two typed arrays, in row order: a few contiguous
 * cache lines), and the next delta diffs against this copy instead of the baseline's Map.
 *
 * The copy stands for the baseline only if it is the very object recorded, at the same
 * tick, and nobody changed its rows since: snapshot states are immutable once encoded
 * (snapshot.ts; the room's recycled state is the one before the baseline, never the
 * baseline itself).
 */
import type { SnapshotState } from './snapshot.js';

/**
 * Above this many rows the copy is not searched (a row not at its expected place is looked
 * for by a linear scan); the baseline's Map is used instead.
 */
const MAX_COMPACT_ROWS = 256;

/** One table's rows: ids[k] and its fields at vals[k * fields …]. */
export class CompactTable {
  ids = new Float64Array(16);
  vals = new Float64Array(16 * 8);
  /** Per row: matched by the delta being written (the rest were removed). */
  seen = new Uint8Array(16);
  count = 0;
  fields = 0;

  /** Empties the table for `rows` rows of `fields` fields. */
  reset(fields: number, rows: number): void {
    this.count = 0;
    this.fields = fields;
    if (this.ids.length < rows) {
      const cap = Math.max(rows, this.ids.length * 2);
      this.ids = new Float64Array(cap);
      this.seen = new Uint8Array(cap);
    }
    if (this.vals.length < rows * fields) this.vals = new Float64Array(Math.max(rows * fields, this.vals.length * 2));
  }

  push(id: number, row: readonly number[]): void {
    const k = this.count++;
    this.ids[k] = id;
    const vals = this.vals;
    const fields = this.fields;
    const b = k * fields;
    for (let i = 0; i < fields; i++) vals[b + i] = row[i];
  }

  /** The row of `id`, searched from `from` on and then from the start; -1 if absent. */
  indexOf(id: number, from: number): number {
    const ids = this.ids;
    for (let k = from; k < this.count; k++) if (ids[k] === id) return k;
    for (let k = 0; k < from && k < this.count; k++) if (ids[k] === id) return k;
    return -1;
  }
}

export class CompactBaseline {
  /** Two sides: the recorded snapshot's tables, and the ones being written. */
  private readonly sides: CompactTable[][] = [[], []];
  private side = 0;
  private recorded: SnapshotState | null = null;
  private recordedTick = -1;
  private held = false;

  /** Call before writing a delta: whether `base` is the snapshot recorded last. */
  begin(base: SnapshotState | null): void {
    this.held = base !== null && base === this.recorded && base.tick === this.recordedTick;
  }

  /** The compact copy of the baseline's table t, or null (not held, or not usable). */
  baseTable(t: number, fields: number): CompactTable | null {
    if (!this.held) return null;
    const table = this.sides[this.side][t];
    return table !== undefined && table.fields === fields && table.count <= MAX_COMPACT_ROWS ? table : null;
  }

  /** The table t being recorded, emptied for `rows` rows. */
  nextTable(t: number, fields: number, rows: number): CompactTable {
    const tables = this.sides[this.side ^ 1];
    let table = tables[t];
    if (table === undefined) tables[t] = table = new CompactTable();
    table.reset(fields, rows);
    return table;
  }

  /** The snapshot just written is the next baseline. */
  commit(next: SnapshotState): void {
    this.side ^= 1;
    this.recorded = next;
    this.recordedTick = next.tick;
  }
}
