import { describe, expect, it } from 'vitest';
import {
  KEYFRAME,
  MAX_FIELDS,
  PROJECTILE_FIELDS,
  ServerType,
  Tables,
  applySnapshotDelta,
  decodeServer,
  diffSnapshot,
  encodeSnapshotDelta,
  encodeSnapshotShared,
  SnapshotWriter,
  type TickEvents,
  type SnapshotDelta,
  type SnapshotSchema,
  type SnapshotState,
} from '../../protocol/index.js';
import { prng, randInt } from '../support/prng.js';

// The delta codec is game-independent. These tests use a two-table schema shaped like the
// arena's, with an 8-field first table so masks above 127 (two-byte masks) stay covered.
const PLAYER_FIELDS = 8;
const ARENA_SCHEMA: SnapshotSchema = [PLAYER_FIELDS, PROJECTILE_FIELDS];



/** A plausible quantized field value: mostly small, sometimes at the edges of the wire ranges. */
function randField(rnd: () => number): number {
  const k = rnd();
  if (k < 0.5) return randInt(rnd, -32768, 32767);
  if (k < 0.8) return randInt(rnd, 0, 100);
  if (k < 0.95) return randInt(rnd, 0, 65535);
  return [0, -1, 2 ** 31 - 1, -(2 ** 31), 2 ** 32 - 1][randInt(rnd, 0, 4)];
}

function randRow(rnd: () => number, fields: number): number[] {
  return Array.from({ length: fields }, () => randField(rnd));
}

function randomState(rnd: () => number, tick: number, schema: SnapshotSchema): SnapshotState {
  return {
    tick,
    header: Array.from({ length: randInt(rnd, 0, 3) }, () => randInt(rnd, 0, 5000)),
    tables: schema.map((fields) => {
      const rows = new Map<number, number[]>();
      const n = rnd() < 0.1 ? 0 : randInt(rnd, 1, 40);
      while (rows.size < n) rows.set(randInt(rnd, 0, 200), randRow(rnd, fields));
      return { rows };
    }),
  };
}

/** The next state: each entity is removed, kept, or has a random subset of fields changed; new ids appear. */
function evolve(rnd: () => number, a: SnapshotState, schema: SnapshotSchema, tickStep = 1): SnapshotState {
  const pRemove = rnd() * 0.3;
  const pSame = rnd();
  return {
    tick: a.tick + tickStep,
    header: rnd() < 0.5 ? a.header.slice() : Array.from({ length: randInt(rnd, 0, 3) }, () => randInt(rnd, 0, 5000)),
    tables: schema.map((fields, t) => {
      const rows = new Map<number, number[]>();
      for (const [id, row] of a.tables[t].rows) {
        const k = rnd();
        if (k < pRemove) continue;
        if (k < pRemove + (1 - pRemove) * pSame) {
          rows.set(id, row.slice());
          continue;
        }
        const next = row.slice();
        const changes = randInt(rnd, 1, fields);
        for (let c = 0; c < changes; c++) {
          const f = randInt(rnd, 0, fields - 1);
          // Sometimes "change" to the same value: must not be sent.
          next[f] = rnd() < 0.1 ? row[f] : randField(rnd);
        }
        rows.set(id, next);
      }
      const adds = rnd() < 0.3 ? 0 : randInt(rnd, 1, 10);
      for (let i = 0; i < adds; i++) {
        const id = randInt(rnd, 0, 400);
        if (!rows.has(id) && !a.tables[t].rows.has(id)) rows.set(id, randRow(rnd, fields));
      }
      return { rows };
    }),
  };
}

function cloneState(s: SnapshotState): SnapshotState {
  return {
    tick: s.tick,
    header: s.header.slice(),
    tables: s.tables.map((t) => ({ rows: new Map([...t.rows].map(([id, r]) => [id, r.slice()])) })),
  };
}

/** Structural equality with plain arrays so failures print readable diffs. */
function plain(s: SnapshotState): unknown {
  return {
    tick: s.tick,
    header: s.header,
    tables: s.tables.map((t) => [...t.rows.entries()].sort((x, y) => x[0] - y[0])),
  };
}

function applyOk(base: SnapshotState | null, d: SnapshotDelta, schema: SnapshotSchema = ARENA_SCHEMA): SnapshotState {
  const r = applySnapshotDelta(base, d, schema);
  if (!r.ok) throw new Error(`applySnapshotDelta failed: ${r.error}`);
  return r.value;
}

