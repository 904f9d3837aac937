import { describe, expect, it } from 'vitest';
import {
  ARENA_MAX_HP,
  ARENA_SCHEMA,
  Buttons,
  EventKind,
  PLAYER_RADIUS,
  Phase,
  PlayerField,
  viewAim,
  viewAimRadians,
  PlayerFlags,
  ProjectileField,
  applySnapshotDelta,
  circleOverlapsRect,
  diffSnapshot,
  quantizePosition,
} from '../../protocol/index.js';
import { arenaMode } from '../../server/game/arena/arenaMode.js';
import { projectileFlight } from '../../server/game/arena/projectiles.js';
import { MAP_NAMES, getMap } from '../../server/game/arena/maps.js';
import { Scripter, idle, makeState, place, player, playingDuel } from './arena.helpers.js';

describe('arena maps', () => {
  it('has arena (with walls) and open (no walls), both 1600x1000', () => {
    expect(MAP_NAMES).toEqual(['arena', 'open']);
    expect(getMap('arena')!.geometry.walls.length).toBeGreaterThanOrEqual(4);
    expect(getMap('open')!.geometry.walls).toEqual([]);
    expect(getMap('nope')).toBeUndefined();
    for (const name of MAP_NAMES) {
      const m = getMap(name)!;
      expect([m.geometry.width, m.geometry.height]).toEqual([1600, 1000]);
      expect(m.spawns.length).toBeGreaterThanOrEqual(8);
    }
  });

  it('spawn points are inside the map and clear of walls by two radii', () => {
    for (const name of MAP_NAMES) {
      const { geometry, spawns } = getMap(name)!;
      for (const s of spawns) {
        expect(s.x).toBeGreaterThanOrEqual(2 * PLAYER_RADIUS);
        expect(s.y).toBeGreaterThanOrEqual(2 * PLAYER_RADIUS);
        expect(s.x).toBeLessThanOrEqual(geometry.width - 2 * PLAYER_RADIUS);
        expect(s.y).toBeLessThanOrEqual(geometry.height - 2 * PLAYER_RADIUS);
        for (const w of geometry.walls) expect(circleOverlapsRect(s.x, s.y, 2 * PLAYER_RADIUS, w)).toBe(false);
      }
    }
  });
});

