import { describe, expect, it } from 'vitest';
import {
  BUTTONS_MASK,
  Buttons,
  PLAYER_RADIUS,
  PLAYER_SPEED,
  POSITION_SCALE,
  circleOverlapsRect,
  moveDirection,
  movePlayer,
  pointInRect,
  snapPosition,
  type MapGeometry,
  type Rect,
  type Vec2,
} from '../../protocol/index.js';
import { prng } from '../support/prng.js';


const { Up, Down, Left, Right, Fire } = Buttons;
const R = PLAYER_RADIUS;
const DT = 1 / 30;
const STEP = PLAYER_SPEED * DT;

function onGrid(v: number): boolean {
  return Number.isInteger(v * POSITION_SCALE);
}

function overlapsAny(p: Vec2, walls: readonly Rect[]): boolean {
  return walls.some((w) => circleOverlapsRect(p.x, p.y, R, w));
}

/** Applies the same buttons `n` times and returns every position along the way. */
function walk(start: Vec2, buttons: number, n: number, map: MapGeometry, dt = DT): Vec2[] {
  const path: Vec2[] = [];
  let p = start;
  for (let i = 0; i < n; i++) {
    p = movePlayer(p, buttons, dt, map);
    path.push(p);
  }
  return path;
}

const OPEN: MapGeometry = { width: 1000, height: 800, walls: [] };
const WALL: Rect = { x: 400, y: 300, w: 100, h: 100 };
const ONE_WALL: MapGeometry = { width: 1000, height: 800, walls: [WALL] };

describe('moveDirection', () => {
  const cases: Array<[string, number, number, number]> = [
    ['up', Up, 0, -1],
    ['down', Down, 0, 1],
    ['left', Left, -1, 0],
    ['right', Right, 1, 0],
    ['up-left', Up | Left, -Math.SQRT1_2, -Math.SQRT1_2],
    ['up-right', Up | Right, Math.SQRT1_2, -Math.SQRT1_2],
    ['down-left', Down | Left, -Math.SQRT1_2, Math.SQRT1_2],
    ['down-right', Down | Right, Math.SQRT1_2, Math.SQRT1_2],
  ];

  it.each(cases)('%s has the expected unit vector', (_name, buttons, x, y) => {
    const d = moveDirection(buttons);
    expect(d.x).toBe(x);
    expect(d.y).toBe(y);
    expect(Math.abs(d.x * d.x + d.y * d.y - 1)).toBeLessThan(1e-15);
    // Fire never changes the direction.
    expect(moveDirection(buttons | Fire)).toEqual(d);
  });

  it('the 8 directions are distinct, 45° apart', () => {
    const angles = cases.map(([, b]) => {
      const d = moveDirection(b);
      return Math.round((Math.atan2(d.y, d.x) * 180) / Math.PI);
    });
    expect(new Set(angles).size).toBe(8);
    for (const a of angles) expect(((a % 45) + 45) % 45).toBe(0);
  });

  it('opposite keys cancel', () => {
    const zero = (b: number) => {
      const d = moveDirection(b);
      return d.x === 0 && d.y === 0;
    };
    expect(zero(0)).toBe(true);
    expect(zero(Fire)).toBe(true);
    expect(zero(Up | Down)).toBe(true);
    expect(zero(Left | Right)).toBe(true);
    expect(zero(Up | Down | Left | Right)).toBe(true);
    expect(moveDirection(Up | Down | Right)).toEqual({ x: 1, y: 0 });
    expect(moveDirection(Left | Right | Down)).toEqual({ x: 0, y: 1 });
  });

  it('every button combination gives length 0 or 1', () => {
    for (let b = 0; b <= BUTTONS_MASK; b++) {
      const d = moveDirection(b);
      const len2 = d.x * d.x + d.y * d.y;
      expect(len2 === 0 || Math.abs(len2 - 1) < 1e-15).toBe(true);
    }
  });
});

