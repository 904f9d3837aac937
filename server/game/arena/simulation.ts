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
import { ARENA_MAX_HP, Buttons, EventKind, Phase, movePlayer, snapPosition, type GameEvent, type Vec2 } from '../../../protocol/index.js';
import type { PlayerInput } from '../../rooms/gameMode.js';
import { botInput } from './bots.js';
import { recordHistory, rewindTicksFor } from './lagCompensation.js';
import { fire, updateProjectiles } from './projectiles.js';
import { nextInt } from './rng.js';
import type { ArenaPlayer, ArenaState } from './state.js';

const NO_INPUTS: readonly PlayerInput[] = [];
/**
 * Scratch vector for one move's result: step is synchronous, so one serves every match,
 * and it is consumed before the next call writes it.
 */
const moveScratch = { x: 0, y: 0 };
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
    // Nothing flies after the whistle: no late kills on the results screen (the flight
    // rows past the count are not read).
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
