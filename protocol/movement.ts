/**
 * Shared movement and collision rules. The server simulation and the client's prediction
 * both call these, so a predicted position equals the authoritative one whenever the
 * inputs are the same. Pure functions, plain float math (no Math.hypot, whose rounding
 * differs between engines), results snapped to the wire's fixed-point grid.
 */
import { POSITION_SCALE, snapPosition } from './quantize.js';
import { MOVE_SLACK, WALL_CELL, wallGridFor, type WallGrid } from './wallGrid.js';

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface MapGeometry {
  width: number;
  height: number;
  walls: Rect[];
}

export interface Vec2 {
  x: number;
  y: number;
}

/** Input button bits (one byte on the wire). */
export const Buttons = {
  Up: 1,
  Down: 2,
  Left: 4,
  Right: 8,
  Fire: 16,
} as const;
export const BUTTONS_MASK = 0b11111;

export const PLAYER_RADIUS = 16;
/** World units per second. */
export const PLAYER_SPEED = 220;

function computeDirection(buttons: number): Readonly<Vec2> {
  let dx = 0;
  let dy = 0;
  if (buttons & Buttons.Up) dy -= 1;
  if (buttons & Buttons.Down) dy += 1;
  if (buttons & Buttons.Left) dx -= 1;
  if (buttons & Buttons.Right) dx += 1;
  if (dx !== 0 && dy !== 0) {
    dx *= Math.SQRT1_2;
    dy *= Math.SQRT1_2;
  }
  return Object.freeze({ x: dx, y: dy });
}

/** The 16 WASD combinations, computed once: a move allocates no direction. */
const DIRECTIONS: ReadonlyArray<Readonly<Vec2>> = Array.from({ length: 16 }, (_, b) => computeDirection(b));

/** Unit direction for WASD bits: 8 directions, opposite keys cancel. Shared and frozen: do not modify. */
export function moveDirection(buttons: number): Readonly<Vec2> {
  return DIRECTIONS[buttons & 0b1111];
}

/** True when a circle at (cx, cy) with radius r overlaps the rectangle. */
export function circleOverlapsRect(cx: number, cy: number, r: number, rect: Rect): boolean {
  const nx = cx < rect.x ? rect.x : cx > rect.x + rect.w ? rect.x + rect.w : cx;
  const ny = cy < rect.y ? rect.y : cy > rect.y + rect.h ? rect.y + rect.h : cy;
  const dx = cx - nx;
  const dy = cy - ny;
  return dx * dx + dy * dy < r * r;
}

export function pointInRect(px: number, py: number, rect: Rect): boolean {
  return px >= rect.x && px <= rect.x + rect.w && py >= rect.y && py <= rect.y + rect.h;
}

/**
 * v < lo ? lo : v > hi ? hi : v, bit for bit (hi < lo included: lo below lo, else hi), as
 * Math.min/max: V8 kept the ternary's result, a mix of small integers and doubles, boxed, so
 * every move allocated a heap number.
 */
function clamp(v: number, lo: number, hi: number): number {
  return Math.min(Math.max(v, lo), v < lo ? lo : hi);
}

function overlapsAnyWall(x: number, y: number, r: number, walls: readonly Rect[]): boolean {
  // Indexed loops here and below: a for…of iterator was most of the allocation of a server
  // tick in a heap profile (these run for every input of every player).
  for (let i = 0; i < walls.length; i++) if (circleOverlapsRect(x, y, r, walls[i])) return true;
  return false;
}

/** Snaps `v` onto the fixed-point grid, rounding toward `from` instead of to the nearest point. */
function snapToward(v: number, from: number): number {
  const q = v >= from ? Math.floor(v * POSITION_SCALE) : Math.ceil(v * POSITION_SCALE);
  return snapPosition(q / POSITION_SCALE);
}

/**
 * The point pointInNearWall tests, passed through a typed array: doubles passed as
 * arguments to a function V8 does not inline are boxed into new heap numbers.
 */
const POINT = new Float64Array(2);

