/**
 * Shared movement and collision rules. The server simulation and the client's prediction
 * both call these, so a predicted position equals the authoritative one whenever the
 * inputs are the same. Pure functions, plain float math (no Math.hypot, whose rounding
 * differs between engines), results snapped to the wire's fixed-point grid.
 */
import { POSITION_SCALE, snapPosition } from './quantize.js';

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
 * Moves a circle of PLAYER_RADIUS by one input's worth of movement. Each axis moves
 * separately so a player slides along walls instead of sticking; a move that would
 * overlap a wall stops flush against it. The result goes into `out` when given (the server
 * passes scratch, so a move allocates nothing; `out` may be `pos` itself).
 */
export function movePlayer(pos: Vec2, buttons: number, dt: number, map: MapGeometry, out: Vec2 = { x: 0, y: 0 }): Vec2 {
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
        // Only push out along x when the circle is level with the wall's side.
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
  // Round-to-nearest can put the circle up to 1/32 unit inside a wall whose edges are not
  // on the grid (walls arrive as floats); the next move along that wall is then refused and
  // the player sticks to it. In that case round toward the start position instead, and stay
  // put if even that overlaps. Never taken for walls on the grid (all shipped maps).
  if (map.walls.length > 0 && overlapsAnyWall(sx, sy, r, map.walls) && !overlapsAnyWall(pos.x, pos.y, r, map.walls)) {
    const tx = snapToward(x, pos.x);
    const ty = snapToward(y, pos.y);
    const stuck = overlapsAnyWall(tx, ty, r, map.walls);
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
