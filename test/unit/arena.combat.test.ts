import { describe, expect, it } from 'vitest';
import { ARENA_MAX_HP, Buttons, EventKind, PLAYER_RADIUS, Phase, PlayerFlags, PlayerField } from '../../protocol/index.js';
import { arenaMode } from '../../server/game/arena/arenaMode.js';
import { projectileFlight } from '../../server/game/arena/projectiles.js';
import { PROJECTILE_DAMAGE } from '../../server/game/arena/state.js';
import { Scripter, eventsOfKind, idle, makeState, place, player, playingDuel } from './arena.helpers.js';

const FIRE_RIGHT = { buttons: Buttons.Fire, aim: 0 };

describe('arena firing', () => {
  it('obeys the cooldown: holding fire shoots once per 250 ms (8 ticks at 30 Hz)', () => {
    const state = playingDuel();
    place(state, 1, 100, 100);
    place(state, 2, 100, 900); // out of the line of fire
    const s = new Scripter();
    const fireTicks: number[] = [];
    for (let i = 0; i < 40; i++) {
      const ev = arenaMode.step(state, s.tick({ 1: FIRE_RIGHT }));
      if (eventsOfKind(ev, EventKind.Fire).length) fireTicks.push(i);
    }
    expect(fireTicks).toEqual([0, 8, 16, 24, 32]);
  });

  it('several inputs in one tick do not beat the cooldown', () => {
    const state = playingDuel();
    place(state, 1, 100, 100);
    place(state, 2, 100, 900);
    const burst = new Map([[1, [1, 2, 3, 4].map((seq) => ({ seq, buttons: Buttons.Fire, aim: 0 }))]]);
    const ev = arenaMode.step(state, burst);
    expect(eventsOfKind(ev, EventKind.Fire)).toHaveLength(1);
  });

  it('spawns the projectile at the edge of the shooter along the aim', () => {
    const state = playingDuel({ fireCooldownMs: 250 });
    place(state, 1, 800, 500);
    place(state, 2, 100, 900);
    const s = new Scripter();
    const ev = arenaMode.step(state, s.tick({ 1: { buttons: Buttons.Fire, aim: Math.PI / 2 } }));
    const [fire] = eventsOfKind(ev, EventKind.Fire);
    expect(fire).toEqual([EventKind.Fire, 1, state.projectiles[0].id]);
    const pr = state.projectiles[0];
    // Fired from (800, 516) downwards and moved one tick (600 u/s / 30 = 20 u).
    expect(projectileFlight(state, pr).x).toBe(800);
    expect(projectileFlight(state, pr).y).toBe(500 + PLAYER_RADIUS + 20);
    expect(pr.owner).toBe(1);
  });

  it('does not fire in Waiting, Countdown or Ended', () => {
    const state = makeState({ map: 'open', countdownSeconds: 1 });
    arenaMode.addPlayer(state, 1, 'a', false);
    const s = new Scripter();
    let fires = 0;
    for (let i = 0; i < 5; i++) fires += eventsOfKind(arenaMode.step(state, s.tick({ 1: FIRE_RIGHT })), EventKind.Fire).length;
    expect(state.phase).toBe(Phase.Waiting);
    arenaMode.addPlayer(state, 2, 'b', false);
    arenaMode.step(state, s.tick({ 1: FIRE_RIGHT }));
    expect(state.phase).toBe(Phase.Countdown);
    for (let i = 0; i < 20; i++) fires += eventsOfKind(arenaMode.step(state, s.tick({ 1: FIRE_RIGHT })), EventKind.Fire).length;
    expect(state.phase).toBe(Phase.Countdown);
    expect(fires).toBe(0);
    let playingFires = 0;
    for (let i = 0; i < 20; i++) playingFires += eventsOfKind(arenaMode.step(state, s.tick({ 1: FIRE_RIGHT })), EventKind.Fire).length;
    expect(state.phase).toBe(Phase.Playing);
    expect(playingFires).toBeGreaterThan(0);
    state.phase = Phase.Ended;
    state.ticksLeft = 50;
    for (let i = 0; i < 20; i++) fires += eventsOfKind(arenaMode.step(state, s.tick({ 1: FIRE_RIGHT })), EventKind.Fire).length;
    expect(fires).toBe(0);
  });

  it('walls stop projectiles', () => {
    const state = playingDuel({ map: 'arena' });
    // Shooter left of the pillar (x 320..360), target right of it, same row.
    place(state, 1, 200, 300);
    place(state, 2, 500, 300);
    const s = new Scripter();
    const events = [];
    for (let i = 0; i < 60; i++) events.push(...arenaMode.step(state, s.tick({ 1: FIRE_RIGHT })));
    expect(eventsOfKind(events, EventKind.Fire).length).toBeGreaterThan(3);
    expect(eventsOfKind(events, EventKind.Hit)).toHaveLength(0);
    expect(player(state, 2).hp).toBe(ARENA_MAX_HP);
    for (const pr of state.projectiles) expect(projectileFlight(state, pr).x).toBeLessThan(320);
  });

  it('projectiles expire after about one second (600 units)', () => {
    const state = playingDuel();
    place(state, 1, 100, 500);
    place(state, 2, 100, 900);
    const s = new Scripter();
    arenaMode.step(state, s.tick({ 1: FIRE_RIGHT }));
    let maxX = 0;
    let ticks = 1;
    while (state.projectiles.length > 0 && ticks < 100) {
      maxX = Math.max(maxX, projectileFlight(state, state.projectiles[0]).x);
      idle(state, 1);
      ticks++;
    }
    expect(ticks).toBe(30);
    expect(maxX).toBeGreaterThan(600);
    expect(maxX).toBeLessThan(100 + PLAYER_RADIUS + 600);
  });

  it('a scripted shooter kills a stationary target in 4 hits: +1 score, Kill event', () => {
    const state = playingDuel();
    place(state, 1, 400, 500);
    place(state, 2, 600, 500);
    const s = new Scripter();
    const events = [];
    for (let i = 0; i < 120 && player(state, 2).alive; i++) events.push(...arenaMode.step(state, s.tick({ 1: FIRE_RIGHT })));
    const hits = eventsOfKind(events, EventKind.Hit);
    expect(hits).toEqual(Array.from({ length: 4 }, () => [EventKind.Hit, 1, 2, PROJECTILE_DAMAGE]));
    expect(eventsOfKind(events, EventKind.Kill)).toEqual([[EventKind.Kill, 1, 2]]);
    const shooter = player(state, 1);
    const target = player(state, 2);
    expect(shooter.score).toBe(1);
    expect(target.deaths).toBe(1);
    expect(target.alive).toBe(false);
    expect(target.hp).toBe(0);
    const row = arenaMode.snapshot(state).tables[0].rows.get(2)!;
    expect(row[PlayerField.Flags] & PlayerFlags.Alive).toBe(0);
    expect(arenaMode.snapshot(state).tables[0].rows.get(1)![PlayerField.Score]).toBe(1);
    expect(arenaMode.scores(state)[0]).toEqual({ id: 1, score: 1, deaths: 0 });
  });

  it('respawns after the delay, spawn-protected, and protected players are not hit', () => {
    const state = playingDuel({ respawnSeconds: 2, spawnProtectionSeconds: 1.5 });
    place(state, 1, 400, 500);
    place(state, 2, 600, 500);
    player(state, 2).hp = PROJECTILE_DAMAGE; // one hit kills
    player(state, 2).protectTicks = 0; // join protection is not what this test is about
    const s = new Scripter();
    let killTick = -1;
    for (let i = 0; i < 30 && killTick < 0; i++) {
      if (eventsOfKind(arenaMode.step(state, s.tick({ 1: FIRE_RIGHT })), EventKind.Kill).length) killTick = state.tick;
    }
    expect(killTick).toBeGreaterThan(0);

    // Dead for exactly 2 s (60 ticks), then a Spawn event.
    let spawnTick = -1;
    for (let i = 0; i < 90 && spawnTick < 0; i++) {
      expect(player(state, 2).alive).toBe(false);
      if (eventsOfKind(idle(state, 1), EventKind.Spawn).some((e) => e[1] === 2)) spawnTick = state.tick;
    }
    expect(spawnTick - killTick).toBe(60);
    const target = player(state, 2);
    expect(target.alive).toBe(true);
    expect(target.hp).toBe(ARENA_MAX_HP);
    expect(arenaMode.snapshot(state).tables[0].rows.get(2)![PlayerField.Flags] & PlayerFlags.SpawnProtected).toBe(
      PlayerFlags.SpawnProtected,
    );
    // Spawned far from the shooter (the farther half of the spawn points).
    const d = Math.hypot(target.x - 400, target.y - 500);
    expect(d).toBeGreaterThanOrEqual(500);

    // While protected, shots pass through.
    place(state, 2, 600, 500);
    const during = [];
    for (let i = 0; i < 30; i++) during.push(...arenaMode.step(state, s.tick({ 1: FIRE_RIGHT })));
    expect(eventsOfKind(during, EventKind.Hit)).toHaveLength(0);
    // Protection lasts 1.5 s = 45 ticks from the spawn tick, then hits land again.
    const after = [];
    for (let i = 0; i < 45; i++) after.push(...arenaMode.step(state, s.tick({ 1: FIRE_RIGHT })));
    expect(player(state, 2).protectTicks).toBe(0);
    expect(eventsOfKind(after, EventKind.Hit).length).toBeGreaterThan(0);
  });

  it('firing ends your own spawn protection', () => {
    const state = playingDuel({ spawnProtectionSeconds: 5 });
    player(state, 1).protectTicks = 100;
    const s = new Scripter();
    arenaMode.step(state, s.tick({ 1: FIRE_RIGHT }));
    expect(player(state, 1).protectTicks).toBe(0);
  });

  it('a leaver\'s projectiles vanish with them', () => {
    const state = playingDuel();
    place(state, 1, 400, 500);
    place(state, 2, 600, 500);
    const s = new Scripter();
    arenaMode.step(state, s.tick({ 1: FIRE_RIGHT }));
    expect(state.projectiles).toHaveLength(1);
    arenaMode.removePlayer(state, 1);
    expect(state.projectiles).toHaveLength(0);
  });
});
