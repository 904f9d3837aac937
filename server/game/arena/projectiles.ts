/**
 * The projectile stage of a step (simulation.ts): firing, the per-tick swept move against
 * walls and (rewound) players, and a hit's consequences. A projectile is an object with its
 * integer fields plus a row of doubles in `state.flight` (state.ts says why), kept in the
 * same order as `state.projectiles`: every function here that adds, removes or reorders
 * projectiles moves their rows with them.
 */
import {
  EventKind,
  PLAYER_RADIUS,
  PROJECTILE_SPEED,
  projectileDirection,
  projectileMoves,
  snapPosition,
  type GameEvent,
} from '../../../protocol/index.js';
import { historySlot, slotPositionInto } from './lagCompensation.js';
import { BROAD_MARGIN, seg, segmentCircleHit, segmentWallHitInto } from './sweptHits.js';
import {
  Flight,
  FLIGHT_STRIDE,
  PROJECTILE_DAMAGE,
  PROJECTILE_RADIUS,
  type ArenaPlayer,
  type ArenaProjectile,
  type ArenaState,
} from './state.js';

/**
 * Scratch vectors for a heading and a rewound target: steps are synchronous, so one of each
 * serves every match, and each is consumed before the next call that writes it.
 */
const dirScratch = { x: 0, y: 0 };
const rewound = { x: 0, y: 0 };
/**
 * Removed projectiles, reused by the next shots (shared by every match: steps are
 * synchronous). So a projectile object must not be held across steps once it is gone.
 */
const projectilePool: ArenaProjectile[] = [];
const MAX_POOLED_PROJECTILES = 1024;

/** The flight rows, grown (copied) to hold at least `count` projectiles. */
function flightFor(state: ArenaState, count: number): Float64Array {
  const f = state.flight;
  if (count * FLIGHT_STRIDE <= f.length) return f;
  const grown = new Float64Array(Math.max(f.length * 2, count * FLIGHT_STRIDE));
  grown.set(f);
  state.flight = grown;
  return grown;
}

/**
 * Puts a projectile at the shooter's muzzle. It makes its first move in this same tick's
 * projectile stage, so the snapshot of the firing tick (`spawnTick`) shows it one move out
 * (the timeline the client relies on is in protocol/projectile.ts).
 */
export function fire(state: ArenaState, p: ArenaPlayer, events: GameEvent[], rewindTicks: number): void {
  const dir = projectileDirection(p.aim, dirScratch);
  const id = state.nextProjectileId;
  // uint32 counter that skips 0; a wrapped id cannot collide with a live one (1 s lifetime).
  state.nextProjectileId = ((id + 1) >>> 0) || 1;
  const spawnX = snapPosition(p.x + dir.x * PLAYER_RADIUS);
  const spawnY = snapPosition(p.y + dir.y * PLAYER_RADIUS);
  const index = state.projectiles.length;
  const f = flightFor(state, index + 1);
  const at = index * FLIGHT_STRIDE;
  f[at + Flight.SpawnX] = spawnX;
  f[at + Flight.SpawnY] = spawnY;
  f[at + Flight.DirX] = dir.x;
  f[at + Flight.DirY] = dir.y;
  f[at + Flight.X] = spawnX;
  f[at + Flight.Y] = spawnY;
  const pr = projectilePool.pop();
  if (pr) {
    // Every field rewritten, in the literal's order.
    pr.id = id;
    pr.owner = p.id;
    pr.spawnX = spawnX;
    pr.spawnY = spawnY;
    pr.angle = p.aim;
    pr.spawnTick = state.tick;
    pr.ticksLeft = state.timings.projectileLifetimeTicks;
    pr.rewindTicks = rewindTicks;
    state.projectiles.push(pr);
  } else {
    state.projectiles.push({
      id,
      owner: p.id,
      spawnX,
      spawnY,
      angle: p.aim,
      spawnTick: state.tick,
      ticksLeft: state.timings.projectileLifetimeTicks,
      rewindTicks,
    });
  }
  p.cooldownTicks = state.timings.fireCooldownTicks;
  // Firing ends spawn protection: a protected player must not shoot with impunity.
  p.protectTicks = 0;
  events.push([EventKind.Fire, p.id, id]);
}

/**
 * Moves every projectile one tick with a swept test (no tunnelling through thin walls or
 * past a player between ticks). The earliest contact wins; a wall at the same t as a
 * player wins (cover protects). Spent projectiles are removed in place, their flight rows
 * closing up with them. The new position is the shared closed form for this tick, snapped,
 * not the old one plus a velocity: clients compute the same function from the projectile's
 * constant snapshot row.
 */
export function updateProjectiles(state: ArenaState, events: GameEvent[]): void {
  const list = state.projectiles;
  const f = state.flight;
  let kept = 0;
  for (let i = 0; i < list.length; i++) {
    const pr = list[i];
    if (advanceProjectile(state, pr, i * FLIGHT_STRIDE, events)) {
      if (kept !== i) moveRow(f, i, kept);
      list[kept++] = pr;
    } else if (projectilePool.length < MAX_POOLED_PROJECTILES) projectilePool.push(pr);
  }
  list.length = kept;
}