/** True when a circle of PLAYER_RADIUS at POINT overlaps a wall (only the grid cell's walls tested). */
function pointInNearWall(walls: readonly Rect[], g: WallGrid): boolean {
  const x = POINT[0];
  const y = POINT[1];
  const col = Math.floor(x / WALL_CELL);
  const row = Math.floor(y / WALL_CELL);
  if (!(col >= 0 && col < g.cols && row >= 0 && row < g.rows)) return overlapsAnyWall(x, y, PLAYER_RADIUS, walls);
  const c = row * g.cols + col;
  const r = PLAYER_RADIUS;
  for (let k = g.starts[c], end = g.starts[c + 1]; k < end; k++) {
    // circleOverlapsRect(x, y, r, w), written out (see movePlayer).
    const w = walls[g.items[k]];
    const nx = x < w.x ? w.x : x > w.x + w.w ? w.x + w.w : x;
    const ny = y < w.y ? w.y : y > w.y + w.h ? w.y + w.h : y;
    const dx = x - nx;
    const dy = y - ny;
    if (dx * dx + dy * dy < r * r) return true;
  }
  return false;
}

/**
 * Moves a circle of PLAYER_RADIUS by one input's worth of movement. Each axis moves
 * separately so a player slides along walls instead of sticking; a move that would
 * overlap a wall stops flush against it. The result goes into `out` when given (the server
 * passes scratch, so a move allocates nothing; `out` may be `pos` itself).
 *
 * Walls are tested through a per-map grid (wallGrid.ts): each axis tests, in index order,
 * only the walls listed near its swept span (the others would answer "no contact"), with
 * the same float operations as a loop over every wall; a push that lands outside the span
 * hands the walls after it to the full loop. So the result is the full loop's, bit for bit,
 * and server and client predictions agree. Written out in one function on purpose: a helper
 * that V8 does not inline boxes every coordinate passed to it or returned into a new heap
 * number, and V8 does not inline calls in loops that run less than about once a call (as
 * these do, with the grid): so the grid cell and circleOverlapsRect's test are written out
 * here, the same operations in the same order.
 */
