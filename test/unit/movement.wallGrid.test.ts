/**
 * movePlayer tests walls through a per-map grid (protocol/wallGrid.ts). Server and client
 * must agree bit for bit, so the grid may only skip tests that would have answered "no
 * contact": here seeded random moves on every map (shipped, test and random float maps
 * with overlapping, thin and off-grid walls) are compared, exactly, with the loop over
 * every wall that movePlayer used before (kept below as the reference), including starts
 * on wall corners and edges, inside walls, the snap-toward fallback and steps too long for
 * the grid.
 */
import { describe, expect, it } from 'vitest';
import {
  PLAYER_RADIUS,
  PLAYER_SPEED,
  POSITION_SCALE,
  circleOverlapsRect,
  moveDirection,
  movePlayer,
  snapPosition,
  type MapGeometry,
  type Rect,
  type Vec2,
} from '../../protocol/index.js';
import { wallCell, wallGridFor } from '../../protocol/wallGrid.js';
import { getMap, MAP_NAMES } from '../../server/game/arena/maps.js';
import { prng, randInt } from '../support/prng.js';

// ---- The reference: movePlayer as it was before the grid (every wall, index order). ----
function clamp(v: number, lo: number, hi: number): number {
  return Math.min(Math.max(v, lo), v < lo ? lo : hi);
}
function overlapsAnyWall(x: number, y: number, r: number, walls: readonly Rect[]): boolean {
  for (let i = 0; i < walls.length; i++) if (circleOverlapsRect(x, y, r, walls[i])) return true;
  return false;
}
function snapToward(v: number, from: number): number {
  const q = v >= from ? Math.floor(v * POSITION_SCALE) : Math.ceil(v * POSITION_SCALE);
  return snapPosition(q / POSITION_SCALE);
}
function referenceMove(pos: Vec2, buttons: number, dt: number, map: MapGeometry): Vec2 {
  const dir = moveDirection(buttons);
  const step = PLAYER_SPEED * dt;
  const r = PLAYER_RADIUS;
  let x = pos.x;
  let y = pos.y;
  if (dir.x !== 0) {
    x = clamp(x + dir.x * step, r, map.width - r);
    for (let i = 0; i < map.walls.length; i++) {
      const w = map.walls[i];
      if (circleOverlapsRect(x, y, r, w) && y > w.y - r && y < w.y + w.h + r) {
        if (y >= w.y && y <= w.y + w.h) x = dir.x > 0 ? w.x - r : w.x + w.w + r;
        else x = pos.x;
      }
    }
  }
  if (dir.y !== 0) {
    y = clamp(y + dir.y * step, r, map.height - r);
    for (let i = 0; i < map.walls.length; i++) {
      const w = map.walls[i];
      if (circleOverlapsRect(x, y, r, w) && x > w.x - r && x < w.x + w.w + r) {
        if (x >= w.x && x <= w.x + w.w) y = dir.y > 0 ? w.y - r : w.y + w.h + r;
        else y = pos.y;
      }
    }
  }
  const sx = snapPosition(x);
  const sy = snapPosition(y);
  if (map.walls.length > 0 && overlapsAnyWall(sx, sy, r, map.walls) && !overlapsAnyWall(pos.x, pos.y, r, map.walls)) {
    const tx = snapToward(x, pos.x);
    const ty = snapToward(y, pos.y);
    const stuck = overlapsAnyWall(tx, ty, r, map.walls);
    return { x: stuck ? pos.x : tx, y: stuck ? pos.y : ty };
  }
  return { x: sx, y: sy };
}

// ---- Maps ----
/** Random walls: float edges, overlapping, thin, touching and crossing the map's edges. */
function randomMap(seed: number): MapGeometry {
  const rnd = prng(seed);
  const width = randInt(rnd, 200, 1700) + (rnd() < 0.5 ? 0 : rnd());
  const height = randInt(rnd, 200, 1100) + (rnd() < 0.5 ? 0 : rnd());
  const walls: Rect[] = [];
  const n = randInt(rnd, 1, 40);
  const coord = (max: number) => (rnd() < 0.5 ? randInt(rnd, -20, max) : rnd() * (max + 40) - 20);
  for (let i = 0; i < n; i++) {
    const thin = rnd() < 0.2;
    walls.push({
      x: coord(width),
      y: coord(height),
      w: thin ? rnd() * 2 : rnd() < 0.5 ? randInt(rnd, 1, 300) : rnd() * 300,
      h: thin && rnd() < 0.5 ? rnd() * 400 : rnd() < 0.5 ? randInt(rnd, 1, 300) : rnd() * 300,
    });
  }
  return { width, height, walls };
}

const FIXED_MAPS: Array<[string, MapGeometry]> = [
  ...MAP_NAMES.map((n): [string, MapGeometry] => [n, getMap(n)!.geometry]),
  [
    'reconciliation test map',
    { width: 1600, height: 1000, walls: [{ x: 740, y: 440, w: 120, h: 120 }, { x: 600, y: 200, w: 400, h: 32 }] },
  ],
  [
    'codec test map (a thin float wall crossing the top edge)',
    {
      width: 1600,
      height: 1000,
      walls: [
        { x: 740, y: 440, w: 120, h: 120 },
        { x: 600, y: 200, w: 400, h: 32 },
        { x: 12.5, y: -3, w: 0.25, h: 999.75 },
      ],
    },
  ],
  [
    'too large for a grid (every move takes the full loop)',
    { width: 20_000, height: 20_000, walls: [{ x: 100.3, y: 100, w: 50, h: 50.7 }, { x: 140, y: 120, w: 30, h: 30 }] },
  ],
  ['narrower than a player', { width: 20, height: 500, walls: [{ x: 2, y: 100, w: 10, h: 10 }] }],
];