function wireRoundTrip(d: SnapshotDelta): SnapshotDelta {
  const r = decodeServer(encodeSnapshotDelta(d));
  if (!r.ok) throw new Error(`decodeServer failed: ${r.error}`);
  if (r.value.type !== ServerType.Snapshot) throw new Error('not a snapshot');
  return r.value.delta;
}

/** Calls applySnapshotDelta, failing the test if it throws, and expects a failure result. */
function expectApplyFails(base: SnapshotState | null, d: SnapshotDelta, schema: SnapshotSchema = ARENA_SCHEMA): string {
  let r: ReturnType<typeof applySnapshotDelta> | undefined;
  expect(() => {
    r = applySnapshotDelta(base, d, schema);
  }).not.toThrow();
  expect(r!.ok).toBe(false);
  return r!.ok ? '' : r!.error;
}

function row8(id: number, tick = 0): number[] {
  return [id * 100, id * 50, id * 1000, 100, id, 0, 9, tick];
}

function fixedState(tick: number, playerIds: number[], projectileIds: number[] = []): SnapshotState {
  return {
    tick,
    header: [2, 1000],
    tables: [
      { rows: new Map(playerIds.map((id) => [id, row8(id)])) },
      { rows: new Map(projectileIds.map((id) => [id, [id, id, 1, 0, id]])) },
    ],
  };
}

describe('snapshot delta: randomized property (seeded)', () => {
  it('applySnapshotDelta(a, diffSnapshot(a, b)) equals b, directly and over the wire (500 pairs)', () => {
    const rnd = prng(0xdecaf);
    let totalChanged = 0;
    let totalRemoved = 0;
    for (let iter = 0; iter < 500; iter++) {
      const a = randomState(rnd, randInt(rnd, 1, 1_000_000), ARENA_SCHEMA);
      const b = iter % 10 === 9 ? randomState(rnd, a.tick + 1, ARENA_SCHEMA) : evolve(rnd, a, ARENA_SCHEMA, randInt(rnd, 1, 3));
      const aBefore = cloneState(a);
      const bBefore = cloneState(b);

      const d = diffSnapshot(a, b, ARENA_SCHEMA);
      expect(d.tick).toBe(b.tick);
      expect(d.baselineTick).toBe(a.tick);
      const applied = applyOk(a, d);
      expect(plain(applied)).toEqual(plain(b));

      const overWire = wireRoundTrip(d);
      expect(overWire).toEqual(d);
      expect(plain(applyOk(a, overWire))).toEqual(plain(b));

      // Neither input was modified.
      expect(plain(a)).toEqual(plain(aBefore));
      expect(plain(b)).toEqual(plain(bBefore));

      // Rows the delta touched are fresh arrays, never the baseline's (unchanged rows may be shared).
      for (let t = 0; t < ARENA_SCHEMA.length; t++) {
        for (const [id, row] of applied.tables[t].rows) {
          const old = a.tables[t].rows.get(id);
          if (old && old.some((v, f) => v !== row[f])) expect(row).not.toBe(old);
        }
      }

      // The delta lists exactly the removed ids and exactly the new or changed entities.
      for (let t = 0; t < ARENA_SCHEMA.length; t++) {
        const fields = ARENA_SCHEMA[t];
        const expectRemoved = [...a.tables[t].rows.keys()].filter((id) => !b.tables[t].rows.has(id)).sort((x, y) => x - y);
        expect([...d.tables[t].removed].sort((x, y) => x - y)).toEqual(expectRemoved);
        let expectChangedEntities = 0;
        for (const [id, row] of b.tables[t].rows) {
          const old = a.tables[t].rows.get(id);
          if (!old || old.some((v, f) => v !== row[f])) expectChangedEntities++;
        }
        let runs = 0;
        const c = d.tables[t].changed;
        for (let i = 0; i < c.length; runs++) {
          const mask = c[i + 1];
          expect(mask).toBeGreaterThan(0);
          expect(mask).toBeLessThan(2 ** fields);
          i += 2 + mask.toString(2).split('').filter((x) => x === '1').length;
        }
        expect(runs).toBe(expectChangedEntities);
        totalChanged += runs;
        totalRemoved += expectRemoved.length;
      }
    }
    // The generator really produced removals and changes.
    expect(totalChanged).toBeGreaterThan(1000);
    expect(totalRemoved).toBeGreaterThan(200);
  });

  it('a chain of 200 deltas keeps a client in sync with the server', () => {
    const rnd = prng(42);
    let server = randomState(rnd, 1, ARENA_SCHEMA);
    let client = applyOk(null, wireRoundTrip(diffSnapshot(null, server, ARENA_SCHEMA)));
    expect(plain(client)).toEqual(plain(server));
    for (let i = 0; i < 200; i++) {
      const next = evolve(rnd, server, ARENA_SCHEMA);
      client = applyOk(client, wireRoundTrip(diffSnapshot(server, next, ARENA_SCHEMA)));
      server = next;
      expect(plain(client)).toEqual(plain(server));
    }
  });

  it('works for tables with MAX_FIELDS (31) fields', () => {
    const schema: SnapshotSchema = [MAX_FIELDS, 1];
    const rnd = prng(31);
    for (let iter = 0; iter < 100; iter++) {
      const a = randomState(rnd, iter + 1, schema);
      const b = evolve(rnd, a, schema);
      expect(plain(applyOk(null, diffSnapshot(null, a, schema), schema))).toEqual(plain(a));
      expect(plain(applyOk(a, wireRoundTrip(diffSnapshot(a, b, schema)), schema))).toEqual(plain(b));
    }
  });
});

