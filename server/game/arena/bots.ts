/**
 * Bot brain: turns the state into one PlayerInput for a bot, like a client would send.
 * Deterministic: all randomness comes from the state's seeded RNG, and the bot's memory
 * (wander target, strafe side, stuck counter) lives in its BotBrain inside the state.
 *
 * Behaviour: close in on the nearest living enemy, keep a middle distance and strafe
 * around it; wander when alone; when blocked by a wall for a few ticks, wander elsewhere
 * for a moment to get round it. Aim turns at a limited rate toward the nearest enemy in
 * line of sight, with seeded jitter so bots miss sometimes; fire only when roughly on
 * target and in range. Bots send a fire request every time they want to shoot; the
 * simulation enforces the cooldown for them exactly as for humans.
 *
 * Skill (the match setting `botSkill`, BOT_SKILLS below): a bot that first sees an enemy
 * (or switches to another) needs its reaction time before it turns toward it or fires,
 * like a human noticing someone; its aim error, turn rate, fire chance and range set how
 * often a shot lands. 'normal' is tuned so a new player standing still in a full match is
 * not farmed (test/unit/arena.botSkill.test.ts measures it).
 */
import { Buttons, Phase, dequantizeAngle, moveDirection, quantizeAngle } from '../../../protocol/index.js';
import type { PlayerInput } from '../../rooms/gameMode.js';
import { hasLineOfSight } from './maps.js';
import { nextFloat, nextRange } from './rng.js';
import { PROJECTILE_LIFETIME_SECONDS, PROJECTILE_SPEED, type ArenaPlayer, type ArenaState, type BotBrain, type BotSkill } from './state.js';

/** Tuning, in world units / radians / seconds. */
const PREFERRED_MIN = 160;
const PREFERRED_MAX = 320;
const MAX_RANGE = PROJECTILE_SPEED * PROJECTILE_LIFETIME_SECONDS;
const FIRE_TOLERANCE = 0.2;
const STUCK_LIMIT = 6;
const MARGIN = 60;

export interface BotSkillTuning {
  /** Seconds from first seeing an enemy to turning toward it and firing. */
  reactionSeconds: number;
  /** Peak aim error, radians (a triangular distribution in ±aimError). */
  aimError: number;
  /** How fast the aim turns, radians per second. */
  turnPerSecond: number;
  /** Chance per tick of pulling the trigger when on target (the cooldown still applies). */
  fireChance: number;
  /** Fire only at enemies within this fraction of a projectile's reach. */
  rangeFraction: number;
}

export const BOT_SKILLS: Readonly<Record<BotSkill, BotSkillTuning>> = Object.freeze({
  easy: { reactionSeconds: 0.8, aimError: 0.45, turnPerSecond: 3.5, fireChance: 0.2, rangeFraction: 0.5 },
  normal: { reactionSeconds: 0.5, aimError: 0.35, turnPerSecond: 5, fireChance: 0.25, rangeFraction: 0.6 },
  hard: { reactionSeconds: 0.15, aimError: 0.12, turnPerSecond: 9, fireChance: 0.6, rangeFraction: 0.75 },
});

export function createBotBrain(x: number, y: number): BotBrain {
  return { wanderX: x, wanderY: y, wanderTicks: 0, unstickTicks: 0, strafe: 1, strafeTicks: 0, stuckTicks: 0, lastX: x, lastY: y, targetId: 0, reactTicks: 0 };
}

/** Shortest signed difference a - b, in (-π, π]. */
function angleDiff(a: number, b: number): number {
  let d = (a - b) % (2 * Math.PI);
  if (d > Math.PI) d -= 2 * Math.PI;
  else if (d <= -Math.PI) d += 2 * Math.PI;
  return d;
}

/**
 * WASD bits approximating a direction (8-way, a component must be ≳ 22.5° to count). Takes
 * the direction in a scratch object (`toward`, set just before the call) rather than two
 * doubles: V8 did not inline this call from steer, and boxed both arguments, every tick
 * of every bot.
 */
const toward = { dx: 0, dy: 0 };
function buttonsToward(v: typeof toward): number {
  const dx = v.dx;
  const dy = v.dy;
  const len = Math.sqrt(dx * dx + dy * dy);
  if (len < 1e-6) return 0;
  const nx = dx / len;
  const ny = dy / len;
  let b = 0;
  if (nx > 0.38) b |= Buttons.Right;
  else if (nx < -0.38) b |= Buttons.Left;
  if (ny > 0.38) b |= Buttons.Down;
  else if (ny < -0.38) b |= Buttons.Up;
  return b;
}

function pickWander(state: ArenaState, brain: BotBrain): void {
  brain.wanderX = nextRange(state.rng, MARGIN, state.map.width - MARGIN);
  brain.wanderY = nextRange(state.rng, MARGIN, state.map.height - MARGIN);
  brain.wanderTicks = Math.round(nextRange(state.rng, 2, 4) * state.tickRate);
}

