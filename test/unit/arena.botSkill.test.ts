/**
 * Bot skill levels: reaction time and aim error per level, and the point of them — a new
 * player standing still in a full match of 'normal' bots is not farmed. Everything is
 * seeded, so the figures printed here are exact and repeatable.
 */
import { describe, expect, it } from 'vitest';
import { EventKind } from '../../protocol/index.js';
import { arenaMode } from '../../server/game/arena/arenaMode.js';
import { BOT_SKILLS } from '../../server/game/arena/bots.js';
import { resolveSettings, type BotSkill } from '../../server/game/arena/state.js';
import { eventsOfKind, idle, makeState, place, player } from './arena.helpers.js';

const LEVELS: BotSkill[] = ['easy', 'normal', 'hard'];

/** Deaths of an idle human among 7 bots over 15 s, per seed. */
function idleHumanDeaths(botSkill: BotSkill, seeds: number): number[] {
  const out: number[] = [];
  for (let seed = 1; seed <= seeds; seed++) {
    const s = makeState({ map: 'arena', botSkill, countdownSeconds: 0 }, seed);
    arenaMode.addPlayer(s, 1, 'new player', false);
    for (let id = 2; id <= 8; id++) arenaMode.addPlayer(s, id, `bot${id}`, true);
    idle(s, 15 * 30);
    out.push(player(s, 1).deaths);
  }
  return out;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('bot skill', () => {
  it('an idle new player among 7 normal bots dies at most about once in 15 s (and less than with hard bots)', () => {
    const means = Object.fromEntries(LEVELS.map((l) => [l, mean(idleHumanDeaths(l, 40))])) as Record<BotSkill, number>;
    console.log(`idle human deaths per 15 s among 7 bots (40 seeds): ${LEVELS.map((l) => `${l} ${means[l].toFixed(2)}`).join(', ')}`);
    expect(means.normal).toBeLessThanOrEqual(1);
    expect(means.easy).toBeLessThanOrEqual(means.normal);
    expect(means.normal).toBeLessThan(means.hard);
  });

  it('a bot waits its reaction time after first seeing an enemy before it fires', () => {
    const firstFire: Record<string, number> = {};
    for (const level of LEVELS) {
      const s = makeState({ map: 'open', botSkill: level, countdownSeconds: 0, spawnProtectionSeconds: 0 }, 7);
      arenaMode.addPlayer(s, 1, 'target', false);
      arenaMode.addPlayer(s, 2, 'bot', true);
      idle(s, 1); // Playing
      place(s, 1, 400, 400);
      place(s, 2, 600, 400);
      player(s, 2).brain!.targetId = 0;
      let tick = 0;
      for (; tick < 300; tick++) {
        const fired = eventsOfKind(idle(s, 1), EventKind.Fire).some((e) => e[1] === 2);
        if (fired) break;
      }
      const reactionTicks = Math.round(BOT_SKILLS[level].reactionSeconds * 30);
      expect(tick).toBeGreaterThanOrEqual(reactionTicks);
      firstFire[level] = tick;
    }
    console.log(`ticks to first shot at a target in plain sight: ${JSON.stringify(firstFire)}`);
    expect(firstFire.hard).toBeLessThan(firstFire.easy);
  });

  it('aim error: easy bots land a smaller share of their shots than hard bots', () => {
    const share: Record<string, number> = {};
    for (const level of LEVELS) {
      let fires = 0;
      let hits = 0;
      for (let seed = 1; seed <= 10; seed++) {
        const s = makeState({ map: 'open', botSkill: level, countdownSeconds: 0, spawnProtectionSeconds: 0, respawnSeconds: 0 }, seed);
        arenaMode.addPlayer(s, 1, 'target', false);
        arenaMode.addPlayer(s, 2, 'bot', true);
        const events = idle(s, 30 * 20);
        fires += eventsOfKind(events, EventKind.Fire).filter((e) => e[1] === 2).length;
        hits += eventsOfKind(events, EventKind.Hit).filter((e) => e[1] === 2).length;
      }
      share[level] = hits / Math.max(1, fires);
    }
    console.log(`share of bot shots that hit an idle target: ${LEVELS.map((l) => `${l} ${share[l].toFixed(2)}`).join(', ')}`);
    expect(share.easy).toBeLessThan(share.hard);
  });

  it('an unknown level falls back to normal', () => {
    expect(resolveSettings({ botSkill: 'godlike' }).botSkill).toBe('normal');
    expect(resolveSettings({ botSkill: 'easy' }).botSkill).toBe('easy');
  });
});
