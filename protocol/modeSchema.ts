/**
 * How a game mode declares its own wire contract without editing protocol/: the meaning
 * of its snapshot header and entity-table fields (`defineSnapshotSchema`) and the names of
 * its input buttons (`defineInputShape`). The server, the mode's client, bots and k6
 * scripts import the same definition, so a field index is written down once.
 *
 * The wire stays generic: a snapshot is `header: number[]` plus tables of integer rows
 * (snapshot.ts), an input is `buttons` (a 5-bit mask) plus a uint16 `aim` (clientCodec.ts). These
 * helpers only name the positions; they add no bytes and no per-frame work on the server.
 */
import { BUTTONS_MASK } from './movement.js';
import { MAX_FIELDS, type SnapshotSchema, type SnapshotState } from './snapshot.js';

/** Field names → their index in the row, e.g. `{ x: 0, y: 1 }`. */
export type FieldIndex<F extends string> = { readonly [K in F]: number };

export interface TableDefinition<F extends string> {
  /** Position of this table in `SnapshotState.tables`. */
  readonly index: number;
  readonly fields: FieldIndex<F>;
  /** Number of fields in a row (the schema entry). */
  readonly size: number;
  /** A row from named values; missing names are 0. */
  row(values: Partial<Record<F, number>>): number[];
  /** Every entity of this table in `state`, as `{ id, ...fields }`, in map order. */
  read(state: SnapshotState): Array<{ id: number } & Record<F, number>>;
}

export interface SnapshotSchemaDefinition<H extends string, T extends Record<string, readonly string[]>> {
  /** The field counts per table: what `GameMode.schema` and `applySnapshotDelta` take. */
  readonly schema: SnapshotSchema;
  readonly header: FieldIndex<H>;
  readonly tables: { readonly [K in keyof T]: TableDefinition<T[K][number]> };
  /** The header of `state` by name. */
  readHeader(state: SnapshotState): Record<H, number>;
  /** An empty snapshot of this schema (tick 0, zeroed header, empty tables). */
  empty(): SnapshotState;
}

/** Names are identifiers: they become object keys on both sides of the wire. */
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function indexNames<F extends string>(names: readonly F[], what: string, max: number): FieldIndex<F> {
  if (names.length > max) throw new Error(`${what} has ${names.length} fields; at most ${max} fit (split it into two tables)`);
  const index: Record<string, number> = {};
  names.forEach((n, i) => {
    if (!NAME.test(n)) throw new Error(`${what}: field name ${JSON.stringify(n)} is not an identifier`);
    if (n in index) throw new Error(`${what}: field ${n} is listed twice`);
    index[n] = i;
  });
  return Object.freeze(index) as FieldIndex<F>;
}

/**
 * Declares a snapshot layout by name:
 * ```ts
 * const TagWire = defineSnapshotSchema({
 *   header: ['phase', 'ticksLeft', 'it'],
 *   tables: { players: ['x', 'y', 'score', 'flags'] },
 * });
 * TagWire.schema                 // [4]
 * TagWire.tables.players.fields.y // 1
 * ```
 * Tables keep the order of the `tables` object's keys. Header entry 0 should be the match
 * phase and entry 1 the ticks left in it, as every mode's header begins (protocol/arena.ts
 * `Header`), so generic tools (spectator lists, bots, k6) can read them. Throws on a bad
 * definition: it runs once, at module load, where a thrown error names the mistake.
 */
