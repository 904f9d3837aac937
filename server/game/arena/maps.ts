/**
 * Arena maps: wall geometry (the part clients receive in MatchConfig) plus spawn points
 * (server-only). Also the map queries the simulation and bots share: a swept segment test
 * against the walls, used for projectiles and for bots' line of sight.
 *
 * Coordinates are world units, +x right, +y down (screen convention), so the Up button
 * (dy = -1) moves toward y = 0 and an aim angle of π/2 points down.
 */
import type { MapGeometry, Rect, Vec2 } from '../../../protocol/index.js';

export interface ArenaMap {
  readonly name: string;
  readonly geometry: MapGeometry;
  /** Clear of every wall by at least two player radii, inside the map bounds. */
  readonly spawns: readonly Vec2[];
}

const WIDTH = 1600;
const HEIGHT = 1000;

/** Maps are shared module constants referenced from many states: freeze them. */
function freezeMap(m: ArenaMap): ArenaMap {
  for (const w of m.geometry.walls) Object.freeze(w);
  Object.freeze(m.geometry.walls);
  Object.freeze(m.geometry);
  for (const s of m.spawns) Object.freeze(s);
  Object.freeze(m.spawns);
  return Object.freeze(m);
}

/**
 * `arena`: point-symmetric cover layout — a central block, long low walls above and below
 * it, two pillars per side and two small blocks beside the centre. Spawns sit in the
 * corners, mid-edges and either side of the centre so a respawn can be far from a fight.
 */
const ARENA = freezeMap({
  name: 'arena',
  geometry: {
    width: WIDTH,
    height: HEIGHT,
    walls: [
      { x: 740, y: 440, w: 120, h: 120 },
      { x: 600, y: 200, w: 400, h: 32 },
      { x: 600, y: 768, w: 400, h: 32 },
      { x: 320, y: 180, w: 40, h: 220 },
      { x: 320, y: 600, w: 40, h: 220 },
      { x: 1240, y: 180, w: 40, h: 220 },
      { x: 1240, y: 600, w: 40, h: 220 },
      { x: 520, y: 470, w: 60, h: 60 },
      { x: 1020, y: 470, w: 60, h: 60 },
    ],
  },
  spawns: [
    { x: 100, y: 100 },
    { x: 1500, y: 900 },
    { x: 1500, y: 100 },
    { x: 100, y: 900 },
    { x: 100, y: 500 },
    { x: 1500, y: 500 },
    { x: 800, y: 100 },
    { x: 800, y: 900 },
    { x: 440, y: 500 },
    { x: 1160, y: 500 },
  ],
});

/**
 * `open`: same size, no walls. Meant for tests and benchmarks: movement is never blocked
 * and shots travel in straight lines, so expected positions and hits are easy to compute.
 */
const OPEN = freezeMap({
  name: 'open',
  geometry: { width: WIDTH, height: HEIGHT, walls: [] },
  spawns: [
    { x: 200, y: 200 },
    { x: 1400, y: 800 },
    { x: 1400, y: 200 },
    { x: 200, y: 800 },
    { x: 800, y: 200 },
    { x: 800, y: 800 },
    { x: 200, y: 500 },
    { x: 1400, y: 500 },
  ],
});

const MAPS: ReadonlyMap<string, ArenaMap> = new Map([
  [ARENA.name, ARENA],
  [OPEN.name, OPEN],
]);

export const MAP_NAMES: readonly string[] = [...MAPS.keys()];
export const DEFAULT_MAP = ARENA.name;

/** The named map, or undefined for an unknown name. */
export function getMap(name: string): ArenaMap | undefined {
  return MAPS.get(name);
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
  for (const w of map.walls) {
    const t = segmentRectHit(px, py, dx, dy, w);
    if (t < best) best = t;
  }
  return best;
}

/** True when no wall touches the straight line between a and b. */
export function hasLineOfSight(map: MapGeometry, ax: number, ay: number, bx: number, by: number): boolean {
  return segmentWallHit(map, ax, ay, bx - ax, by - ay) === Infinity;
}
