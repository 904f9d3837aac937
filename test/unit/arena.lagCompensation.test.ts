/**
 * Lag compensation, in a headless netcode harness: the real arena simulation, a shooter
 * whose network is modelled at 150 ± 30 ms RTT (seeded) and whose view of the others trails
 * by RTT + the client's interpolation delay, and a target strafing at full speed. The
 * shooter aims where the target is on its own screen (leading it along the motion it sees,
 * as a player does): with compensation every shot hits; without it every shot misses; a
 * shot claiming a view older than the cap is rewound only to the cap.
 */
import { describe, expect, it } from 'vitest';
import { Buttons, EventKind, PLAYER_RADIUS, PROJECTILE_SPEED, Phase, quantizeAngle, snapPosition, type GameEvent } from '../../protocol/index.js';
import { arenaMode } from '../../server/game/arena/arenaMode.js';
import { historyLength, positionAt } from '../../server/game/arena/lagCompensation.js';
import { findPlayer, type ArenaState } from '../../server/game/arena/state.js';
import type { PlayerInput } from '../../server/rooms/gameMode.js';
import { prng } from '../support/prng.js';

const TICK_RATE = 30;
const TICK_MS = 1000 / TICK_RATE;
/** The client's default interpolation delay: 2 snapshot intervals at 15 Hz + measured jitter. */
const INTERP_MS = 2 * (1000 / 15) + 17;
const SHOOTER = 1;
const TARGET = 2;

interface Shot {
  hit: boolean;
  rewindTicks: number;
}

/**
 * One shot: the target strafes down; at server tick `fireAt` the shooter's firing input
 * arrives, made while its screen showed tick `fireAt − viewLagTicks`; it aims at where, on
 * that screen, the projectile will meet the target (`aimLagTicks` says which screen the
 * aim was computed on, normally the same).
 */
function shoot(lagCompensationMs: number, viewLagTicks: number, aimLagTicks = viewLagTicks): Shot {
  const state: ArenaState = arenaMode.create({
    seed: 5,
    tickRate: TICK_RATE,
    settings: { map: 'open', countdownSeconds: 0, spawnProtectionSeconds: 0, minPlayers: 2, lagCompensationMs },
  });
  arenaMode.addPlayer(state, SHOOTER, 'shooter', false);
  arenaMode.addPlayer(state, TARGET, 'target', false);
  const s = findPlayer(state, SHOOTER)!;
  const t = findPlayer(state, TARGET)!;
  s.x = snapPosition(500);
  s.y = snapPosition(500);
  t.x = snapPosition(680);
  t.y = snapPosition(200);
  const targetAt = new Map<number, { x: number; y: number }>();
  const fireAt = 45;
  const events: GameEvent[] = [];
  let projectileRewind = -1;
  for (let tick = 1; tick <= fireAt + 40; tick++) {
    const inputs = new Map<number, PlayerInput[]>();
    inputs.set(TARGET, [{ seq: tick, buttons: Buttons.Down, aim: 0 }]);
    if (tick === fireAt) {
      expect(state.phase).toBe(Phase.Playing);
      // The shooter's screen: the target's server positions `aimLagTicks` ago, moving at
      // the velocity seen there; solve for where a projectile from the muzzle meets it.
      const seen = targetAt.get(tick - aimLagTicks)!;
      const before = targetAt.get(tick - aimLagTicks - 1)!;
      const vx = seen.x - before.x;
      const vy = seen.y - before.y;
      let flight = 0;
      let aimX = seen.x;
      let aimY = seen.y;
      for (let i = 0; i < 8; i++) {
        aimX = seen.x + vx * flight;
        aimY = seen.y + vy * flight;
        const dist = Math.hypot(aimX - s.x, aimY - s.y) - PLAYER_RADIUS;
        flight = dist / (PROJECTILE_SPEED / TICK_RATE);
      }
      const angle = Math.atan2(aimY - s.y, aimX - s.x);
      inputs.set(SHOOTER, [{ seq: 1, buttons: Buttons.Fire, aim: quantizeAngle(angle), viewTick: tick - viewLagTicks }]);
    }
    events.push(...arenaMode.step(state, inputs));
    if (tick === fireAt) projectileRewind = state.projectiles[0]?.rewindTicks ?? -1;
    // The target's end-of-tick position: what the snapshot of this tick shows.
    expect(state.tick).toBe(tick);
    targetAt.set(tick, { x: t.x, y: t.y });
  }
  const hit = events.some((e) => e[0] === EventKind.Hit && e[1] === SHOOTER && e[2] === TARGET);
  return { hit, rewindTicks: projectileRewind };
}