function moveRow(f: Float64Array, from: number, to: number): void {
  const a = from * FLIGHT_STRIDE;
  const b = to * FLIGHT_STRIDE;
  for (let k = 0; k < FLIGHT_STRIDE; k++) f[b + k] = f[a + k];
}

/** Removes `owner`'s projectiles (a leaver's: no kills credited to someone gone). */
export function removeProjectilesOf(state: ArenaState, owner: number): void {
  const list = state.projectiles;
  const kept: ArenaProjectile[] = [];
  for (let i = 0; i < list.length; i++) {
    if (list[i].owner === owner) continue;
    if (kept.length !== i) moveRow(state.flight, i, kept.length);
    kept.push(list[i]);
  }
  state.projectiles = kept;
}

/** A projectile's heading and position at the end of the last step, from its flight row (tests, tools). */
export function projectileFlight(state: ArenaState, pr: ArenaProjectile): { x: number; y: number; dirX: number; dirY: number } {
  const i = state.projectiles.indexOf(pr);
  if (i < 0) throw new Error(`projectile ${pr.id} is not in flight`);
  const at = i * FLIGHT_STRIDE;
  const f = state.flight;
  return { x: f[at + Flight.X], y: f[at + Flight.Y], dirX: f[at + Flight.DirX], dirY: f[at + Flight.DirY] };
}

/** One projectile's move this tick, its flight row at `at`; false when it is spent. */
function advanceProjectile(state: ArenaState, pr: ArenaProjectile, at: number, events: GameEvent[]): boolean {
  const f = state.flight;
  // projectilePosition(pr, state.tick, state.tickRate), the same expressions in the same
  // order, with the heading computed at fire (DirX/DirY) instead of cos/sin every tick.
  const moves = Math.max(0, projectileMoves(pr.spawnTick, state.tick));
  const dist = (PROJECTILE_SPEED * moves) / state.tickRate;
  const nx = snapPosition(f[at + Flight.SpawnX] + f[at + Flight.DirX] * dist);
  const ny = snapPosition(f[at + Flight.SpawnY] + f[at + Flight.DirY] * dist);
  const x0 = f[at + Flight.X];
  const y0 = f[at + Flight.Y];
  seg.x0 = x0;
  seg.y0 = y0;
  seg.dx = nx - x0;
  seg.dy = ny - y0;
  segmentWallHitInto(state.map, seg);
  const tWall = seg.t;
  // Broad phase: a target whose (rewound) centre is outside the move's box grown by the
  // hit radius and a margin cannot be touched (segmentCircleHit would say Infinity), so
  // most targets cost four comparisons instead of the swept test.
  const reach = PLAYER_RADIUS + PROJECTILE_RADIUS + BROAD_MARGIN;
  const minX = (x0 < nx ? x0 : nx) - reach;
  const maxX = (x0 < nx ? nx : x0) + reach;
  const minY = (y0 < ny ? y0 : ny) - reach;
  const maxY = (y0 < ny ? ny : y0) + reach;
  // In the shooter's timeline: targets where they were `rewindTicks` ago (the present when
  // uncompensated, or for a target the history has no row for, e.g. one who just joined).
  // The frame is found once per projectile; each target's row is then read from it.
  const history = state.history;
  const slot = pr.rewindTicks > 0 ? historySlot(history, state.tick - pr.rewindTicks) : -1;
  let victim: ArenaPlayer | null = null;
  let tHit = Infinity;
  const players = state.players;
  for (let i = 0; i < players.length; i++) {
    const p = players[i];
    if (p.id === pr.owner || !p.alive || p.protectTicks > 0) continue;
    const c = slot >= 0 && slotPositionInto(history, slot, p.id, i, rewound) ? rewound : p;
    if (c.x < minX || c.x > maxX || c.y < minY || c.y > maxY) continue;
    segmentCircleHit(seg, c, PLAYER_RADIUS + PROJECTILE_RADIUS);
    if (seg.t < tHit) {
      tHit = seg.t;
      victim = p;
    }
  }
  if (victim && tHit < tWall) {
    damage(state, pr.owner, victim, events);
    return false;
  }
  if (tWall !== Infinity) return false;
  f[at + Flight.X] = nx;
  f[at + Flight.Y] = ny;
  if (nx < 0 || ny < 0 || nx > state.map.width || ny > state.map.height) return false;
  return --pr.ticksLeft > 0;
}

function damage(state: ArenaState, shooterId: number, victim: ArenaPlayer, events: GameEvent[]): void {
  const dealt = Math.min(PROJECTILE_DAMAGE, victim.hp);
  victim.hp -= dealt;
  events.push([EventKind.Hit, shooterId, victim.id, dealt]);
  if (victim.hp > 0) return;
  victim.alive = false;
  victim.deaths++;
  victim.respawnTicks = state.timings.respawnTicks;
  victim.protectTicks = 0;
  for (let i = 0; i < state.players.length; i++) if (state.players[i].id === shooterId) state.players[i].score++;
  events.push([EventKind.Kill, shooterId, victim.id]);
}