// ---- Start positions: anywhere, and where the rules branch ----
function startNear(rnd: () => number, map: MapGeometry): Vec2 {
  const R = PLAYER_RADIUS;
  const jitter = () => {
    const k = rnd();
    // Exact offsets (flush, corner diagonals), grid steps, and arbitrary floats.
    if (k < 0.3) return [0, R, -R, R * Math.SQRT1_2, -R * Math.SQRT1_2, 1 / 16, -1 / 16, 1 / 32][randInt(rnd, 0, 7)];
    if (k < 0.6) return randInt(rnd, -3 * R, 3 * R) / POSITION_SCALE;
    return (rnd() - 0.5) * 6 * R;
  };
  const k = rnd();
  if (k < 0.25 || map.walls.length === 0) return { x: rnd() * map.width, y: rnd() * map.height };
  const w = map.walls[randInt(rnd, 0, map.walls.length - 1)];
  const xs = [w.x, w.x + w.w, w.x - R, w.x + w.w + R, w.x + rnd() * w.w];
  const ys = [w.y, w.y + w.h, w.y - R, w.y + w.h + R, w.y + rnd() * w.h];
  const p = { x: xs[randInt(rnd, 0, 4)] + jitter(), y: ys[randInt(rnd, 0, 4)] + jitter() };
  // Half on the wire's grid (what a server position always is), half anywhere.
  return k < 0.6 ? { x: snapPosition(p.x), y: snapPosition(p.y) } : p;
}

const DTS = [1 / 30, 1 / 30, 1 / 30, 1 / 60, 1 / 20, 1 / 10, 0.5, 1e-3];

function same(a: Vec2, b: Vec2): boolean {
  return Object.is(a.x, b.x) && Object.is(a.y, b.y);
}

/**
 * Runs walks of a few moves from many starts; returns how many moves differed (with the
 * first difference) and how many took the branches worth covering.
 */
function compare(map: MapGeometry, seed: number, walks: number) {
  const rnd = prng(seed);
  let moves = 0;
  let blocked = 0;
  let first: string | null = null;
  let diffs = 0;
  for (let w = 0; w < walks; w++) {
    let pos = startNear(rnd, map);
    const dt = DTS[randInt(rnd, 0, DTS.length - 1)];
    let buttons = randInt(rnd, 0, 31);
    for (let i = 0, n = randInt(rnd, 1, 12); i < n; i++) {
      if (rnd() < 0.3) buttons = randInt(rnd, 0, 31);
      const want = referenceMove(pos, buttons, dt, map);
      const got = movePlayer(pos, buttons, dt, map);
      moves++;
      const dir = moveDirection(buttons);
      const free = { x: snapPosition(pos.x + dir.x * PLAYER_SPEED * dt), y: snapPosition(pos.y + dir.y * PLAYER_SPEED * dt) };
      if (!same(want, free)) blocked++;
      if (!same(want, got)) {
        diffs++;
        first ??= `from (${pos.x}, ${pos.y}) buttons ${buttons} dt ${dt}: want (${want.x}, ${want.y}) got (${got.x}, ${got.y})`;
      }
      pos = want;
    }
  }
  return { moves, blocked, diffs, first };
}

describe('movePlayer through the wall grid equals the loop over every wall, bit for bit', () => {
  for (const [name, map] of FIXED_MAPS) {
    it(`map ${name}`, () => {
      const r = compare(map, 0x5eed + name.length, 4000);
      expect(r.first).toBeNull();
      expect(r.diffs).toBe(0);
      expect(r.moves).toBeGreaterThan(20_000);
      if (map.walls.length > 0) expect(r.blocked).toBeGreaterThan(1000);
    });
  }

  it('random float maps (overlapping, thin, off-grid and off-map walls)', () => {
    let moves = 0;
    for (let m = 1; m <= 60; m++) {
      const r = compare(randomMap(m), 1000 + m, 600);
      expect(r.first, `map seed ${m}`).toBeNull();
      moves += r.moves;
    }
    expect(moves).toBeGreaterThan(100_000);
  });
});

describe('wall grid', () => {
  it('is built once per geometry and rebuilt when the walls array is replaced', () => {
    const map: MapGeometry = { width: 500, height: 500, walls: [{ x: 100, y: 100, w: 50, h: 50 }] };
    const g = wallGridFor(map, PLAYER_RADIUS);
    expect(g).not.toBeNull();
    expect(wallGridFor({ width: 500, height: 500, walls: [] }, PLAYER_RADIUS)).toBeNull();
    expect(wallGridFor(map, PLAYER_RADIUS)).toBe(g);
    // A wall added later is seen: moving right into it from the left stops flush.
    map.walls = [...map.walls, { x: 300, y: 300, w: 50, h: 50 }];
    const moved = movePlayer({ x: 300 - PLAYER_RADIUS - 1, y: 320 }, 8, 1 / 30, map);
    expect(moved).toEqual({ x: 300 - PLAYER_RADIUS, y: 320 });
  });

  it('answers only small boxes on the map (the rest take the full loop)', () => {
    const g = wallGridFor(getMap('arena')!.geometry, PLAYER_RADIUS)!;
    expect(wallCell(g, 100, 100, 107, 100)).toBeGreaterThanOrEqual(0);
    expect(wallCell(g, 100, 100, 200, 100)).toBe(-1);
    expect(wallCell(g, -5, 100, -5, 100)).toBe(-1);
    expect(wallCell(g, Number.NaN, 100, Number.NaN, 100)).toBe(-1);
    expect(wallCell(g, 1e9, 100, 1e9, 100)).toBe(-1);
  });
});
