/**
 * A static broad phase for movePlayer: a uniform grid over a map's walls, built once per
 * map geometry (cached by object identity: a geometry must not change once moved on), that
 * lists per cell, in ascending index order, every wall a player circle could touch while
 * its move stays within MOVE_SLACK units of a point in that cell.
 *
 * Why this is exact, not approximate: circleOverlapsRect(cx, cy, r, w) is true only if
 * |cx - nearest x| < r and |cy - nearest y| < r (a square of a float ≥ r is ≥ r², and
 * adding a non-negative term cannot lower it), so only a wall whose box grown by r
 * contains the point can answer true. Each cell lists the walls whose box grown by
 * r + MOVE_SLACK + 1 touches the cell; a query box no wider or taller than MOVE_SLACK is
 * served by the cell of its low corner, and every wall left out would have answered false.
 * Callers test the listed walls in the same index order as the full loop; the full loop
 * remains for boxes too large, points off the grid and geometry that is not finite.
 */
import type { MapGeometry } from './movement.js';

/** Cell edge in world units: a few player radii, so a cell lists at most a few walls. */
export const WALL_CELL = 64;
const CELL = WALL_CELL;
/** Widest query box a cell can answer (a 30 Hz move is 220 / 30 ≈ 7.3 units). */
export const MOVE_SLACK = 16;
/** Rounding slack on top of the exact bound (the bound is on float sums of wall edges). */
const EPS = 1;
/** Cells per map at most (a huge map falls back to the full loop rather than use memory). */
const MAX_CELLS = 1 << 16;

export interface WallGrid {
  readonly cols: number;
  readonly rows: number;
  /** Cell c's walls are items[starts[c]] … items[starts[c + 1] - 1], ascending. */
  readonly starts: Int32Array;
  readonly items: Int32Array;
}

function buildWallGrid(map: MapGeometry, radius: number): WallGrid | null {
  const walls = map.walls;
  if (walls.length === 0 || !Number.isFinite(map.width) || !Number.isFinite(map.height)) return null;
  if (map.width <= 0 || map.height <= 0) return null;
  const cols = Math.floor(map.width / CELL) + 1;
  const rows = Math.floor(map.height / CELL) + 1;
  if (cols * rows > MAX_CELLS) return null;
  const grow = radius + MOVE_SLACK + EPS;
  const lists: number[][] = Array.from({ length: cols * rows }, () => []);
  for (let i = 0; i < walls.length; i++) {
    const w = walls[i];
    const x0 = w.x - grow;
    const x1 = w.x + w.w + grow;
    const y0 = w.y - grow;
    const y1 = w.y + w.h + grow;
    if (!Number.isFinite(x0 + x1 + y0 + y1)) return null;
    const c0 = Math.max(0, Math.floor(x0 / CELL));
    const c1 = Math.min(cols - 1, Math.floor(x1 / CELL));
    const r0 = Math.max(0, Math.floor(y0 / CELL));
    const r1 = Math.min(rows - 1, Math.floor(y1 / CELL));
    for (let row = r0; row <= r1; row++) for (let col = c0; col <= c1; col++) lists[row * cols + col].push(i);
  }
  const starts = new Int32Array(cols * rows + 1);
  let n = 0;
  for (let c = 0; c < lists.length; c++) {
    starts[c] = n;
    n += lists[c].length;
  }
  starts[lists.length] = n;
  const items = new Int32Array(n);
  for (let c = 0; c < lists.length; c++) items.set(lists[c], starts[c]);
  return { cols, rows, starts, items };
}

interface Cached {
  readonly walls: MapGeometry['walls'];
  readonly length: number;
  readonly radius: number;
  readonly grid: WallGrid | null;
}
const byMap = new WeakMap<MapGeometry, Cached>();
/** The last map asked for: the server's matches share one geometry object per map. */
let lastMap: MapGeometry | null = null;
let last: Cached | null = null;

function fresh(c: Cached, map: MapGeometry, radius: number): boolean {
  return c.walls === map.walls && c.length === map.walls.length && c.radius === radius;
}

/**
 * The grid of `map`'s walls for circles of `radius` (null: no walls, or none usable; use
 * the full loop). Rebuilt when the walls array or its length changes; edits to a wall
 * rectangle in place are not seen (maps are frozen on the server, decoded once on clients).
 */
export function wallGridFor(map: MapGeometry, radius: number): WallGrid | null {
  if (map === lastMap && last !== null && fresh(last, map, radius)) return last.grid;
  let c = byMap.get(map);
  if (c === undefined || !fresh(c, map, radius)) {
    c = { walls: map.walls, length: map.walls.length, radius, grid: buildWallGrid(map, radius) };
    byMap.set(map, c);
  }
  lastMap = map;
  last = c;
  return c.grid;
}

/**
 * The cell that answers for the box [x0, x1] × [y0, y1] (x0 ≤ x1, y0 ≤ y1), or -1 when
 * none can (box larger than MOVE_SLACK, off the grid, NaN): then test every wall.
 * movePlayer computes the same inline (a call with doubles would box them).
 */
export function wallCell(g: WallGrid, x0: number, y0: number, x1: number, y1: number): number {
  if (!(x1 - x0 <= MOVE_SLACK && y1 - y0 <= MOVE_SLACK)) return -1;
  const col = Math.floor(x0 / CELL);
  const row = Math.floor(y0 / CELL);
  if (!(col >= 0 && col < g.cols && row >= 0 && row < g.rows)) return -1;
  return row * g.cols + col;
}
