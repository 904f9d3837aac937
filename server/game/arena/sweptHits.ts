/**
 * The projectile stage's swept tests (simulation.ts): one move's segment against the
 * players' circles and the walls. Pure math over a scratch segment object.
 */
import { segmentRectHit, type MapGeometry } from '../../../protocol/index.js';

/**
 * One projectile move's segment and the swept tests' answers. The tests take and fill this
 * object instead of passing and returning doubles: a double crossing a call V8 did not
 * inline is boxed (a heap number per argument per projectile per target per tick), and
 * which calls V8 inlines shifts with any edit nearby. One serves every match (steps are
 * synchronous); each test's answer is read before the next test writes it.
 */
export interface Segment {
  /** Start point and displacement: the points p + t·d for t in [0, 1]. */
  x0: number;
  y0: number;
  dx: number;
  dy: number;
  /** The last test's answer: the first contact's t, or Infinity. */
  t: number;
}
export const seg: Segment = { x0: 0, y0: 0, dx: 0, dy: 0, t: 0 };

/**
 * First t in [0, 1] at which the segment `s` (p + t·d) comes within r of c (strictly), or
 * Infinity, into s.t.
 */
export function segmentCircleHit(s: Segment, c: { x: number; y: number }, r: number): void {
  const dx = s.dx;
  const dy = s.dy;
  const fx = s.x0 - c.x;
  const fy = s.y0 - c.y;
  const cc = fx * fx + fy * fy - r * r;
  s.t = Infinity;
  if (cc < 0) {
    s.t = 0;
    return;
  }
  const a = dx * dx + dy * dy;
  if (a === 0) return;
  const b = 2 * (fx * dx + fy * dy);
  const disc = b * b - 4 * a * cc;
  if (disc <= 0) return;
  const t = (-b - Math.sqrt(disc)) / (2 * a);
  if (t >= 0 && t <= 1) s.t = t;
}

/**
 * Broad-phase margin, world units: a box test rejects only what is farther than this beyond
 * touching, so the exact test it skips would have answered Infinity however its float math
 * rounds (positions are on a 1/16 grid and a move is ~20 units: an exact test's t is then
 * off the segment by ≥ 1/20, far beyond rounding).
 */
export const BROAD_MARGIN = 1;

/**
 * Earliest wall contact along the segment `s` into s.t: segmentWallHit's loop, over a
 * segment object, skipping walls whose box is clear of the segment's box (most walls, most
 * moves: the slab test's four divisions are then not paid). Same answer as segmentWallHit.
 */
export function segmentWallHitInto(map: MapGeometry, s: Segment): void {
  const walls = map.walls;
  const x1 = s.x0 + s.dx;
  const y1 = s.y0 + s.dy;
  const minX = (s.x0 < x1 ? s.x0 : x1) - BROAD_MARGIN;
  const maxX = (s.x0 < x1 ? x1 : s.x0) + BROAD_MARGIN;
  const minY = (s.y0 < y1 ? s.y0 : y1) - BROAD_MARGIN;
  const maxY = (s.y0 < y1 ? y1 : s.y0) + BROAD_MARGIN;
  let best = Infinity;
  for (let i = 0; i < walls.length; i++) {
    const w = walls[i];
    if (maxX < w.x || minX > w.x + w.w || maxY < w.y || minY > w.y + w.h) continue;
    const t = segmentRectHit(s.x0, s.y0, s.dx, s.dy, w);
    if (t < best) best = t;
  }
  s.t = best;
}