describe('lag compensation (headless harness, 150 ± 30 ms RTT)', () => {
  it('a shot aimed at the interpolated position of a strafing target hits with compensation and misses without', () => {
    const rnd = prng(150);
    let hits = 0;
    let missesUncompensated = 0;
    const shots = 24;
    for (let i = 0; i < shots; i++) {
      const rttMs = 150 + (rnd() * 2 - 1) * 30;
      const viewLagTicks = Math.round((rttMs + INTERP_MS) / TICK_MS);
      if (shoot(350, viewLagTicks).hit) hits++;
      if (!shoot(0, viewLagTicks).hit) missesUncompensated++;
    }
    expect(hits).toBe(shots);
    expect(missesUncompensated).toBe(shots);
  });

  it('does not rewind beyond the cap: a shot claiming a 600 ms old view is judged 200 ms back', () => {
    const capTicks = 6; // 200 ms at 30 Hz
    const old = shoot(200, 18);
    expect(old.rewindTicks).toBe(capTicks);
    expect(old.hit).toBe(false);
    // The same claim, aimed at what the target did 200 ms ago, is what the server judges.
    const atCap = shoot(200, 18, capTicks);
    expect(atCap.rewindTicks).toBe(capTicks);
    expect(atCap.hit).toBe(true);
  });

  it('keeps at least 1 s of history and ignores a viewTick from the future', () => {
    const state: ArenaState = arenaMode.create({ seed: 1, tickRate: TICK_RATE, settings: { map: 'open', countdownSeconds: 0, minPlayers: 1 } });
    arenaMode.addPlayer(state, 1, 'a', false);
    for (let i = 0; i < 100; i++) arenaMode.step(state, new Map([[1, [{ seq: i + 1, buttons: Buttons.Right, aim: 0 }]]]));
    expect(state.history.size).toBe(historyLength(TICK_RATE, state.timings.rewindCapTicks));
    expect(state.history.size).toBeGreaterThanOrEqual(TICK_RATE + 1);
    const at = { x: -1, y: -1 };
    expect(positionAt(state, 1, state.tick - TICK_RATE, at)).toBe(true);
    expect(at.x).toBeGreaterThan(0);
    expect(positionAt(state, 1, state.tick - 200, { x: 0, y: 0 })).toBe(false);
    arenaMode.step(state, new Map([[1, [{ seq: 1000, buttons: Buttons.Fire, aim: 0, viewTick: state.tick + 50 }]]]));
    expect(state.phase).toBe(Phase.Playing);
    expect(state.projectiles.at(-1)!.rewindTicks).toBe(0);
  });

  it('remembers every player at every tick of its span, across the ring wrapping, leaves, joins and more than 8 players', () => {
    const state: ArenaState = arenaMode.create({ seed: 3, tickRate: TICK_RATE, settings: { map: 'open', countdownSeconds: 0, minPlayers: 1 } });
    for (let id = 1; id <= 6; id++) arenaMode.addPlayer(state, id, `p${id}`, true);
    const seen = new Map<number, Map<number, { x: number; y: number }>>();
    for (let t = 1; t <= 200; t++) {
      if (t === 50) arenaMode.removePlayer(state, 2);
      if (t === 60) for (let id = 7; id <= 12; id++) arenaMode.addPlayer(state, id, `p${id}`, true);
      if (t === 70) arenaMode.removePlayer(state, 9);
      arenaMode.step(state, new Map());
      seen.set(state.tick, new Map(state.players.map((p) => [p.id, { x: p.x, y: p.y }])));
      const oldest = state.tick - state.history.size + 1;
      for (let tick = Math.max(1, oldest - 2); tick <= state.tick; tick++) {
        for (let id = 1; id <= 12; id++) {
          const at = { x: NaN, y: NaN };
          const want = tick >= oldest ? seen.get(tick)?.get(id) : undefined;
          expect(positionAt(state, id, tick, at), `tick ${tick} id ${id}`).toBe(want !== undefined);
          if (want) expect(at).toEqual(want);
        }
      }
    }
  });
});
