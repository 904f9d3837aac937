/**
 * Tag served by a real Tickwire server, played by two Node clients: everything through
 * `tickwire/testing`, as a game outside this repo would test itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boot, type JoinedPlayer, type TestServer } from 'tickwire/testing';
import { Phase, ServerType, dequantizePosition } from 'tickwire/protocol';
import { TagEvent, TagInput, TagWire } from '../shared/tagWire.js';
import { tagMode } from '../server/tagMode.js';

const Players = TagWire.tables.players;
let t: TestServer;

beforeAll(async () => {
  t = await boot({ modes: { tag: { mode: tagMode, settings: { map: 'open', countdownSeconds: 0, matchSeconds: 60, freezeSeconds: 0.5 } } } });
});
afterAll(() => t?.close());

function position(p: JoinedPlayer, id: number): { x: number; y: number } | undefined {
  const row = p.client.snapshot && Players.read(p.client.snapshot).find((r) => r.id === id);
  return row ? { x: dequantizePosition(row.x), y: dequantizePosition(row.y) } : undefined;
}

describe('tag through tickwire/testing', () => {
  it('seats two players in one tag match, starts play and passes "it" when they touch', async () => {
    const ann = await t.join('ann', 'tag');
    const bob = await t.join('bob', 'tag');
    expect(bob.seat.matchId).toBe(ann.seat.matchId);
    expect(ann.client.welcome!.config.mode).toBe('tag');
    expect(ann.client.welcome!.config.map.width).toBe(1200);

    const playing = () => ann.client.snapshot && TagWire.readHeader(ann.client.snapshot).phase === Phase.Playing;
    await ann.client.waitFor(playing, 'play to start');
    const it = TagWire.readHeader(ann.client.snapshot!).it;
    const ids = [ann.client.welcome!.playerId, bob.client.welcome!.playerId];
    expect(ids).toContain(it);

    // "It" walks toward the other player each tick, steering by the latest snapshot.
    const chaser = it === ids[0] ? ann : bob;
    const runnerId = it === ids[0] ? ids[1] : ids[0];
    const tagged = () =>
      chaser.client.of(ServerType.Snapshot).some((m) => m.events.some((e) => e.events.some((ev) => ev[0] === TagEvent.Tagged)));
    const steer = setInterval(() => {
      const me = position(chaser, it);
      const them = position(chaser, runnerId);
      if (!me || !them) return;
      const dx = them.x - me.x;
      const dy = them.y - me.y;
      const pressed = { left: dx < -4, right: dx > 4, up: dy < -4, down: dy > 4 };
      chaser.client.input(TagInput.encode(pressed));
    }, 1000 / 30);
    try {
      await chaser.client.waitFor(tagged, 'a tag', 15_000);
    } finally {
      clearInterval(steer);
    }
    await ann.client.waitFor(() => ann.client.snapshot && TagWire.readHeader(ann.client.snapshot).it === runnerId, '"it" to pass on');
    expect(ann.client.decodeErrors).toEqual([]);
  });

  it('refuses an unknown mode with a clear error', async () => {
    const g = await t.guest('cy');
    await expect(t.matchmake(g.token, { mode: 'hide-and-seek' })).rejects.toThrow(/matchmake failed: 4\d\d/);
  });
});
