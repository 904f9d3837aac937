/**
 * One arena tick: `step(state, inputs)` mutates the state and returns the tick's events.
 * Deterministic: the only randomness is the seeded RNG inside the state, iteration is in
 * player-id / firing order, and there are no clock reads.
 *
 * Order within a tick (each stage sees the previous one's results):
 *   1. due respawns  2. bot inputs, decided from the start-of-tick state
 *   3. inputs applied per player in id order (aim, lastSeq, movement, firing)
 *   4. projectiles move and hit (against rewound positions: lagCompensation.ts)
 *   5. cooldown / protection timers  6. phase clock  7. position history recorded
 */
import {
  ARENA_MAX_HP,
  Buttons,
  EventKind,
  PLAYER_RADIUS,
  Phase,
  movePlayer,
  PROJECTILE_SPEED,
  projectileDirection,
  projectileMoves,
  snapPosition,
  type GameEvent,
  type Vec2,
} from '../../../protocol/index.js';
import type { PlayerInput } from '../../rooms/gameMode.js';
import { botInput } from './bots.js';
import { historySlot, recordHistory, rewindTicksFor, slotPositionInto } from './lagCompensation.js';
import { BROAD_MARGIN, seg, segmentCircleHit, segmentWallHitInto } from './sweptHits.js';
import { nextInt } from './rng.js';
import {
  PROJECTILE_DAMAGE,
  PROJECTILE_RADIUS,
  type ArenaPlayer,
  type ArenaProjectile,
  type ArenaState,
} from './state.js';

const NO_INPUTS: readonly PlayerInput[] = [];
/**
 * Scratch vectors for one move's result, a heading and a rewound target: step is
 * synchronous, so one of each serves every match, and each is consumed before the next
 * call that writes it.
 */
const moveScratch = { x: 0, y: 0 };
const dirScratch = { x: 0, y: 0 };
const rewound = { x: 0, y: 0 };
/**
 * Removed projectiles, reused by the next shots (shared by every match: steps are
 * synchronous). So a projectile object must not be held across steps once it is gone.
 */
const projectilePool: ArenaProjectile[] = [];
const MAX_POOLED_PROJECTILES = 1024;
/**
 * Seconds per tick by tick rate: `state.dt` as a number V8 can pass as it is. Read from the
 * state's field (a double) and passed to movePlayer, which V8 does not inline, dt was boxed
 * into a new heap number for every input; a Map holds the boxed number, so passing it on
 * costs nothing. Bounded: a server runs a handful of tick rates; emptied past 16.
 */
const dtByRate = new Map<number, number>();

function tickSeconds(state: ArenaState): number {
  const dt = dtByRate.get(state.tickRate);
  if (dt !== undefined) return dt;
  if (dtByRate.size >= 16) dtByRate.clear();
  dtByRate.set(state.tickRate, state.dt);
  return state.dt;
}

/**
 * One step's bot decisions, by index in `state.players` (an array, not a Map: Map#clear
 * allocates a new table, every tick), each a reused input that botInput fills in. Never
 * emptied: bounded by the players of one match; entries past players.length are not read.
 */
const botInputs: PlayerInput[] = [];

export function step(state: ArenaState, inputs: ReadonlyMap<number, readonly PlayerInput[]>): GameEvent[] {
  const events = state.pendingEvents;
  state.tick = (state.tick + 1) >>> 0;
  const frozen = state.phase === Phase.Ended;

  if (!frozen) respawnDue(state, events);

  // Bots decide before anyone moves, so a bot's choice does not depend on id order.
  const players = state.players;
  while (botInputs.length < players.length) botInputs.push({ seq: 0, buttons: 0, aim: 0 });
  for (let i = 0; i < players.length; i++) if (players[i].bot) botInput(state, players[i], botInputs[i]);

  for (let i = 0; i < players.length; i++) {
    const p = players[i];
    if (p.bot) applyInput(state, p, botInputs[i], events);
    else {
      const list = inputs.get(p.id) ?? NO_INPUTS;
      for (let k = 0; k < list.length; k++) applyInput(state, p, list[k], events);
    }
  }

  if (!frozen) {
    updateProjectiles(state, events);
    for (let i = 0; i < players.length; i++) {
      const p = players[i];
      if (p.cooldownTicks > 0) p.cooldownTicks--;
      if (p.protectTicks > 0) p.protectTicks--;
    }
  }
  advancePhase(state, events);
  recordHistory(state);
  // Callers keep a tick's events (rooms send them with the next snapshot): the next tick
  // starts a new list, except after a tick without events, whose empty list is reused.
  if (events.length > 0) state.pendingEvents = [];
  return events;
}