export function defineSnapshotSchema<const H extends string, const T extends Record<string, readonly string[]>>(spec: {
  header: readonly H[];
  tables: T;
}): SnapshotSchemaDefinition<H, T> {
  const header = indexNames(spec.header, 'header', 64);
  const names = Object.keys(spec.tables);
  if (names.length === 0) throw new Error('a snapshot schema needs at least one table');
  const tables: Record<string, TableDefinition<string>> = {};
  names.forEach((name, index) => {
    if (!NAME.test(name)) throw new Error(`table name ${JSON.stringify(name)} is not an identifier`);
    const fieldNames = spec.tables[name];
    if (fieldNames.length === 0) throw new Error(`table ${name} has no fields`);
    const fields = indexNames(fieldNames, `table ${name}`, MAX_FIELDS);
    const size = fieldNames.length;
    tables[name] = Object.freeze({
      index,
      fields,
      size,
      row(values: Partial<Record<string, number>>) {
        const row = new Array<number>(size).fill(0);
        for (let i = 0; i < size; i++) row[i] = values[fieldNames[i]] ?? 0;
        return row;
      },
      read(state: SnapshotState) {
        const out: Array<{ id: number } & Record<string, number>> = [];
        const rows = state.tables[index]?.rows;
        if (!rows) return out;
        for (const [id, row] of rows) {
          const e: { id: number } & Record<string, number> = { id };
          for (let i = 0; i < size; i++) e[fieldNames[i]] = row[i];
          out.push(e);
        }
        return out;
      },
    });
  });
  const schema = Object.freeze(names.map((n) => spec.tables[n].length));
  return Object.freeze({
    schema,
    header,
    tables: Object.freeze(tables) as SnapshotSchemaDefinition<H, T>['tables'],
    readHeader(state: SnapshotState) {
      const out = {} as Record<H, number>;
      spec.header.forEach((n, i) => (out[n] = state.header[i] ?? 0));
      return out;
    },
    empty(): SnapshotState {
      return { tick: 0, header: new Array<number>(spec.header.length).fill(0), tables: names.map(() => ({ rows: new Map() })) };
    },
  });
}

/** How many buttons an input carries on the wire (the `buttons` field is this many bits). */
export const MAX_BUTTONS = Math.log2(BUTTONS_MASK + 1);

/**
 * The movement buttons `movePlayer` reads (bits 0–3). A mode that moves players with the
 * shared movement rules lists these first, in this order, so client prediction matches.
 */
export const MOVEMENT_BUTTONS = ['up', 'down', 'left', 'right'] as const;

export interface InputShape<B extends string> {
  /** Button name → its bit. */
  readonly bits: { readonly [K in B]: number };
  /** All declared bits; a mode masks incoming buttons with it (undeclared bits mean nothing). */
  readonly mask: number;
  /** Whether the mode reads the uint16 `aim` (informational: aim is always on the wire). */
  readonly aim: boolean;
  /** Pressed buttons → the wire's bitmask. */
  encode(pressed: Partial<Record<B, boolean>>): number;
  /** The wire's bitmask → pressed buttons (undeclared bits are ignored). */
  decode(buttons: number): Record<B, boolean>;
  /** Whether `button` is down in `buttons`. */
  has(buttons: number, button: B): boolean;
}

/**
 * Names a mode's input buttons, in bit order:
 * ```ts
 * const TagInput = defineInputShape({ buttons: [...MOVEMENT_BUTTONS, 'dash'], aim: false });
 * TagInput.encode({ up: true, dash: true }) // 0b10001
 * ```
 * At most MAX_BUTTONS (5) names: the wire carries one small integer, validated by the
 * codec before any mode sees it.
 */
export function defineInputShape<const B extends string>(spec: { buttons: readonly B[]; aim?: boolean }): InputShape<B> {
  const index = indexNames(spec.buttons, 'input buttons', MAX_BUTTONS);
  const bits = {} as Record<B, number>;
  for (const b of spec.buttons) bits[b] = 1 << index[b];
  const mask = (1 << spec.buttons.length) - 1;
  return Object.freeze({
    bits: Object.freeze(bits),
    mask,
    aim: spec.aim ?? true,
    encode(pressed: Partial<Record<B, boolean>>) {
      let m = 0;
      for (const b of spec.buttons) if (pressed[b]) m |= bits[b];
      return m;
    },
    decode(buttons: number) {
      const out = {} as Record<B, boolean>;
      for (const b of spec.buttons) out[b] = (buttons & bits[b]) !== 0;
      return out;
    },
    has(buttons: number, button: B) {
      return (buttons & bits[button]) !== 0;
    },
  });
}