export function movePlayer(pos: Vec2, buttons: number, dt: number, map: MapGeometry, out: Vec2 = { x: 0, y: 0 }): Vec2 {
  const dir = moveDirection(buttons);
  const step = PLAYER_SPEED * dt;
  const r = PLAYER_RADIUS;
  const walls = map.walls;
  const n = walls.length;
  const g = n > 0 ? wallGridFor(map, r) : null;
  let x = pos.x;
  let y = pos.y;

  if (dir.x !== 0) {
    x = clamp(x + dir.x * step, r, map.width - r);
    const lo = x < pos.x ? x : pos.x;
    const hi = x < pos.x ? pos.x : x;
    let c = -1;
    if (g !== null && hi - lo <= MOVE_SLACK) {
      const col = Math.floor(lo / WALL_CELL);
      const row = Math.floor(y / WALL_CELL);
      if (col >= 0 && col < g.cols && row >= 0 && row < g.rows) c = row * g.cols + col;
    }
    // From the cell's list while x stays in [lo, hi]; then (or without a cell) every wall from j.
    let full = c < 0;
    let k = full ? 0 : g!.starts[c];
    const end = full ? 0 : g!.starts[c + 1];
    let j = 0;
    for (;;) {
      let i: number;
      if (!full) {
        if (k >= end) break;
        i = g!.items[k++];
      } else if (j < n) i = j++;
      else break;
      const w = walls[i];
      // circleOverlapsRect(x, y, r, w), written out: see the note above.
      const nx = x < w.x ? w.x : x > w.x + w.w ? w.x + w.w : x;
      const ny = y < w.y ? w.y : y > w.y + w.h ? w.y + w.h : y;
      const dx = x - nx;
      const dy = y - ny;
      if (dx * dx + dy * dy < r * r && y > w.y - r && y < w.y + w.h + r) {
        // Only push out along x when the circle is level with the wall's side.
        if (y >= w.y && y <= w.y + w.h) x = dir.x > 0 ? w.x - r : w.x + w.w + r;
        else x = pos.x;
        if (!full && (x < lo || x > hi)) {
          full = true;
          j = i + 1;
        }
      }
    }
  }
  if (dir.y !== 0) {
    y = clamp(y + dir.y * step, r, map.height - r);
    const lo = y < pos.y ? y : pos.y;
    const hi = y < pos.y ? pos.y : y;
    let c = -1;
    if (g !== null && hi - lo <= MOVE_SLACK) {
      const col = Math.floor(x / WALL_CELL);
      const row = Math.floor(lo / WALL_CELL);
      if (col >= 0 && col < g.cols && row >= 0 && row < g.rows) c = row * g.cols + col;
    }
    let full = c < 0;
    let k = full ? 0 : g!.starts[c];
    const end = full ? 0 : g!.starts[c + 1];
    let j = 0;
    for (;;) {
      let i: number;
      if (!full) {
        if (k >= end) break;
        i = g!.items[k++];
      } else if (j < n) i = j++;
      else break;
      const w = walls[i];
      const nx = x < w.x ? w.x : x > w.x + w.w ? w.x + w.w : x;
      const ny = y < w.y ? w.y : y > w.y + w.h ? w.y + w.h : y;
      const dx = x - nx;
      const dy = y - ny;
      if (dx * dx + dy * dy < r * r && x > w.x - r && x < w.x + w.w + r) {
        if (x >= w.x && x <= w.x + w.w) y = dir.y > 0 ? w.y - r : w.y + w.h + r;
        else y = pos.y;
        if (!full && (y < lo || y > hi)) {
          full = true;
          j = i + 1;
        }
      }
    }
  }
  const sx = snapPosition(x);
  const sy = snapPosition(y);
  // Round-to-nearest can put the circle up to 1/32 unit inside a wall whose edges are not
  // on the grid (walls arrive as floats); the next move along that wall is then refused and
  // the player sticks to it. In that case round toward the start position instead, and stay
  // put if even that overlaps. Never taken for walls on the grid (all shipped maps).
  POINT[0] = sx;
  POINT[1] = sy;
  const inWall = g !== null ? pointInNearWall(walls, g) : n > 0 && overlapsAnyWall(sx, sy, r, walls);
  if (inWall && !overlapsAnyWall(pos.x, pos.y, r, walls)) {
    const tx = snapToward(x, pos.x);
    const ty = snapToward(y, pos.y);
    const stuck = overlapsAnyWall(tx, ty, r, walls);
    const nx = stuck ? pos.x : tx;
    out.y = stuck ? pos.y : ty;
    out.x = nx;
    return out;
  }
  out.x = sx;
  out.y = sy;
  return out;
}

/**
 * First parameter t in [0, 1] at which the segment p + t·d touches the rectangle
 * (boundary included, like pointInRect), or Infinity. Slab method: a swept test, so a
 * fast projectile cannot tunnel through a thin wall between two ticks.
 */
export function segmentRectHit(px: number, py: number, dx: number, dy: number, r: Rect): number {
  let tMin = 0;
  let tMax = 1;
  if (dx === 0) {
    if (px < r.x || px > r.x + r.w) return Infinity;
  } else {
    const a = (r.x - px) / dx;
    const b = (r.x + r.w - px) / dx;
    tMin = Math.max(tMin, Math.min(a, b));
    tMax = Math.min(tMax, Math.max(a, b));
  }
  if (dy === 0) {
    if (py < r.y || py > r.y + r.h) return Infinity;
  } else {
    const a = (r.y - py) / dy;
    const b = (r.y + r.h - py) / dy;
    tMin = Math.max(tMin, Math.min(a, b));
    tMax = Math.min(tMax, Math.max(a, b));
  }
  return tMin <= tMax ? tMin : Infinity;
}

/** Earliest wall contact along the segment (see segmentRectHit), or Infinity. */
export function segmentWallHit(map: MapGeometry, px: number, py: number, dx: number, dy: number): number {
  let best = Infinity;
  for (let i = 0; i < map.walls.length; i++) {
    const t = segmentRectHit(px, py, dx, dy, map.walls[i]);
    if (t < best) best = t;
  }
  return best;
}
