/**
 * One tick of tag: `step(state, inputs)` mutates the state and returns the tick's events.
 * Rules: when play starts a random player is "it"; "it" touching anyone passes it on, and
 * the newly tagged player is frozen for `freezeSeconds` (so nobody is tagged straight
 * back); every second you spend in play not being "it" is a point. Most points wins.
 *
 * Order within a tick: bots decide (from the start-of-tick state), inputs move players in
 * id order with the shared movement rules (protocol/movement), the tag check, timers, the
 * phase clock. No clock reads, no Math.random: the seeded RNG lives in the state.
 */
import { Phase, PLAYER_RADIUS, circleOverlapsRect, movePlayer, type GameEvent } from 'tickwire/protocol';
import { TagEvent, TagInput } from '../shared/tagWire.js';
import { botButtons } from './tagBots.js';
import { nextInt } from './rng.js';
import { seconds, type TagPlayer, type TagState } from './tagState.js';

/** The slice of an input tag reads (a Tickwire `PlayerInput` has these and more). */
export interface TagInputFrame {
  buttons: number;
}

const NO_INPUTS: readonly TagInputFrame[] = [];
/** Centres closer than this touch. */
const TOUCH = 2 * PLAYER_RADIUS;

export function step(state: TagState, inputs: ReadonlyMap<number, readonly TagInputFrame[]>): GameEvent[] {
  const events = state.pendingEvents;
  state.pendingEvents = [];
  state.tick = (state.tick + 1) >>> 0;
  const dt = 1 / state.tickRate;
  const moving = state.phase !== Phase.Ended;

  const bots = new Map<number, number>();
  for (const p of state.players) if (p.bot) bots.set(p.id, botButtons(state, p));
  for (const p of state.players) {
    if (!moving || p.frozenTicks > 0) continue;
    if (p.bot) move(state, p, bots.get(p.id)!, dt);
    else for (const input of inputs.get(p.id) ?? NO_INPUTS) move(state, p, input.buttons, dt);
  }

  if (state.phase === Phase.Playing) {
    checkTag(state, events);
    for (const p of state.players) {
      if (p.frozenTicks > 0) p.frozenTicks--;
      if (p.id !== state.it) p.safeTicks++;
    }
  }
  advancePhase(state, events);
  return events;
}

function move(state: TagState, p: TagPlayer, buttons: number, dt: number): void {
  movePlayer(p, buttons & TagInput.mask, dt, state.map, p);
}

/** "It" tags the lowest-id player it touches (a fixed order keeps replays identical). */
function checkTag(state: TagState, events: GameEvent[]): void {
  const it = state.players.find((p) => p.id === state.it);
  if (!it || it.frozenTicks > 0) return;
  for (const p of state.players) {
    if (p === it) continue;
    const dx = p.x - it.x;
    const dy = p.y - it.y;
    if (dx * dx + dy * dy < TOUCH * TOUCH) {
      state.it = p.id;
      p.frozenTicks = seconds(state, state.settings.freezeSeconds);
      events.push([TagEvent.Tagged, it.id, p.id]);
      return;
    }
  }
}

/** Puts a player on a random free spot, at least four radii from "it" when possible. */
export function spawn(state: TagState, p: TagPlayer): void {
  const it = state.players.find((o) => o.id === state.it);
  const map = state.map;
  for (let attempt = 0; attempt < 64; attempt++) {
    const x = PLAYER_RADIUS + nextInt(state.rng, map.width - 2 * PLAYER_RADIUS);
    const y = PLAYER_RADIUS + nextInt(state.rng, map.height - 2 * PLAYER_RADIUS);
    if (map.walls.some((w) => circleOverlapsRect(x, y, PLAYER_RADIUS * 1.5, w))) continue;
    if (it && attempt < 48 && (x - it.x) ** 2 + (y - it.y) ** 2 < (4 * TOUCH) ** 2) continue;
    p.x = x;
    p.y = y;
    return;
  }
  // Unreachable with the shipped map (mostly open floor); a corner is always free there.
  p.x = PLAYER_RADIUS;
  p.y = PLAYER_RADIUS;
}

/** A new "it" drawn from the players (when "it" left, or play starts). */
export function pickIt(state: TagState): void {
  state.it = state.players.length === 0 ? 0 : state.players[nextInt(state.rng, state.players.length)].id;
}

function enterPhase(state: TagState, phase: Phase, events: GameEvent[]): void {
  state.phase = phase;
  events.push([TagEvent.PhaseChange, phase]);
  const s = state.settings;
  if (phase === Phase.Waiting) state.ticksLeft = 0;
  else if (phase === Phase.Countdown) state.ticksLeft = seconds(state, s.countdownSeconds);
  else if (phase === Phase.Playing) {
    state.ticksLeft = seconds(state, s.matchSeconds);
    pickIt(state);
  } else state.ticksLeft = seconds(state, s.resultsSeconds);
}

function advancePhase(state: TagState, events: GameEvent[]): void {
  const enough = state.players.length >= state.settings.minPlayers;
  switch (state.phase) {
    case Phase.Waiting:
      if (enough) enterPhase(state, Phase.Countdown, events);
      break;
    case Phase.Countdown:
      if (!enough) enterPhase(state, Phase.Waiting, events);
      else if (--state.ticksLeft <= 0) enterPhase(state, Phase.Playing, events);
      break;
    case Phase.Playing:
      if (--state.ticksLeft <= 0) enterPhase(state, Phase.Ended, events);
      break;
    case Phase.Ended:
      // At 0 the room ends the match and disposes it.
      if (state.ticksLeft > 0) state.ticksLeft--;
      break;
  }
}