describe('snapshot delta: keyframes and baselines', () => {
  it('a keyframe (null base) applies onto null and lists every entity with a full mask', () => {
    const rnd = prng(7);
    for (let iter = 0; iter < 50; iter++) {
      const b = randomState(rnd, iter + 1, ARENA_SCHEMA);
      const kf = diffSnapshot(null, b, ARENA_SCHEMA);
      expect(kf.baselineTick).toBe(KEYFRAME);
      for (let t = 0; t < ARENA_SCHEMA.length; t++) {
        expect(kf.tables[t].removed).toEqual([]);
        const fields = ARENA_SCHEMA[t];
        expect(kf.tables[t].changed.length).toBe(b.tables[t].rows.size * (2 + fields));
      }
      expect(plain(applyOk(null, kf))).toEqual(plain(b));
      expect(plain(applyOk(null, wireRoundTrip(kf)))).toEqual(plain(b));
    }
  });

  it('a keyframe ignores whatever baseline the client holds', () => {
    const rnd = prng(8);
    const stale = randomState(rnd, 3, ARENA_SCHEMA);
    const b = randomState(rnd, 99, ARENA_SCHEMA);
    expect(plain(applyOk(stale, diffSnapshot(null, b, ARENA_SCHEMA)))).toEqual(plain(b));
  });

  it('a delta against the wrong baseline tick fails', () => {
    const a = fixedState(10, [1, 2, 3]);
    const b = fixedState(11, [1, 2, 4]);
    const d = diffSnapshot(a, b, ARENA_SCHEMA);
    expect(d.baselineTick).toBe(10);
    expect(expectApplyFails({ ...a, tick: 9 }, d)).toMatch(/baseline/);
    expect(expectApplyFails({ ...a, tick: 11 }, d)).toMatch(/baseline/);
    expect(expectApplyFails(null, d)).toMatch(/baseline/);
    expect(applySnapshotDelta(a, d, ARENA_SCHEMA).ok).toBe(true);
  });

  it('an empty state round trips (no entities at all)', () => {
    const empty: SnapshotState = { tick: 5, header: [], tables: [{ rows: new Map() }, { rows: new Map() }] };
    expect(plain(applyOk(null, wireRoundTrip(diffSnapshot(null, empty, ARENA_SCHEMA))))).toEqual(plain(empty));
    const full = fixedState(6, [1, 2], [9]);
    expect(plain(applyOk(empty, diffSnapshot(empty, full, ARENA_SCHEMA)))).toEqual(plain(full));
    const back = { ...empty, tick: 7 };
    const d = diffSnapshot(full, back, ARENA_SCHEMA);
    expect(d.tables[Tables.Players].removed.sort()).toEqual([1, 2]);
    expect(d.tables[Tables.Projectiles].removed).toEqual([9]);
    expect(plain(applyOk(full, d))).toEqual(plain(back));
  });
});

