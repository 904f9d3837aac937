import { describe, expect, it } from 'vitest';
import { Buttons, PLAYER_RADIUS, PLAYER_SPEED, Phase, snapPosition } from '../../protocol/index.js';
import { arenaMode } from '../../server/game/arena/arenaMode.js';
import { DT, NONE, Scripter, makeState, place, player, playingDuel } from './arena.helpers.js';

describe('arena movement', () => {
  it('W held for N inputs moves up by exactly N * speed * dt, snapped each step (open map)', () => {
    const state = makeState({ map: 'open' });
    arenaMode.addPlayer(state, 1, 'a', false);
    place(state, 1, 800, 900);
    const s = new Scripter();
    const N = 50;
    for (let i = 0; i < N; i++) arenaMode.step(state, s.tick({ 1: { buttons: Buttons.Up } }));
    const perStep = snapPosition(PLAYER_SPEED * DT); // 7.3125 at 30 Hz
    expect(perStep).toBe(7.3125);
    expect(player(state, 1).y).toBe(900 - N * perStep);
    expect(Math.abs(player(state, 1).y - (900 - N * PLAYER_SPEED * DT))).toBeLessThanOrEqual(N / 32);
    expect(player(state, 1).x).toBe(800);
    expect(player(state, 1).lastSeq).toBe(N);
  });

  it('applies every input of a tick (one movePlayer call each) and none without inputs', () => {
    const state = makeState({ map: 'open' });
    arenaMode.addPlayer(state, 1, 'a', false);
    place(state, 1, 800, 500);
    const three = new Map([[1, [1, 2, 3].map((seq) => ({ seq, buttons: Buttons.Right, aim: 0 }))]]);
    arenaMode.step(state, three);
    expect(player(state, 1).x).toBe(800 + 3 * 7.3125);
    expect(player(state, 1).lastSeq).toBe(3);
    for (let i = 0; i < 10; i++) arenaMode.step(state, NONE);
    expect(player(state, 1).x).toBe(800 + 3 * 7.3125);
  });

  it('walls block movement in the arena map', () => {
    const state = makeState({ map: 'arena' });
    arenaMode.addPlayer(state, 1, 'a', false);
    // Left of the pillar at x 320..360, y 180..400.
    place(state, 1, 200, 300);
    const s = new Scripter();
    for (let i = 0; i < 120; i++) {
      arenaMode.step(state, s.tick({ 1: { buttons: Buttons.Right } }));
      expect(player(state, 1).x).toBeLessThanOrEqual(320 - PLAYER_RADIUS);
    }
    expect(player(state, 1).x).toBe(320 - PLAYER_RADIUS);
    expect(player(state, 1).y).toBe(300);
  });

  it('a player never ends up inside a wall while wandering the arena', () => {
    const state = makeState({ map: 'arena' });
    arenaMode.addPlayer(state, 1, 'a', false);
    const s = new Scripter();
    const dirs = [Buttons.Right, Buttons.Down | Buttons.Right, Buttons.Up, Buttons.Left | Buttons.Down, Buttons.Left];
    for (let i = 0; i < 1500; i++) {
      arenaMode.step(state, s.tick({ 1: { buttons: dirs[Math.floor(i / 60) % dirs.length] } }));
      const p = player(state, 1);
      for (const w of state.map.walls) {
        const nx = Math.max(w.x, Math.min(p.x, w.x + w.w));
        const ny = Math.max(w.y, Math.min(p.y, w.y + w.h));
        expect((p.x - nx) ** 2 + (p.y - ny) ** 2).toBeGreaterThanOrEqual(PLAYER_RADIUS ** 2 - 1e-9);
      }
    }
  });

  it('positions stay on the fixed-point grid', () => {
    const state = makeState({ map: 'open' });
    arenaMode.addPlayer(state, 1, 'a', false);
    const s = new Scripter();
    for (let i = 0; i < 40; i++) arenaMode.step(state, s.tick({ 1: { buttons: Buttons.Up | Buttons.Left } }));
    const p = player(state, 1);
    expect(Number.isInteger(p.x * 16)).toBe(true);
    expect(Number.isInteger(p.y * 16)).toBe(true);
  });

  it('dead players and the Ended phase do not move, but aim and lastSeq still update', () => {
    const state = playingDuel();
    place(state, 1, 400, 400);
    player(state, 1).alive = false;
    player(state, 1).respawnTicks = 1000;
    const s = new Scripter();
    arenaMode.step(state, s.tick({ 1: { buttons: Buttons.Right, aim: Math.PI } }));
    expect(player(state, 1).x).toBe(400);
    expect(player(state, 1).lastSeq).toBe(1);
    expect(player(state, 1).aim).toBe(32768);

    state.phase = Phase.Ended;
    state.ticksLeft = 100;
    place(state, 2, 600, 600);
    arenaMode.step(state, new Map([[2, [{ seq: 9, buttons: Buttons.Down, aim: 5 }]]]));
    expect(player(state, 2).y).toBe(600);
    expect(player(state, 2).lastSeq).toBe(9);
  });
});