describe('movePlayer in the open', () => {
  it('moves PLAYER_SPEED·dt along the direction, snapped to the grid', () => {
    const p = movePlayer({ x: 100, y: 100 }, Right, DT, OPEN);
    expect(p).toEqual({ x: snapPosition(100 + STEP), y: 100 });
    expect(p.x).toBe(107.3125);
    expect(movePlayer({ x: 100, y: 100 }, Up, DT, OPEN)).toEqual({ x: 100, y: snapPosition(100 - STEP) });
    const diag = movePlayer({ x: 100, y: 100 }, Down | Left, DT, OPEN);
    expect(diag).toEqual({ x: snapPosition(100 - STEP * Math.SQRT1_2), y: snapPosition(100 + STEP * Math.SQRT1_2) });
  });

  it('does not move without direction buttons, or with dt = 0', () => {
    expect(movePlayer({ x: 123.5, y: 456.25 }, 0, DT, OPEN)).toEqual({ x: 123.5, y: 456.25 });
    expect(movePlayer({ x: 123.5, y: 456.25 }, Fire | Up | Down, DT, OPEN)).toEqual({ x: 123.5, y: 456.25 });
    expect(movePlayer({ x: 123.5, y: 456.25 }, Right, 0, OPEN)).toEqual({ x: 123.5, y: 456.25 });
  });

  it('does not mutate its input', () => {
    const pos = { x: 200, y: 200 };
    movePlayer(pos, Right | Down, DT, ONE_WALL);
    expect(pos).toEqual({ x: 200, y: 200 });
  });

  it('clamps to the map bounds on every side, keeping the radius inside', () => {
    const last = (start: Vec2, b: number) => walk(start, b, 200, OPEN).at(-1)!;
    expect(last({ x: 500, y: 400 }, Left)).toEqual({ x: R, y: 400 });
    expect(last({ x: 500, y: 400 }, Right)).toEqual({ x: OPEN.width - R, y: 400 });
    expect(last({ x: 500, y: 400 }, Up)).toEqual({ x: 500, y: R });
    expect(last({ x: 500, y: 400 }, Down)).toEqual({ x: 500, y: OPEN.height - R });
    expect(last({ x: 500, y: 400 }, Up | Left)).toEqual({ x: R, y: R });
    expect(last({ x: 500, y: 400 }, Down | Right)).toEqual({ x: OPEN.width - R, y: OPEN.height - R });
    // Sliding along a boundary: pushing into the left edge while moving down still moves down.
    const slide = walk({ x: R, y: 100 }, Left | Down, 5, OPEN);
    for (const p of slide) expect(p.x).toBe(R);
    expect(slide.at(-1)!.y).toBeGreaterThan(100 + 4 * STEP * Math.SQRT1_2);
  });
});

describe('movePlayer against a wall', () => {
  const sides: Array<[string, Vec2, number, Vec2]> = [
    ['from the left', { x: 300, y: 350 }, Right, { x: WALL.x - R, y: 350 }],
    ['from the right', { x: 600, y: 350 }, Left, { x: WALL.x + WALL.w + R, y: 350 }],
    ['from above', { x: 450, y: 200 }, Down, { x: 450, y: WALL.y - R }],
    ['from below', { x: 450, y: 500 }, Up, { x: 450, y: WALL.y + WALL.h + R }],
  ];

  it.each(sides)('blocks %s and stops flush against it', (_name, start, buttons, flush) => {
    const path = walk(start, buttons, 60, ONE_WALL);
    for (const p of path) expect(circleOverlapsRect(p.x, p.y, R, WALL)).toBe(false);
    expect(path.at(-1)).toEqual(flush);
    // It got there and stayed: further pushing does not move it.
    expect(movePlayer(flush, buttons, DT, ONE_WALL)).toEqual(flush);
    // Moving away is free.
    const away = movePlayer(flush, buttons === Right ? Left : buttons === Left ? Right : buttons === Up ? Down : Up, DT, ONE_WALL);
    expect(away).not.toEqual(flush);
  });

  it('slides along the wall when moving diagonally into its side', () => {
    // Down-right into the left face: x stays flush while y keeps increasing.
    const path = walk({ x: 370, y: 300 }, Down | Right, 40, ONE_WALL);
    const touching = path.filter((p) => p.x === WALL.x - R);
    expect(touching.length).toBeGreaterThan(5);
    for (let i = 1; i < touching.length; i++) expect(touching[i].y).toBeGreaterThan(touching[i - 1].y);
    for (const p of path) expect(circleOverlapsRect(p.x, p.y, R, WALL)).toBe(false);
    // The per-tick progress along the wall is the diagonal component of the step.
    const i = path.findIndex((p) => p.x === WALL.x - R);
    expect(path[i + 2].y - path[i + 1].y).toBeCloseTo(STEP * Math.SQRT1_2, 1);
    // Eventually it clears the bottom corner and moves right again.
    expect(path.at(-1)!.x).toBeGreaterThan(WALL.x);
    expect(path.at(-1)!.y).toBeGreaterThan(WALL.y + WALL.h + R - 1e-9);
  });

  it('slides along the top face when moving diagonally into it', () => {
    const path = walk({ x: 410, y: 250 }, Down | Right, 12, ONE_WALL);
    const touching = path.filter((p) => p.y === WALL.y - R);
    expect(touching.length).toBeGreaterThan(3);
    for (let i = 1; i < touching.length; i++) expect(touching[i].x).toBeGreaterThan(touching[i - 1].x);
    for (const p of path) expect(circleOverlapsRect(p.x, p.y, R, WALL)).toBe(false);
  });

  it('slides along the bottom and right faces too', () => {
    const under = walk({ x: 480, y: 440 }, Up | Left, 20, ONE_WALL);
    const flushBottom = under.filter((p) => p.y === WALL.y + WALL.h + R);
    expect(flushBottom.length).toBeGreaterThan(3);
    for (let i = 1; i < flushBottom.length; i++) expect(flushBottom[i].x).toBeLessThan(flushBottom[i - 1].x);
    const right = walk({ x: 540, y: 380 }, Up | Left, 20, ONE_WALL);
    const flushRight = right.filter((p) => p.x === WALL.x + WALL.w + R);
    expect(flushRight.length).toBeGreaterThan(3);
    for (let i = 1; i < flushRight.length; i++) expect(flushRight[i].y).toBeLessThan(flushRight[i - 1].y);
    for (const p of [...under, ...right]) expect(circleOverlapsRect(p.x, p.y, R, WALL)).toBe(false);
  });

  it('a thin wall is not tunnelled through at 20 Hz', () => {
    const thin: MapGeometry = { width: 1000, height: 800, walls: [{ x: 500, y: 0, w: 2, h: 800 }] };
    const path = walk({ x: 400, y: 400 }, Right, 100, thin, 1 / 20);
    expect(path.at(-1)).toEqual({ x: 500 - R, y: 400 });
  });
});