describe('snapshot delta: malformed deltas fail without throwing', () => {
  const base = fixedState(10, [1, 2, 3], [50]);
  const delta = (players: Partial<{ removed: number[]; changed: number[] }>, tick = 11, baselineTick = 10): SnapshotDelta => ({
    tick,
    baselineTick,
    header: [2, 999],
    tables: [
      { removed: players.removed ?? [], changed: players.changed ?? [] },
      { removed: [], changed: [] },
    ],
  });

  it('sanity: a well-formed hand-written delta applies (differences for known rows, absolute for new)', () => {
    const s = applyOk(base, delta({ removed: [3], changed: [1, 0b11, 7, -8, 4, 0xff, 1, 2, 3, 4, 5, 6, 7, 8] }));
    const old = row8(1);
    expect(s.tables[0].rows.get(1)).toEqual([old[0] + 7, old[1] - 8, ...old.slice(2)]);
    expect(s.tables[0].rows.get(4)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(s.tables[0].rows.has(3)).toBe(false);
    expect(s.tables[1].rows.get(50)).toEqual([50, 50, 1, 0, 50]);
  });

  it('masks with unknown bits', () => {
    expect(expectApplyFails(base, delta({ changed: [1, 1 << PLAYER_FIELDS, 5] }))).toMatch(/mask/);
    expect(expectApplyFails(base, delta({ changed: [1, 0x1ff, 1, 2, 3, 4, 5, 6, 7, 8, 9] }))).toMatch(/mask/);
    expect(expectApplyFails(base, delta({ changed: [1, 0x80000000, 5] }))).toMatch(/mask/);
    expect(expectApplyFails(base, delta({ changed: [1, -1, 5] }))).toMatch(/mask/);
    expect(expectApplyFails(base, delta({ changed: [1, 0] }))).toMatch(/mask/);
    const projBad: SnapshotDelta = { ...delta({}), tables: [{ removed: [], changed: [] }, { removed: [], changed: [50, 1 << PROJECTILE_FIELDS, 1] }] };
    expect(expectApplyFails(base, projBad)).toMatch(/mask/);
  });

  it('a new entity without the full mask', () => {
    expect(expectApplyFails(base, delta({ changed: [9, 0b1, 100] }))).toMatch(/new entity/);
    expect(expectApplyFails(base, delta({ changed: [9, 0x7f, 1, 2, 3, 4, 5, 6, 7] }))).toMatch(/new entity/);
    // The same partial mask is fine for an entity the baseline has.
    expect(applySnapshotDelta(base, delta({ changed: [1, 0b1, 100] }), ARENA_SCHEMA).ok).toBe(true);
    // A keyframe holds no baseline entities, so a partial mask there is also a new entity.
    expect(expectApplyFails(base, delta({ changed: [1, 0b1, 100] }, 11, KEYFRAME))).toMatch(/new entity/);
  });

  it('truncated runs', () => {
    expect(expectApplyFails(base, delta({ changed: [1] }))).toMatch(/truncated/);
    expect(expectApplyFails(base, delta({ changed: [1, 0b111, 5, 6] }))).toMatch(/truncated/);
    expect(expectApplyFails(base, delta({ changed: [9, 0xff, 1, 2, 3, 4, 5, 6, 7] }))).toMatch(/truncated/);
    expect(expectApplyFails(base, delta({ changed: [1, 0b1, 5, 2] }))).toMatch(/truncated/);
  });

  it('removing ids the baseline does not have', () => {
    expect(expectApplyFails(base, delta({ removed: [77] }))).toMatch(/77/);
    expect(expectApplyFails(base, delta({ removed: [1, 1] }))).toMatch(/not in baseline/);
    expect(expectApplyFails(null, delta({ removed: [1] }, 11, KEYFRAME))).toMatch(/not in baseline/);
  });

  it('table count that does not match the schema', () => {
    expect(expectApplyFails(base, { ...delta({}), tables: [{ removed: [], changed: [] }] })).toMatch(/table count/);
    expect(expectApplyFails(base, { ...delta({}), tables: [...delta({}).tables, { removed: [], changed: [] }] })).toMatch(/table count/);
  });

  it('corrupted wire deltas from seeded mutations never throw', () => {
    const rnd = prng(0xbad);
    for (let iter = 0; iter < 500; iter++) {
      const a = randomState(rnd, iter + 1, ARENA_SCHEMA);
      const b = evolve(rnd, a, ARENA_SCHEMA);
      const d = diffSnapshot(a, b, ARENA_SCHEMA);
      const t = d.tables[randInt(rnd, 0, 1)];
      const which = randInt(rnd, 0, 3);
      if (which === 0 && t.changed.length) t.changed.splice(randInt(rnd, 0, t.changed.length - 1), 1);
      else if (which === 1 && t.changed.length) t.changed[randInt(rnd, 0, t.changed.length - 1)] = randInt(rnd, 0, 2 ** 32 - 1);
      else if (which === 2) t.removed.push(randInt(rnd, 0, 1000));
      else t.changed.push(randInt(rnd, 0, 500));
      expect(() => applySnapshotDelta(a, d, ARENA_SCHEMA)).not.toThrow();
    }
  });
});

describe('snapshot delta: cost', () => {
  it('an unchanged entity costs zero bytes', () => {
    const ids = [1, 2, 3, 4, 5, 6, 7, 8];
    const a = fixedState(10, ids);
    const same = { ...cloneState(a), tick: 11 };
    const d = diffSnapshot(a, same, ARENA_SCHEMA);
    expect(d.tables[0]).toEqual({ removed: [], changed: [] });
    // Same bytes as a delta of a match with no players at all.
    const emptyA = fixedState(10, []);
    const emptyB = fixedState(11, []);
    expect(encodeSnapshotDelta(d).length).toBe(encodeSnapshotDelta(diffSnapshot(emptyA, emptyB, ARENA_SCHEMA)).length);

    // One player moving on x: only that run, with only that field.
    const moved = cloneState(same);
    moved.tables[0].rows.get(5)![0] += 3;
    const d2 = diffSnapshot(a, moved, ARENA_SCHEMA);
    // The changed field travels as its difference from the baseline: +3.
    expect(d2.tables[0].changed).toEqual([5, 0b1, 3]);
    expect(d2.tables[0].removed).toEqual([]);
    // And the 7 idle players add nothing compared with a one-player match.
    const solo = fixedState(10, [5]);
    const soloMoved = cloneState(solo);
    soloMoved.tick = 11;
    soloMoved.tables[0].rows.get(5)![0] += 3;
    expect(encodeSnapshotDelta(d2).length).toBe(encodeSnapshotDelta(diffSnapshot(solo, soloMoved, ARENA_SCHEMA)).length);
  });

  it('a delta is much smaller than a keyframe when few fields change', () => {
    const ids = [1, 2, 3, 4, 5, 6, 7, 8];
    const a = fixedState(10, ids);
    const b = cloneState(a);
    b.tick = 11;
    for (const r of b.tables[0].rows.values()) {
      r[0] += 2;
      r[1] -= 1;
    }
    const deltaBytes = encodeSnapshotDelta(diffSnapshot(a, b, ARENA_SCHEMA)).length;
    const keyBytes = encodeSnapshotDelta(diffSnapshot(null, b, ARENA_SCHEMA)).length;
    expect(deltaBytes).toBeLessThan(keyBytes * 0.6);
  });
});

describe('SnapshotWriter (the server encoder) writes the reference bytes', () => {
  const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
  const randomEvents = (rnd: () => number, tick: number): TickEvents[] => {
    const out: TickEvents[] = [];
    for (let t = Math.max(1, tick - randInt(rnd, 0, 3)); t <= tick; t++) {
      if (rnd() < 0.4) continue;
      out.push({ tick: t, events: Array.from({ length: randInt(rnd, 1, 20) }, () => Array.from({ length: randInt(rnd, 1, 8) }, () => randField(rnd))) });
    }
    return out;
  };

  it('matches encodeSnapshotShared(diffSnapshot(...)) on random deltas and keyframes, reusing its buffer', () => {
    const rnd = prng(4242);
    const writer = new SnapshotWriter();
    for (let iter = 0; iter < 400; iter++) {
      const a = randomState(rnd, randInt(rnd, 1, 100_000), ARENA_SCHEMA);
      const b = evolve(rnd, a, ARENA_SCHEMA, randInt(rnd, 1, 3));
      const events = randomEvents(rnd, b.tick);
      const base = iter % 5 === 0 ? null : a;
      const ref = encodeSnapshotShared(diffSnapshot(base, b, ARENA_SCHEMA), events);
      const got = writer.encodeShared(base, b, ARENA_SCHEMA, events);
      expect(hex(got.bytes), `iteration ${iter}`).toBe(hex(ref.bytes));
      expect(got.keyframe).toBe(base === null);
    }
  });

  it('matches along a delta chain (each delta against the snapshot written before it: the compact baseline), with reordered rows, big tables and breaks in the chain', () => {
    const rnd = prng(9090);
    const writer = new SnapshotWriter();
    let prev = randomState(rnd, 1, ARENA_SCHEMA);
    writer.encodeShared(null, prev, ARENA_SCHEMA, []);
    for (let iter = 0; iter < 600; iter++) {
      let next = evolve(rnd, prev, ARENA_SCHEMA, randInt(rnd, 1, 3));
      if (iter % 7 === 3) {
        // The same rows in another order: found off their expected place.
        const t = next.tables[0];
        t.rows = new Map([...t.rows].sort(() => rnd() - 0.5));
      }
      if (iter % 50 === 20) {
        // Past the compact copy's size: the baseline's Map is used, and the copy kept up.
        const rows = new Map<number, number[]>();
        for (let id = 0; id < 300; id++) rows.set(id, Array.from({ length: ARENA_SCHEMA[0] }, () => randInt(rnd, 0, 9)));
        next = { ...next, tables: [{ rows }, next.tables[1]] };
      }
      // Sometimes a delta against another state (not the one written last), or a keyframe.
      const base = iter % 11 === 5 ? evolve(rnd, prev, ARENA_SCHEMA) : iter % 13 === 6 ? null : prev;
      if (base && base !== prev) base.tick = next.tick - 1;
      const ref = encodeSnapshotShared(diffSnapshot(base, next, ARENA_SCHEMA), []);
      expect(hex(writer.encodeShared(base, next, ARENA_SCHEMA, []).bytes), `iteration ${iter}`).toBe(hex(ref.bytes));
      prev = next;
    }
  });

  it('matches when rows are removed: none, a few, ≥ 16 (a 3-byte header), multi-byte ids, every row', () => {
    const row = (id: number) => [id & 0xffff, -id, 3, 1, 2, 3, 4, 5];
    const table = (ids: number[]) => ({ rows: new Map(ids.map((id) => [id, row(id)] as [number, number[]])) });
    const ids = Array.from({ length: 40 }, (_, i) => (i % 3 === 0 ? 70_000 + i : i * 300));
    const shapes: Array<[number[], number[]]> = [
      [ids, ids.slice(1)],
      [ids, ids.filter((_, i) => i % 2 === 0).concat([5, 6])],
      [ids, []],
      [ids.slice(0, 3), ids.slice(3, 30)],
    ];
    for (const [before, after] of shapes) {
      const a: SnapshotState = { tick: 5, header: [1], tables: [table(before), table(before.slice(0, 20))] };
      const b: SnapshotState = { tick: 7, header: [1], tables: [table(after), table(after.slice(5, 9))] };
      // A small first buffer: the removed array's insertion must grow it.
      const ref = encodeSnapshotShared(diffSnapshot(a, b, ARENA_SCHEMA));
      expect(hex(new SnapshotWriter().encodeShared(a, b, ARENA_SCHEMA, []).bytes)).toBe(hex(ref.bytes));
    }
  });

  it('matches on a 31-field table (bit 31 of a new entity\'s mask)', () => {
    const schema = [31];
    const rows = (v: number) => new Map([[1, Array.from({ length: 31 }, (_, i) => i * v)], [2, Array.from({ length: 31 }, () => v)]]);
    const a: SnapshotState = { tick: 1, header: [], tables: [{ rows: rows(1) }] };
    const b: SnapshotState = { tick: 2, header: [], tables: [{ rows: rows(2) }] };
    b.tables[0].rows.set(3, Array.from({ length: 31 }, (_, i) => i));
    for (const base of [null, a]) {
      const ref = encodeSnapshotShared(diffSnapshot(base, b, schema));
      expect(hex(new SnapshotWriter().encodeShared(base, b, schema, []).bytes)).toBe(hex(ref.bytes));
    }
  });

  it('matches on tables long enough for 16- and 32-bit array headers', () => {
    const rows = new Map<number, number[]>();
    for (let id = 0; id < 7000; id++) rows.set(id, [id, -id, id * 3, 1, 2, 3, 4, 5]);
    const big: SnapshotState = { tick: 9, header: [1, 2], tables: [{ rows }, { rows: new Map() }] };
    const ref = encodeSnapshotShared(diffSnapshot(null, big, ARENA_SCHEMA));
    expect(big.tables[0].rows.size * 10).toBeGreaterThan(0xffff);
    expect(hex(new SnapshotWriter().encodeShared(null, big, ARENA_SCHEMA, []).bytes)).toBe(hex(ref.bytes));
  });
});
