/**
 * Snapshot delta compression, independent of any game mode.
 *
 * A snapshot is a header (small integers) plus entity tables. Every entity is an id and a
 * fixed number of quantized integer fields; the game mode says how many fields each table
 * has (the schema) and what they mean. A delta against the previous snapshot lists, per
 * table, the ids that vanished and, for each new or changed entity, `id, mask, ...values`
 * where bit i of `mask` says field i follows. A new entity's values are absolute; a changed
 * entity's values are differences from its baseline row (a player's per-snapshot move of a
 * few hundred grid steps, or an input sequence that grew by 2, is a 1–2 byte MessagePack
 * integer where the absolute value takes 3–5). The transport is reliable and ordered, so the
 * baseline is always the previous snapshot that client received; `baselineTick = 0` marks a
 * keyframe (sent on join, on resume, and after a snapshot was dropped for a slow client).
 */
import { fail, ok, type Result } from './result.js';

export const KEYFRAME = 0;
/** Masks are uint32, so a table has at most 31 fields (bit 31 stays clear for safety). */
export const MAX_FIELDS = 31;

export interface EntityTable {
  rows: Map<number, number[]>;
}

export interface SnapshotState {
  tick: number;
  header: number[];
  tables: EntityTable[];
}

export interface TableDelta {
  removed: number[];
  /** Flat `id, mask, ...fields-in-mask` runs: absolute for new entities, differences otherwise. */
  changed: number[];
}

export interface SnapshotDelta {
  tick: number;
  baselineTick: number;
  header: number[];
  tables: TableDelta[];
}

/** Field counts per table, e.g. `[8, 5]` for the arena's players and projectiles. */
export type SnapshotSchema = readonly number[];

function diffTable(base: EntityTable | undefined, next: EntityTable, fields: number): TableDelta {
  const removed: number[] = [];
  const changed: number[] = [];
  if (base) {
    for (const id of base.rows.keys()) if (!next.rows.has(id)) removed.push(id);
  }
  for (const [id, row] of next.rows) {
    const old = base?.rows.get(id);
    let mask = 0;
    for (let i = 0; i < fields; i++) if (!old || old[i] !== row[i]) mask |= 1 << i;
    if (mask === 0) continue;
    changed.push(id, mask >>> 0);
    for (let i = 0; i < fields; i++) if (mask & (1 << i)) changed.push(old ? row[i] - old[i] : row[i]);
  }
  return { removed, changed };
}

/** Delta from `base` to `next`; a null base gives a keyframe. */
export function diffSnapshot(
  base: SnapshotState | null,
  next: SnapshotState,
  schema: SnapshotSchema,
): SnapshotDelta {
  return {
    tick: next.tick,
    baselineTick: base ? base.tick : KEYFRAME,
    header: next.header.slice(),
    tables: schema.map((fields, t) => diffTable(base?.tables[t], next.tables[t], fields)),
  };
}

function popcount(mask: number): number {
  let n = 0;
  for (let m = mask >>> 0; m !== 0; m >>>= 1) n += m & 1;
  return n;
}

/**
 * Rebuilds the full snapshot from a delta. Fails (never throws) when the delta does not
 * fit the baseline or the schema, which a client treats as "request a keyframe".
 * `base` is never modified; rows the delta does not touch are shared with it, so treat
 * snapshot states as immutable.
 */
export function applySnapshotDelta(
  base: SnapshotState | null,
  delta: SnapshotDelta,
  schema: SnapshotSchema,
): Result<SnapshotState> {
  const isKeyframe = delta.baselineTick === KEYFRAME;
  if (!isKeyframe && (!base || base.tick !== delta.baselineTick)) {
    return fail(`delta baseline ${delta.baselineTick} does not match snapshot ${base?.tick ?? 'none'}`);
  }
  if (delta.tables.length !== schema.length) return fail('table count does not match schema');
  const tables: EntityTable[] = [];
  for (let t = 0; t < schema.length; t++) {
    const fields = schema[t];
    // 2 ** fields, not 1 << fields: `1 << 31` is negative in JS, which broke 31-field tables.
    const full = fields >= 32 ? 0xffffffff : 2 ** fields - 1;
    const rows = new Map<number, number[]>(isKeyframe ? [] : base!.tables[t].rows);
    const td = delta.tables[t];
    for (const id of td.removed) {
      if (!rows.delete(id)) return fail(`removed entity ${id} not in baseline`);
    }
    const c = td.changed;
    let i = 0;
    while (i < c.length) {
      if (i + 2 > c.length) return fail('truncated entity run');
      const id = c[i];
      const mask = c[i + 1] >>> 0;
      i += 2;
      if (mask === 0 || (mask & ~full) !== 0) return fail(`bad field mask for entity ${id}`);
      const old = rows.get(id);
      if (!old && mask !== full) return fail(`new entity ${id} without every field`);
      const n = popcount(mask);
      if (i + n > c.length) return fail('truncated entity fields');
      const row = old ? old.slice() : new Array<number>(fields).fill(0);
      for (let f = 0; f < fields; f++) if (mask & (1 << f)) row[f] = old ? old[f] + c[i++] : c[i++];
      rows.set(id, row);
    }
    tables.push({ rows });
  }
  return ok({ tick: delta.tick, header: delta.header.slice(), tables });
}