describe('movePlayer: seeded random walks', () => {
  const map: MapGeometry = {
    width: 1600,
    height: 1000,
    walls: [
      { x: 740, y: 440, w: 120, h: 120 },
      { x: 600, y: 200, w: 400, h: 32 },
      { x: 320, y: 180, w: 40, h: 220 },
      { x: 520, y: 470, w: 60, h: 60 },
      { x: 360, y: 180, w: 100, h: 20 },
    ],
  };

  it('stays on the fixed-point grid, inside the bounds and out of every wall (60,000 steps)', () => {
    for (const [seed, dt] of [
      [1, 1 / 30],
      [2, 1 / 60],
      [3, 1 / 20],
    ] as const) {
      const rnd = prng(seed);
      let p: Vec2 = { x: 100, y: 100 };
      let buttons = 0;
      let bad = 0;
      for (let i = 0; i < 20_000; i++) {
        if (rnd() < 0.05) buttons = Math.floor(rnd() * 32);
        const n = movePlayer(p, buttons, dt, map);
        if (!onGrid(n.x) || !onGrid(n.y)) bad++;
        if (n.x < R || n.y < R || n.x > map.width - R || n.y > map.height - R) bad++;
        if (overlapsAny(n, map.walls)) bad++;
        // Never moves further than one step.
        const dx = n.x - p.x;
        const dy = n.y - p.y;
        if (dx * dx + dy * dy > (PLAYER_SPEED * dt + 0.1) ** 2) bad++;
        p = n;
      }
      expect(bad, `seed ${seed}`).toBe(0);
    }
  });

  it('is deterministic: the same inputs give the same positions', () => {
    const run = () => {
      const rnd = prng(99);
      let p: Vec2 = { x: 800, y: 100 };
      const out: number[] = [];
      for (let i = 0; i < 2000; i++) {
        p = movePlayer(p, Math.floor(rnd() * 16), DT, map);
        out.push(p.x, p.y);
      }
      return out;
    };
    expect(run()).toEqual(run());
  });

  it('walls off the fixed-point grid: never ends inside one and never sticks to it', () => {
    const offGrid: MapGeometry = {
      width: 1200,
      height: 900,
      walls: [
        { x: 300.3, y: 200.7, w: 120.1, h: 40.37 },
        { x: 600.01, y: 399.99, w: 40, h: 300 },
      ],
    };
    const rnd = prng(5);
    let p: Vec2 = { x: 200, y: 150 };
    let buttons = 0;
    let bad = 0;
    for (let i = 0; i < 20_000; i++) {
      if (rnd() < 0.05) buttons = Math.floor(rnd() * 16);
      const n = movePlayer(p, buttons, DT, offGrid);
      if (!onGrid(n.x) || !onGrid(n.y) || overlapsAny(n, offGrid.walls)) bad++;
      p = n;
    }
    expect(bad).toBe(0);
    // Pushed against the right face of the tall wall, the player can still walk along it.
    const flush = walk({ x: 700, y: 500 }, Left, 20, offGrid).at(-1)!;
    expect(flush.x).toBeGreaterThan(640.01 + R - 1 / POSITION_SCALE);
    expect(movePlayer(flush, Up, DT, offGrid).y).toBeLessThan(flush.y);
    expect(movePlayer(flush, Down, DT, offGrid).y).toBeGreaterThan(flush.y);
  });
});

describe('geometry helpers', () => {
  it('circleOverlapsRect: touching is not overlapping', () => {
    expect(circleOverlapsRect(WALL.x - R, 350, R, WALL)).toBe(false);
    expect(circleOverlapsRect(WALL.x - R + 0.0625, 350, R, WALL)).toBe(true);
    expect(circleOverlapsRect(450, 350, R, WALL)).toBe(true);
    // Near a corner the distance is Euclidean, not per axis.
    expect(circleOverlapsRect(WALL.x - 12, WALL.y - 12, R, WALL)).toBe(false);
    expect(circleOverlapsRect(WALL.x - 11, WALL.y - 11, R, WALL)).toBe(true);
  });

  it('pointInRect includes the boundary', () => {
    expect(pointInRect(400, 300, WALL)).toBe(true);
    expect(pointInRect(500, 400, WALL)).toBe(true);
    expect(pointInRect(450, 350, WALL)).toBe(true);
    expect(pointInRect(399.99, 350, WALL)).toBe(false);
    expect(pointInRect(450, 400.01, WALL)).toBe(false);
  });
});
