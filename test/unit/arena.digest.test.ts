/**
 * A golden digest of long seeded arena runs: every event and every snapshot (tick, header,
 * rows in iteration order) of a few matches hashed, compared with the digests the
 * simulation produced before its per-tick work was restructured (f17e515). Any change to
 * what the arena computes (a hit judged differently, a position a bit off, rows in another
 * order) changes a digest; a deliberate rule change must update them and say why.
 *
 * The runs cover what the fast paths touch: humans with lag-compensated shots (viewTick a
 * few ticks back, sometimes none, sometimes from the future), bots, both maps, a leave and
 * a late join mid-match (history rows then no longer line up with player indices),
 * disconnects, recycled snapshots, and matches that end and stay ended.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EventKind, type SnapshotState } from '../../protocol/index.js';
import type { PlayerInput } from '../../server/rooms/gameMode.js';
import { arenaMode } from '../../server/game/arena/arenaMode.js';

/** Test-owned integer hash (not the game RNG): inputs depend only on (tick, id, salt). */
function mix(a: number, b: number, c: number): number {
  let x = (Math.imul(a, 2654435761) ^ Math.imul(b, 40503) ^ Math.imul(c, 97)) >>> 0;
  x = Math.imul(x ^ (x >>> 13), 1274126177) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}

/** Events seen by kind over every run: the digests must cover hits and kills, not just movement. */
const kinds = new Map<number, number>();

function digest(map: string, seed: number, lagMs: number, ticks: number): string {
  const h = createHash('sha256');
  const state = arenaMode.create({
    seed,
    tickRate: 30,
    settings: { map, countdownSeconds: 1, matchSeconds: 70, lagCompensationMs: lagMs, spawnProtectionSeconds: 0.5, respawnSeconds: 1 },
  });
  let humans = [1, 2, 3, 4, 5];
  for (const id of humans) arenaMode.addPlayer(state, id, `h${id}`, false);
  arenaMode.addPlayer(state, 6, 'b6', true);
  arenaMode.addPlayer(state, 8, 'b8', true);
  let last: SnapshotState | null = null;
  let spare: SnapshotState | null = null;
  const held = new Map<number, number>();
  for (let t = 1; t <= ticks; t++) {
    if (t === 700) arenaMode.removePlayer(state, 3);
    if (t === 700) humans = humans.filter((id) => id !== 3);
    if (t === 900) arenaMode.addPlayer(state, 7, 'b7', true);
    if (t === 1000) {
      arenaMode.addPlayer(state, 3, 'h3 again', false);
      humans.push(3);
    }
    if (t === 1200) arenaMode.setConnected(state, 2, false);
    const inputs = new Map<number, PlayerInput[]>();
    for (const id of humans) {
      const x = mix(t, id, seed);
      // Movement held for a while, like a player; fire often; aim swept.
      if (x % 13 === 0 || !held.has(id)) held.set(id, (x >>> 4) & 0b1111);
      const n = x % 17 === 0 ? 0 : x % 19 === 0 ? 2 : 1;
      const list: PlayerInput[] = [];
      for (let i = 0; i < n; i++) {
        const v = x % 23 === 0 ? 0 : x % 29 === 0 ? state.tick + 3 : Math.max(0, state.tick - ((x >>> 9) % 14));
        list.push({ seq: t * 2 + i, buttons: held.get(id)! | ((x >>> 20) % 3 === 0 ? 0 : 16), aim: (mix(t >> 3, id, 7) + t * 300) & 0xffff, viewTick: v });
      }
      inputs.set(id, list);
    }
    const events = arenaMode.step(state, inputs);
    h.update(JSON.stringify(events));
    for (const e of events) kinds.set(e[0], (kinds.get(e[0]) ?? 0) + 1);
    if (t % 2 === 0) {
      const snap = arenaMode.snapshot(state, spare);
      spare = last;
      last = snap;
      h.update(JSON.stringify([snap.tick, snap.header, [...snap.tables[0].rows], [...snap.tables[1].rows]]));
    }
  }
  h.update(JSON.stringify(arenaMode.scores(state)));
  return h.digest('hex').slice(0, 16);
}

describe('arena golden digest', () => {
  it('long seeded runs produce the same events and snapshots as before', () => {
    const got = [digest('arena', 1, 350, 2400), digest('open', 2, 350, 2400), digest('arena', 3, 0, 1500), digest('arena', 4, 1000, 1500)];
    expect(kinds.get(EventKind.Hit)).toBeGreaterThan(100);
    expect(kinds.get(EventKind.Kill)).toBeGreaterThan(20);
    expect(got).toEqual(['f1635c0404deb327', 'de4dc4f05fa1357b', '064889f2baf1a5fd', '2adbcd34ef14a601']);
  });
});
