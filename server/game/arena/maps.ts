/**
 * Arena maps: wall geometry (the part clients receive in MatchConfig) plus spawn points
 * (server-only). Also the map queries the simulation and bots share: a swept segment test
 * against the walls, used for projectiles and for bots' line of sight.
 *
 * Coordinates are world units, +x right, +y down (screen convention), so the Up button
 * (dy = -1) moves toward y = 0 and an aim angle of π/2 points down.
 */
import { segmentWallHit, type MapGeometry, type Rect, type Vec2 } from '../../../protocol/index.js';

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

/** True when no wall touches the straight line between a and b. */
export function hasLineOfSight(map: MapGeometry, ax: number, ay: number, bx: number, by: number): boolean {
  return segmentWallHit(map, ax, ay, bx - ax, by - ay) === Infinity;
}
