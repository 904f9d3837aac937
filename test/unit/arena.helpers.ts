/** Shared helpers for the arena tests (not a test file itself). */
import { Phase, quantizeAngle, type GameEvent } from '../../protocol/index.js';
import type { PlayerInput } from '../../server/rooms/gameMode.js';
import { arenaMode } from '../../server/game/arena/arenaMode.js';
import { findPlayer, type ArenaPlayer, type ArenaState } from '../../server/game/arena/state.js';

export const TICK_RATE = 30;
export const DT = 1 / TICK_RATE;

export function makeState(settings: Record<string, unknown> = {}, seed = 1, tickRate = TICK_RATE): ArenaState {
  return arenaMode.create({ seed, tickRate, settings });
}

export function player(state: ArenaState, id: number): ArenaPlayer {
  const p = findPlayer(state, id);
  if (!p) throw new Error(`no player ${id}`);
  return p;
}

/** Inputs for one tick: id → buttons (+ optional aim in radians), one input each. */
export class Scripter {
  private seq = new Map<number, number>();
  tick(spec: Record<number, { buttons: number; aim?: number }>): Map<number, PlayerInput[]> {
    const m = new Map<number, PlayerInput[]>();
    for (const [k, v] of Object.entries(spec)) {
      const id = Number(k);
      const seq = (this.seq.get(id) ?? 0) + 1;
      this.seq.set(id, seq);
      m.set(id, [{ seq, buttons: v.buttons, aim: quantizeAngle(v.aim ?? 0) }]);
    }
    return m;
  }
}

export const NONE: ReadonlyMap<number, PlayerInput[]> = new Map();

/** Steps `n` ticks with no human inputs, returning all events. */
export function idle(state: ArenaState, n: number): GameEvent[] {
  const all: GameEvent[] = [];
  for (let i = 0; i < n; i++) all.push(...arenaMode.step(state, NONE));
  return all;
}

/**
 * An `open`-map match already in Playing with two humans (ids 1 and 2) and no spawn
 * protection or countdown, so combat tests start at once. Extra settings override.
 */
export function playingDuel(settings: Record<string, unknown> = {}): ArenaState {
  const state = makeState({ map: 'open', countdownSeconds: 0, spawnProtectionSeconds: 0, ...settings });
  arenaMode.addPlayer(state, 1, 'shooter', false);
  arenaMode.addPlayer(state, 2, 'target', false);
  idle(state, 1);
  if (state.phase !== Phase.Playing) throw new Error('duel did not start');
  return state;
}

export function place(state: ArenaState, id: number, x: number, y: number): void {
  const p = player(state, id);
  p.x = x;
  p.y = y;
}

export function eventsOfKind(events: GameEvent[], kind: number): GameEvent[] {
  return events.filter((e) => e[0] === kind);
}