function nearestEnemy(state: ArenaState, bot: ArenaPlayer, needSight: boolean): ArenaPlayer | null {
  let best: ArenaPlayer | null = null;
  let bestD = Infinity;
  for (const p of state.players) {
    if (p.id === bot.id || !p.alive) continue;
    const dx = p.x - bot.x;
    const dy = p.y - bot.y;
    const d = dx * dx + dy * dy;
    if (d >= bestD) continue;
    if (needSight && !hasLineOfSight(state.map, bot.x, bot.y, p.x, p.y)) continue;
    best = p;
    bestD = d;
  }
  return best;
}

/** Movement buttons for this tick; updates the brain's memory. */
function steer(state: ArenaState, bot: ArenaPlayer, brain: BotBrain): number {
  // Stuck detection: wanted to move last tick but the position did not change.
  brain.stuckTicks = bot.x === brain.lastX && bot.y === brain.lastY ? brain.stuckTicks + 1 : 0;
  brain.lastX = bot.x;
  brain.lastY = bot.y;
  if (brain.stuckTicks >= STUCK_LIMIT) {
    brain.stuckTicks = 0;
    pickWander(state, brain);
    brain.unstickTicks = Math.round(state.tickRate);
  }
  if (brain.wanderTicks > 0) brain.wanderTicks--;
  if (brain.strafeTicks > 0) brain.strafeTicks--;
  if (brain.unstickTicks > 0) brain.unstickTicks--;

  const enemy = brain.unstickTicks > 0 ? null : nearestEnemy(state, bot, false);
  if (!enemy) {
    const dx = brain.wanderX - bot.x;
    const dy = brain.wanderY - bot.y;
    if (brain.wanderTicks === 0 || dx * dx + dy * dy < 40 * 40) pickWander(state, brain);
    toward.dx = brain.wanderX - bot.x;
    toward.dy = brain.wanderY - bot.y;
    return buttonsToward(toward);
  }
  const dx = enemy.x - bot.x;
  const dy = enemy.y - bot.y;
  const dist = Math.sqrt(dx * dx + dy * dy);
  toward.dx = dx;
  toward.dy = dy;
  if (dist > PREFERRED_MAX) return buttonsToward(toward);
  toward.dx = -dx;
  toward.dy = -dy;
  if (dist < PREFERRED_MIN) return buttonsToward(toward);
  if (brain.strafeTicks === 0) {
    brain.strafe = nextFloat(state.rng) < 0.5 ? -1 : 1;
    brain.strafeTicks = Math.round(nextRange(state.rng, 0.7, 2) * state.tickRate);
  }
  // Perpendicular to the line to the enemy: circle around it.
  toward.dx = -dy * brain.strafe;
  toward.dy = dx * brain.strafe;
  return buttonsToward(toward);
}

export function botInput(state: ArenaState, bot: ArenaPlayer, out: PlayerInput = { seq: 0, buttons: 0, aim: 0 }): PlayerInput {
  const seq = (bot.lastSeq + 1) >>> 0;
  const brain = bot.brain;
  if (!brain || !bot.alive || state.phase === Phase.Ended) return setInput(out, seq, 0, bot.aim);

  const skill = BOT_SKILLS[state.settings.botSkill];
  let buttons = steer(state, bot, brain);
  const current = dequantizeAngle(bot.aim);
  let aim = current;
  const target = nearestEnemy(state, bot, true);
  // Reaction time: a newly seen (or switched-to) enemy is noticed only after a delay.
  if (!target) brain.targetId = 0;
  else if (target.id !== brain.targetId) {
    brain.targetId = target.id;
    brain.reactTicks = Math.round(skill.reactionSeconds * state.tickRate);
  } else if (brain.reactTicks > 0) brain.reactTicks--;
  if (target && brain.reactTicks === 0) {
    const dx = target.x - bot.x;
    const dy = target.y - bot.y;
    const jitter = (nextFloat(state.rng) + nextFloat(state.rng) - 1) * skill.aimError;
    const wanted = Math.atan2(dy, dx) + jitter;
    const maxTurn = skill.turnPerSecond / state.tickRate;
    const diff = angleDiff(wanted, current);
    aim = current + (diff > maxTurn ? maxTurn : diff < -maxTurn ? -maxTurn : diff);
    const onTarget = Math.abs(angleDiff(wanted, aim)) < FIRE_TOLERANCE;
    const range = MAX_RANGE * skill.rangeFraction;
    const inRange = dx * dx + dy * dy < range * range;
    if (onTarget && inRange && state.phase === Phase.Playing && nextFloat(state.rng) < skill.fireChance) {
      buttons |= Buttons.Fire;
    }
  } else if (target) {
    // Not reacted yet: keeps looking where it was looking.
  } else if (buttons !== 0) {
    // Nobody in sight: look where we are going.
    const d = moveDirection(buttons);
    aim = Math.atan2(d.y, d.x);
  }
  return setInput(out, seq, buttons, quantizeAngle(aim));
}

/** Fills a bot's input (no viewTick: bots see the present, nothing to rewind). */
function setInput(out: PlayerInput, seq: number, buttons: number, aim: number): PlayerInput {
  out.seq = seq;
  out.buttons = buttons;
  out.aim = aim;
  return out;
}
