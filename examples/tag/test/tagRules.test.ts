import { describe, expect, it } from 'vitest';
import { Phase, PLAYER_RADIUS } from 'tickwire/protocol';
import { TagEvent, TagInput, TagWire } from '../shared/tagWire.js';
import { step, type TagInputFrame } from '../server/tagRules.js';
import { createTagState, type TagPlayer, type TagState } from '../server/tagState.js';
import { tagMode } from '../server/tagMode.js';

const TICK_RATE = 30;

function match(seed = 7, settings: Record<string, unknown> = { countdownSeconds: 0, freezeSeconds: 1 }): TagState {
  const s = tagMode.create({ seed, tickRate: TICK_RATE, settings });
  tagMode.addPlayer(s, 1, 'ann', false);
  tagMode.addPlayer(s, 2, 'bob', false);
  return s;
}

function player(s: TagState, id: number): TagPlayer {
  return s.players.find((p) => p.id === id)!;
}

const none = new Map<number, TagInputFrame[]>();

/** Steps until play starts (countdown 0: the tick after enough players joined). */
function startPlay(s: TagState): void {
  for (let i = 0; i < 5 && s.phase !== Phase.Playing; i++) step(s, none);
  expect(s.phase).toBe(Phase.Playing);
}

describe('tag rules', () => {
  it('waits for two players, then counts down and makes someone "it"', () => {
    const s = tagMode.create({ seed: 1, tickRate: TICK_RATE, settings: { countdownSeconds: 1 } });
    tagMode.addPlayer(s, 1, 'ann', false);
    step(s, none);
    expect(s.phase).toBe(Phase.Waiting);
    tagMode.addPlayer(s, 2, 'bob', false);
    const events = step(s, none);
    expect(events).toContainEqual([TagEvent.PhaseChange, Phase.Countdown]);
    for (let i = 0; i < TICK_RATE; i++) step(s, none);
    expect(s.phase).toBe(Phase.Playing);
    expect([1, 2]).toContain(s.it);
  });

  it('passes "it" on touch and freezes the tagged player', () => {
    const s = match();
    startPlay(s);
    const it = player(s, s.it);
    const other = s.players.find((p) => p !== it)!;
    it.x = 300;
    it.y = 400;
    other.x = 300 + PLAYER_RADIUS; // overlapping
    other.y = 400;
    const events = step(s, none);
    expect(events).toContainEqual([TagEvent.Tagged, it.id, other.id]);
    expect(s.it).toBe(other.id);
    expect(other.frozenTicks).toBeGreaterThan(0);
    // Frozen: the new "it" neither moves nor tags back while the freeze lasts.
    const inputs = new Map([[other.id, [{ buttons: TagInput.bits.right }]]]);
    const x = other.x;
    const again = step(s, inputs);
    expect(other.x).toBe(x);
    expect(again.some((e) => e[0] === TagEvent.Tagged)).toBe(false);
  });

  it('moves players with the shared movement rules and scores seconds not spent "it"', () => {
    const s = match();
    startPlay(s);
    const runner = s.players.find((p) => p.id !== s.it)!;
    runner.x = 600;
    runner.y = 100;
    player(s, s.it).x = 1100;
    player(s, s.it).y = 700;
    const inputs = new Map([[runner.id, [{ buttons: TagInput.encode({ left: true }) }]]]);
    step(s, inputs);
    expect(runner.x).toBeLessThan(600);
    for (let i = 0; i < 2 * TICK_RATE; i++) step(s, none);
    const scores = tagMode.scores(s);
    expect(scores[0]).toEqual({ id: runner.id, score: 2, deaths: 0 });
    expect(scores[1].score).toBe(0);
  });

  it('hands "it" on when "it" leaves, and ends the match on time', () => {
    const s = match(3, { countdownSeconds: 0, matchSeconds: 5, resultsSeconds: 1 });
    tagMode.addPlayer(s, 3, 'cy', true);
    startPlay(s);
    const first = s.it;
    tagMode.removePlayer(s, first);
    expect(s.it).not.toBe(0);
    expect(s.it).not.toBe(first);
    for (let i = 0; i < 5 * TICK_RATE && s.phase === Phase.Playing; i++) step(s, none);
    expect(s.phase).toBe(Phase.Ended);
    for (let i = 0; i < TICK_RATE; i++) step(s, none);
    expect(tagMode.phase(s)).toEqual({ phase: Phase.Ended, ticksLeft: 0 });
  });

  it('bots chase and flee: a bot "it" tags someone within the match', () => {
    const s = tagMode.create({ seed: 11, tickRate: TICK_RATE, settings: { countdownSeconds: 0 } });
    for (let id = 1; id <= 3; id++) tagMode.addPlayer(s, id, `bot${id}`, true);
    let tagged = false;
    for (let i = 0; i < 60 * TICK_RATE && !tagged; i++) tagged = step(s, none).some((e) => e[0] === TagEvent.Tagged);
    expect(tagged).toBe(true);
  });

  it('is deterministic: same seed and inputs give the same match', () => {
    const run = () => {
      const s = match(42);
      tagMode.addPlayer(s, 3, 'bot', true);
      for (let i = 0; i < 10 * TICK_RATE; i++) {
        step(s, new Map([[1, [{ buttons: (i >> 4) & 0b1111 }]], [2, [{ buttons: (i >> 3) & 0b1111 }]]]));
      }
      return s;
    };
    expect(run()).toEqual(run());
    expect(createTagState({ seed: 1, tickRate: TICK_RATE }).settings.matchSeconds).toBe(90);
  });

  it('renders snapshots in the declared layout', () => {
    const s = match();
    startPlay(s);
    const snap = tagMode.snapshot(s);
    expect(TagWire.readHeader(snap)).toEqual({ phase: Phase.Playing, ticksLeft: s.ticksLeft, it: s.it });
    expect(snap.tables[0].rows.size).toBe(2);
  });

  it('falls back to defaults for invalid settings', () => {
    const s = createTagState({ seed: 1, tickRate: TICK_RATE, settings: { matchSeconds: -1, freezeSeconds: 'x', minPlayers: 3 } });
    expect(s.settings).toMatchObject({ matchSeconds: 90, freezeSeconds: 1, minPlayers: 3 });
  });

  it('names a bad setting when the server registers the mode', () => {
    expect(tagMode.checkSettings!({ matchSeconds: 90, other: 'ignored' })).toBeNull();
    expect(tagMode.checkSettings!({ freezeSeconds: 'x' })).toMatch(/^freezeSeconds must be a number from 0 to 10/);
    expect(tagMode.checkSettings!({ minPlayers: 0 })).toMatch(/^minPlayers/);
    expect(tagMode.checkSettings!({ map: 'moon' })).toBe('map must be one of yard, open (got "moon")');
    const open = tagMode.create({ seed: 1, tickRate: TICK_RATE, settings: { map: 'open' } });
    expect(tagMode.matchConfig(open).map.walls).toEqual([]);
    expect(tagMode.matchConfig(match()).map.walls.length).toBeGreaterThan(0);
  });
});
