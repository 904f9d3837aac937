import { describe, expect, it } from 'vitest';
import { EventKind, Phase, PlayerFlags, PlayerField } from '../../protocol/index.js';
import { arenaMode } from '../../server/game/arena/arenaMode.js';
import { eventsOfKind, idle, makeState, player } from './arena.helpers.js';

describe('arena bots', () => {
  it('bots move, fire, hit and kill over time in the arena map', () => {
    const state = makeState({ map: 'arena', matchSeconds: 120, scoreLimit: 1000 }, 99);
    for (let id = 1; id <= 4; id++) arenaMode.addPlayer(state, id, `bot${id}`, true);
    const start = new Map(state.players.map((p) => [p.id, { x: p.x, y: p.y }]));
    const events = idle(state, 30 * 60);
    expect(state.phase).toBe(Phase.Playing);
    for (let id = 1; id <= 4; id++) {
      const p = player(state, id);
      const s = start.get(id)!;
      // Moved (a live bot that never moved would still sit on its spawn point).
      expect(p.lastSeq).toBe(30 * 60);
      expect(p.x !== s.x || p.y !== s.y || p.deaths > 0).toBe(true);
      const fires = eventsOfKind(events, EventKind.Fire).filter((e) => e[1] === id);
      expect(fires.length).toBeGreaterThan(0);
    }
    expect(eventsOfKind(events, EventKind.Hit).length).toBeGreaterThan(10);
    expect(eventsOfKind(events, EventKind.Kill).length).toBeGreaterThan(0);
    const snap = arenaMode.snapshot(state);
    for (const row of snap.tables[0].rows.values()) expect(row[PlayerField.Flags] & PlayerFlags.Bot).toBe(PlayerFlags.Bot);
  });

  it('bots do not fire before Playing', () => {
    const state = makeState({ map: 'open', countdownSeconds: 5 }, 3);
    arenaMode.addPlayer(state, 1, 'bot1', true);
    arenaMode.addPlayer(state, 2, 'bot2', true);
    const events = idle(state, 140);
    expect(state.phase).toBe(Phase.Countdown);
    expect(eventsOfKind(events, EventKind.Fire)).toHaveLength(0);
  });

  it('a lone bot wanders instead of standing still', () => {
    const state = makeState({ map: 'arena' }, 5);
    arenaMode.addPlayer(state, 1, 'bot', true);
    const seen = new Set<string>();
    for (let i = 0; i < 300; i++) {
      idle(state, 1);
      const p = player(state, 1);
      seen.add(`${Math.round(p.x / 50)},${Math.round(p.y / 50)}`);
    }
    expect(seen.size).toBeGreaterThan(5);
  });
});