/**
 * Applies one input. Aim and lastSeq always update (the client reconciles against lastSeq
 * even while dead or frozen); movement needs a live player outside Ended; firing needs
 * Playing and a ready cooldown.
 */
function applyInput(state: ArenaState, p: ArenaPlayer, input: PlayerInput, events: GameEvent[]): void {
  p.aim = input.aim & 0xffff;
  p.lastSeq = input.seq >>> 0;
  if (!p.alive || state.phase === Phase.Ended) return;
  // Exactly one movePlayer call per input with dt = 1/tickRate: what the client predicts.
  movePlayer(p, input.buttons, tickSeconds(state), state.map, moveScratch);
  p.x = moveScratch.x;
  p.y = moveScratch.y;
  if (input.buttons & Buttons.Fire && state.phase === Phase.Playing && p.cooldownTicks === 0) {
    fire(state, p, events, rewindTicksFor(state, input.viewTick));
  }
}

/**
 * Puts a projectile at the shooter's muzzle. It makes its first move in this same tick's
 * projectile stage, so the snapshot of the firing tick (`spawnTick`) shows it one move out
 * (the timeline the client relies on is in protocol/projectile.ts).
 */
function fire(state: ArenaState, p: ArenaPlayer, events: GameEvent[], rewindTicks: number): void {
  const dir = projectileDirection(p.aim, dirScratch);
  const id = state.nextProjectileId;
  // uint32 counter that skips 0; a wrapped id cannot collide with a live one (1 s lifetime).
  state.nextProjectileId = ((id + 1) >>> 0) || 1;
  const spawnX = snapPosition(p.x + dir.x * PLAYER_RADIUS);
  const spawnY = snapPosition(p.y + dir.y * PLAYER_RADIUS);
  const pr = projectilePool.pop();
  if (pr) {
    // Every field rewritten, in the literal's order.
    pr.id = id;
    pr.owner = p.id;
    pr.spawnX = spawnX;
    pr.spawnY = spawnY;
    pr.angle = p.aim;
    pr.spawnTick = state.tick;
    pr.x = spawnX;
    pr.y = spawnY;
    pr.ticksLeft = state.timings.projectileLifetimeTicks;
    pr.rewindTicks = rewindTicks;
    pr.dirX = dir.x;
    pr.dirY = dir.y;
    state.projectiles.push(pr);
  } else {
    state.projectiles.push({
      id,
      owner: p.id,
      spawnX,
      spawnY,
      angle: p.aim,
      spawnTick: state.tick,
      x: spawnX,
      y: spawnY,
      ticksLeft: state.timings.projectileLifetimeTicks,
      rewindTicks,
      dirX: dir.x,
      dirY: dir.y,
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
 * player wins (cover protects). Spent projectiles are removed in place. The new position is
 * the shared closed form for this tick, snapped, not the old one plus a velocity: clients
 * compute the same function from the projectile's constant snapshot row.
 */
function updateProjectiles(state: ArenaState, events: GameEvent[]): void {
  const list = state.projectiles;
  let kept = 0;
  for (let i = 0; i < list.length; i++) {
    const pr = list[i];
    if (advanceProjectile(state, pr, events)) list[kept++] = pr;
    else if (projectilePool.length < MAX_POOLED_PROJECTILES) projectilePool.push(pr);
  }
  list.length = kept;
}

function advanceProjectile(state: ArenaState, pr: ArenaProjectile, events: GameEvent[]): boolean {
  // projectilePosition(pr, state.tick, state.tickRate), the same expressions in the same
  // order, with the heading computed at fire (dirX/dirY) instead of cos/sin every tick.
  const moves = Math.max(0, projectileMoves(pr.spawnTick, state.tick));
  const dist = (PROJECTILE_SPEED * moves) / state.tickRate;
  const nx = snapPosition(pr.spawnX + pr.dirX * dist);
  const ny = snapPosition(pr.spawnY + pr.dirY * dist);
  const x0 = pr.x;
  const y0 = pr.y;
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
    const at = slot >= 0 && slotPositionInto(history, slot, p.id, i, rewound) ? rewound : p;
    if (at.x < minX || at.x > maxX || at.y < minY || at.y > maxY) continue;
    segmentCircleHit(seg, at, PLAYER_RADIUS + PROJECTILE_RADIUS);
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
  pr.x = nx;
  pr.y = ny;
  if (pr.x < 0 || pr.y < 0 || pr.x > state.map.width || pr.y > state.map.height) return false;
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

function respawnDue(state: ArenaState, events: GameEvent[]): void {
  for (let i = 0; i < state.players.length; i++) {
    const p = state.players[i];
    if (p.alive) continue;
    if (p.respawnTicks > 0) p.respawnTicks--;
    if (p.respawnTicks === 0) spawnPlayer(state, p, events);
  }
}

/**
 * Picks a spawn point: rank points by distance to the nearest living enemy and choose
 * uniformly (seeded) among the farther half, so respawns are safe but not predictable.
 * With no living enemy every point is a candidate.
 */
export function chooseSpawn(state: ArenaState, forId: number): Vec2 {
  const ranked = state.spawns.map((s, i) => {
    let d = Infinity;
    for (const p of state.players) {
      if (p.id === forId || !p.alive) continue;
      const dx = p.x - s.x;
      const dy = p.y - s.y;
      const d2 = dx * dx + dy * dy;
      if (d2 < d) d = d2;
    }
    return { i, d };
  });
  const anyEnemy = ranked.some((r) => r.d !== Infinity);
  ranked.sort((a, b) => (b.d === a.d ? a.i - b.i : b.d - a.d));
  const pool = anyEnemy ? Math.ceil(ranked.length / 2) : ranked.length;
  return state.spawns[ranked[nextInt(state.rng, pool)].i];
}

export function spawnPlayer(state: ArenaState, p: ArenaPlayer, events: GameEvent[]): void {
  const at = chooseSpawn(state, p.id);
  p.x = snapPosition(at.x);
  p.y = snapPosition(at.y);
  p.hp = ARENA_MAX_HP;
  p.alive = true;
  p.respawnTicks = 0;
  p.cooldownTicks = 0;
  p.protectTicks = state.timings.spawnProtectionTicks;
  events.push([EventKind.Spawn, p.id]);
}

function enterPhase(state: ArenaState, phase: Phase, events: GameEvent[]): void {
  const t = state.timings;
  state.phase = phase;
  events.push([EventKind.PhaseChange, phase]);
  if (phase === Phase.Waiting) state.ticksLeft = 0;
  else if (phase === Phase.Countdown) {
    state.ticksLeft = t.countdownTicks;
    if (t.countdownTicks === 0) enterPhase(state, Phase.Playing, events);
  } else if (phase === Phase.Playing) state.ticksLeft = t.matchTicks;
  else {
    state.ticksLeft = t.resultsTicks;
    // Nothing flies after the whistle: no late kills on the results screen.
    state.projectiles.length = 0;
  }
}

/**
 * The phase clock. A phase entered at tick k with N ticks ends at tick k + N. Countdown
 * falls back to Waiting if players leave; Ended counts down to 0 and stays there (the
 * room disposes the match then).
 */
function advancePhase(state: ArenaState, events: GameEvent[]): void {
  const enough = state.players.length >= state.settings.minPlayers;
  switch (state.phase) {
    case Phase.Waiting:
      if (enough) enterPhase(state, Phase.Countdown, events);
      break;
    case Phase.Countdown:
      if (!enough) enterPhase(state, Phase.Waiting, events);
      else if (--state.ticksLeft <= 0) enterPhase(state, Phase.Playing, events);
      break;
    case Phase.Playing: {
      state.ticksLeft--;
      // A loop, not `some` with a closure over state: that allocated a closure every tick.
      let limitReached = false;
      for (let i = 0; i < state.players.length; i++) if (state.players[i].score >= state.settings.scoreLimit) limitReached = true;
      if (state.ticksLeft <= 0 || limitReached) enterPhase(state, Phase.Ended, events);
      break;
    }
    case Phase.Ended:
      if (state.ticksLeft > 0) state.ticksLeft--;
      break;
  }
}
