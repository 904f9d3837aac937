import { describe, expect, it } from 'vitest';
import {
  MAX_BUTTONS,
  MAX_FIELDS,
  MOVEMENT_BUTTONS,
  Buttons,
  applySnapshotDelta,
  defineInputShape,
  defineSnapshotSchema,
  diffSnapshot,
} from '../../protocol/index.js';

describe('defineSnapshotSchema', () => {
  const Wire = defineSnapshotSchema({
    header: ['phase', 'ticksLeft', 'it'],
    tables: { players: ['x', 'y', 'score', 'flags'], flags: ['x', 'y'] },
  });

  it('names header entries, tables and fields by position', () => {
    expect(Wire.schema).toEqual([4, 2]);
    expect(Wire.header).toEqual({ phase: 0, ticksLeft: 1, it: 2 });
    expect(Wire.tables.players.index).toBe(0);
    expect(Wire.tables.flags.index).toBe(1);
    expect(Wire.tables.players.fields.score).toBe(2);
    expect(Wire.tables.players.row({ y: 5, flags: 1 })).toEqual([0, 5, 0, 1]);
  });

  it('reads a snapshot that went through a delta back by name', () => {
    const s = Wire.empty();
    s.tick = 3;
    s.header = [2, 90, 7];
    s.tables[Wire.tables.players.index].rows.set(7, Wire.tables.players.row({ x: 10, y: 20, score: 3, flags: 1 }));
    const r = applySnapshotDelta(null, diffSnapshot(null, s, Wire.schema), Wire.schema);
    if (!r.ok) throw new Error(r.error);
    expect(Wire.readHeader(r.value)).toEqual({ phase: 2, ticksLeft: 90, it: 7 });
    expect(Wire.tables.players.read(r.value)).toEqual([{ id: 7, x: 10, y: 20, score: 3, flags: 1 }]);
    expect(Wire.tables.flags.read(r.value)).toEqual([]);
  });

  it('refuses definitions the wire cannot carry, naming the mistake', () => {
    const many = Array.from({ length: MAX_FIELDS + 1 }, (_, i) => `f${i}`);
    expect(() => defineSnapshotSchema({ header: [], tables: { big: many } })).toThrow(/at most 31/);
    expect(() => defineSnapshotSchema({ header: [], tables: {} })).toThrow(/at least one table/);
    expect(() => defineSnapshotSchema({ header: [], tables: { t: [] } })).toThrow(/no fields/);
    expect(() => defineSnapshotSchema({ header: [], tables: { t: ['x', 'x'] } })).toThrow(/twice/);
    expect(() => defineSnapshotSchema({ header: ['a b'], tables: { t: ['x'] } })).toThrow(/identifier/);
  });
});

describe('defineInputShape', () => {
  const Input = defineInputShape({ buttons: [...MOVEMENT_BUTTONS, 'dash'], aim: false });

  it('gives the movement buttons the bits movePlayer reads', () => {
    expect(Input.bits.up).toBe(Buttons.Up);
    expect(Input.bits.down).toBe(Buttons.Down);
    expect(Input.bits.left).toBe(Buttons.Left);
    expect(Input.bits.right).toBe(Buttons.Right);
    expect(Input.bits.dash).toBe(16);
    expect(Input.mask).toBe(0b11111);
    expect(Input.aim).toBe(false);
  });

  it('encodes and decodes pressed buttons', () => {
    const m = Input.encode({ up: true, dash: true });
    expect(m).toBe(0b10001);
    expect(Input.decode(m)).toEqual({ up: true, down: false, left: false, right: false, dash: true });
    expect(Input.has(m, 'dash')).toBe(true);
    expect(Input.has(m, 'left')).toBe(false);
  });

  it('ignores undeclared bits and refuses more buttons than the wire has', () => {
    const two = defineInputShape({ buttons: ['a', 'b'] });
    expect(two.mask).toBe(0b11);
    expect(two.decode(0b11111)).toEqual({ a: true, b: true });
    expect(() => defineInputShape({ buttons: ['a', 'b', 'c', 'd', 'e', 'f'] })).toThrow(`at most ${MAX_BUTTONS}`);
  });
});
