import { describe, expect, it } from 'vitest';
import { Buttons, EventKind, Phase } from '../../protocol/index.js';
import { arenaMode } from '../../server/game/arena/arenaMode.js';
import { DEFAULT_ARENA_SETTINGS, resolveSettings } from '../../server/game/arena/state.js';
import { Scripter, eventsOfKind, idle, makeState, place, player, playingDuel } from './arena.helpers.js';

function phaseChanges(events: number[][]): number[] {
  return eventsOfKind(events, EventKind.PhaseChange).map((e) => e[1]);
}

describe('arena phases', () => {
  it('Waiting → Countdown → Playing → Ended with exact tick counts, then ticksLeft stays 0', () => {
    const state = makeState({ map: 'open', countdownSeconds: 1, matchSeconds: 2, resultsSeconds: 1 });
    arenaMode.addPlayer(state, 1, 'a', false);
    expect(phaseChanges(idle(state, 100))).toEqual([]);
    expect(arenaMode.phase(state)).toEqual({ phase: Phase.Waiting, ticksLeft: 0 });

    arenaMode.addPlayer(state, 2, 'b', false);
    expect(phaseChanges(idle(state, 1))).toEqual([Phase.Countdown]);
    expect(arenaMode.phase(state)).toEqual({ phase: Phase.Countdown, ticksLeft: 30 });

    expect(phaseChanges(idle(state, 29))).toEqual([]);
    expect(arenaMode.phase(state)).toEqual({ phase: Phase.Countdown, ticksLeft: 1 });
    expect(phaseChanges(idle(state, 1))).toEqual([Phase.Playing]);
    expect(arenaMode.phase(state)).toEqual({ phase: Phase.Playing, ticksLeft: 60 });

    expect(phaseChanges(idle(state, 59))).toEqual([]);
    expect(phaseChanges(idle(state, 1))).toEqual([Phase.Ended]);
    expect(arenaMode.phase(state)).toEqual({ phase: Phase.Ended, ticksLeft: 30 });

    expect(phaseChanges(idle(state, 30))).toEqual([]);
    expect(arenaMode.phase(state)).toEqual({ phase: Phase.Ended, ticksLeft: 0 });
    idle(state, 50);
    expect(arenaMode.phase(state)).toEqual({ phase: Phase.Ended, ticksLeft: 0 });
    // The snapshot header mirrors it.
    expect(arenaMode.snapshot(state).header).toEqual([Phase.Ended, 0]);
  });

  it('allows movement during the countdown', () => {
    const state = makeState({ map: 'open', countdownSeconds: 3 });
    arenaMode.addPlayer(state, 1, 'a', false);
    arenaMode.addPlayer(state, 2, 'b', false);
    idle(state, 1);
    expect(state.phase).toBe(Phase.Countdown);
    place(state, 1, 800, 500);
    const s = new Scripter();
    arenaMode.step(state, s.tick({ 1: { buttons: Buttons.Down } }));
    expect(player(state, 1).y).toBe(500 + 7.3125);
  });

  it('falls back to Waiting when a player leaves during the countdown', () => {
    const state = makeState({ map: 'open', countdownSeconds: 3 });
    arenaMode.addPlayer(state, 1, 'a', false);
    arenaMode.addPlayer(state, 2, 'b', false);
    idle(state, 10);
    arenaMode.removePlayer(state, 2);
    expect(phaseChanges(idle(state, 1))).toEqual([Phase.Waiting]);
    expect(arenaMode.phase(state)).toEqual({ phase: Phase.Waiting, ticksLeft: 0 });
  });

  it('bots count toward minPlayers', () => {
    const state = makeState({ map: 'open', minPlayers: 3 });
    arenaMode.addPlayer(state, 1, 'a', false);
    arenaMode.addPlayer(state, 2, 'bot', true);
    idle(state, 5);
    expect(state.phase).toBe(Phase.Waiting);
    arenaMode.addPlayer(state, 3, 'bot', true);
    idle(state, 1);
    expect(state.phase).toBe(Phase.Countdown);
  });

  it('reaching scoreLimit ends the match at once and clears projectiles', () => {
    const state = playingDuel({ scoreLimit: 2, respawnSeconds: 0.1 });
    place(state, 1, 400, 500);
    const s = new Scripter();
    const events: number[][] = [];
    for (let i = 0; i < 600 && state.phase === Phase.Playing; i++) {
      // Keep the target in the line of fire, wherever it respawns.
      if (player(state, 2).alive) place(state, 2, 600, 500);
      events.push(...arenaMode.step(state, s.tick({ 1: { buttons: Buttons.Fire, aim: 0 } })));
    }
    expect(state.phase).toBe(Phase.Ended);
    expect(player(state, 1).score).toBe(2);
    expect(eventsOfKind(events, EventKind.Kill)).toHaveLength(2);
    expect(phaseChanges(events)).toEqual([Phase.Ended]);
    expect(state.projectiles).toHaveLength(0);
    expect(state.ticksLeft).toBe(10 * 30);
    // Frozen: nothing moves, nobody fires.
    const y = player(state, 1).y;
    const after = arenaMode.step(state, s.tick({ 1: { buttons: Buttons.Fire | Buttons.Down, aim: 0 } }));
    expect(eventsOfKind(after, EventKind.Fire)).toHaveLength(0);
    expect(player(state, 1).y).toBe(y);
    // The last victim stays dead on the results screen: no respawns in Ended.
    expect(player(state, 2).alive).toBe(false);
    expect(eventsOfKind(idle(state, 100), EventKind.Spawn)).toEqual([]);
    expect(player(state, 2).alive).toBe(false);
  });

  it('countdownSeconds 0 goes straight to Playing', () => {
    const state = makeState({ map: 'open', countdownSeconds: 0 });
    arenaMode.addPlayer(state, 1, 'a', false);
    arenaMode.addPlayer(state, 2, 'b', false);
    expect(phaseChanges(idle(state, 1))).toEqual([Phase.Countdown, Phase.Playing]);
    expect(arenaMode.phase(state)).toEqual({ phase: Phase.Playing, ticksLeft: 180 * 30 });
  });
});

describe('arena settings', () => {
  it('uses defaults for missing, mistyped or out-of-range values', () => {
    expect(resolveSettings()).toEqual(DEFAULT_ARENA_SETTINGS);
    expect(
      resolveSettings({
        map: 'nowhere',
        countdownSeconds: '5',
        matchSeconds: -1,
        scoreLimit: 2.5,
        resultsSeconds: NaN,
        respawnSeconds: Infinity,
        spawnProtectionSeconds: null,
        minPlayers: 99,
        fireCooldownMs: {},
        unknown: 1,
      }),
    ).toEqual(DEFAULT_ARENA_SETTINGS);
    expect(resolveSettings({ map: 'open', scoreLimit: 5, minPlayers: 1, fireCooldownMs: 100 })).toMatchObject({
      map: 'open',
      scoreLimit: 5,
      minPlayers: 1,
      fireCooldownMs: 100,
    });
  });

  it('converts durations to ticks with the tick rate', () => {
    const s = makeState({ countdownSeconds: 2, fireCooldownMs: 250 }, 1, 20);
    expect(s.timings.countdownTicks).toBe(40);
    expect(s.timings.fireCooldownTicks).toBe(5);
    expect(s.timings.matchTicks).toBe(180 * 20);
    expect(s.dt).toBe(1 / 20);
    const t30 = makeState({}, 1, 30).timings;
    expect(t30).toMatchObject({ countdownTicks: 90, respawnTicks: 60, spawnProtectionTicks: 45, fireCooldownTicks: 8, resultsTicks: 300 });
  });
});