describe('arenaMode', () => {
  it('describes itself and its match config', () => {
    expect(arenaMode.name).toBe('arena');
    expect(arenaMode.schema).toBe(ARENA_SCHEMA);
    expect(arenaMode.maxPlayers).toBe(8);
    const state = makeState({ map: 'arena' }, 1, 30);
    const cfg = arenaMode.matchConfig(state);
    expect(cfg).toEqual({ mode: 'arena', tickRate: 30, snapshotRate: 15, maxPlayers: 8, map: getMap('arena')!.geometry, respawnSeconds: 2 });
    cfg.map.walls[0].x = -1;
    expect(getMap('arena')!.geometry.walls[0].x).not.toBe(-1);
    expect(arenaMode.matchConfig(makeState({}, 1, 25)).snapshotRate).toBe(13);
  });

  it('addPlayer spawns alive, protected, with a Spawn event on the next step', () => {
    const state = makeState({ map: 'arena' });
    arenaMode.addPlayer(state, 5, 'bob', false);
    arenaMode.addPlayer(state, 2, 'bot', true);
    arenaMode.addPlayer(state, 5, 'again', false); // duplicate ignored
    expect(state.players.map((p) => p.id)).toEqual([2, 5]);
    const p = player(state, 5);
    expect(p.alive).toBe(true);
    expect(p.hp).toBe(ARENA_MAX_HP);
    expect(p.protectTicks).toBeGreaterThan(0);
    expect(state.spawns).toContainEqual({ x: p.x, y: p.y });
    const ev = idle(state, 1);
    expect(ev).toContainEqual([EventKind.Spawn, 5]);
    expect(ev).toContainEqual([EventKind.Spawn, 2]);
    expect(idle(state, 1).filter((e) => e[0] === EventKind.Spawn)).toEqual([]);
  });

  it('snapshot rows follow PlayerField / ProjectileField and flags', () => {
    const state = playingDuel();
    arenaMode.addPlayer(state, 3, 'bot', true);
    arenaMode.setConnected(state, 2, false);
    place(state, 1, 400.5, 500);
    const s = new Scripter();
    arenaMode.step(state, s.tick({ 1: { buttons: Buttons.Fire, aim: 0 } }));
    const snap = arenaMode.snapshot(state);
    expect(snap.tick).toBe(state.tick);
    expect(snap.header).toEqual([Phase.Playing, state.ticksLeft]);
    const p1 = snap.tables[0].rows.get(1)!;
    const p = player(state, 1);
    expect(p1).toHaveLength(7);
    expect(p1[PlayerField.X]).toBe(quantizePosition(p.x));
    expect(p1[PlayerField.Y]).toBe(quantizePosition(500));
    expect(p1[PlayerField.Aim]).toBe(0);
    // Snapshot aim is the view direction, 256 steps per turn, rounded, wrapping at a turn.
    expect([0, 127, 128, 40000, 65407, 65408, 65535].map(viewAim)).toEqual([0, 0, 1, 156, 255, 0, 0]);
    expect(viewAimRadians(64)).toBeCloseTo(Math.PI / 2, 12);
    expect(p1[PlayerField.Hp]).toBe(ARENA_MAX_HP);
    expect(p1[PlayerField.Flags]).toBe(PlayerFlags.Alive | PlayerFlags.Connected);
    expect(snap.tables[0].rows.get(2)![PlayerField.Flags]).toBe(PlayerFlags.Alive);
    expect(snap.tables[0].rows.get(3)![PlayerField.Flags]).toBe(
      PlayerFlags.Alive | PlayerFlags.Bot | PlayerFlags.Connected, // the duel has no spawn protection
    );
    player(state, 3).protectTicks = 10;
    expect(arenaMode.snapshot(state).tables[0].rows.get(3)![PlayerField.Flags]).toBe(
      PlayerFlags.Alive | PlayerFlags.SpawnProtected | PlayerFlags.Bot | PlayerFlags.Connected,
    );
    const [[prId, pr]] = [...snap.tables[1].rows];
    expect(prId).toBe(state.projectiles[0].id);
    expect(pr).toHaveLength(5);
    expect(pr[ProjectileField.Owner]).toBe(1);
    expect(pr[ProjectileField.Angle]).toBe(0);
    // Spawn data, not the current position: fired from the shooter's right edge this tick.
    expect(pr[ProjectileField.X]).toBe(quantizePosition(p.x + PLAYER_RADIUS));
    expect(pr[ProjectileField.Y]).toBe(quantizePosition(500));
    expect(pr[ProjectileField.SpawnTick]).toBe(state.tick);
    expect(projectileFlight(state, state.projectiles[0]).x).toBeGreaterThan(p.x + PLAYER_RADIUS);
    // The row stays the same while it flies.
    arenaMode.step(state, s.tick({ 1: { buttons: 0, aim: 0 } }));
    expect(arenaMode.snapshot(state).tables[1].rows.get(prId)).toEqual(pr);
    for (const row of [...snap.tables[0].rows.values(), ...snap.tables[1].rows.values()]) {
      for (const v of row) expect(Number.isInteger(v)).toBe(true);
    }
  });

  it('snapshots are fresh each call and round-trip through the delta codec', () => {
    const state = makeState({ map: 'arena', countdownSeconds: 0 }, 4);
    for (let id = 1; id <= 4; id++) arenaMode.addPlayer(state, id, `b${id}`, true);
    idle(state, 200);
    const a = arenaMode.snapshot(state);
    const frozen = structuredClone(a);
    idle(state, 5);
    const b = arenaMode.snapshot(state);
    expect(a).toEqual(frozen); // stepping did not touch the old snapshot
    expect(b.tables[0]).not.toBe(a.tables[0]);
    expect(b.header).not.toBe(a.header);
    expect(b.tables[0].rows.get(1)).not.toBe(a.tables[0].rows.get(1));
    const rebuilt = applySnapshotDelta(a, diffSnapshot(a, b, ARENA_SCHEMA), ARENA_SCHEMA);
    expect(rebuilt).toEqual({ ok: true, value: b });
  });

  it('scores are ranked by score, then deaths, then id', () => {
    const state = makeState();
    for (const id of [1, 2, 3]) arenaMode.addPlayer(state, id, `p${id}`, false);
    Object.assign(player(state, 1), { score: 2, deaths: 3 });
    Object.assign(player(state, 2), { score: 5, deaths: 1 });
    Object.assign(player(state, 3), { score: 2, deaths: 1 });
    expect(arenaMode.scores(state)).toEqual([
      { id: 2, score: 5, deaths: 1 },
      { id: 3, score: 2, deaths: 1 },
      { id: 1, score: 2, deaths: 3 },
    ]);
  });

  it('projectile ids increment and wrap within uint32, skipping 0', () => {
    const state = playingDuel({ fireCooldownMs: 0 });
    place(state, 1, 100, 100);
    place(state, 2, 100, 900);
    state.nextProjectileId = 0xffffffff;
    const s = new Scripter();
    for (let i = 0; i < 2; i++) arenaMode.step(state, s.tick({ 1: { buttons: Buttons.Fire, aim: 0 } }));
    expect(state.projectiles.map((p) => p.id)).toEqual([0xffffffff, 1]);
    expect(state.nextProjectileId).toBe(2);
  });
});
