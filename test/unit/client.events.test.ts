/**
 * Protocol v2 on the client: the game events of the ticks a snapshot covers arrive inside
 * it. Fed the real arena simulation the way a room sends it (snapshots every second tick,
 * each with the events since the previous one), the session hands every event to the
 * renderer exactly once, in tick order, no earlier than the render tick reaches it.
 */
import { describe, expect, it } from 'vitest';
import { ARENA_SCHEMA, ServerType, diffSnapshot, encodeServer, type GameEvent, type SnapshotState, type TickEvents } from '../../protocol/index.js';
import { Connection } from '../../client/index.js';
import { GameSession } from '../../game-client/netcode/session.js';
import { arenaMode } from '../../server/game/arena/arenaMode.js';
import { FakeSocket, ManualTimers } from '../support/fakeSocket.js';

const TICK_RATE = 30;
const TICK_MS = 1000 / TICK_RATE;

describe('events carried by snapshots', () => {
  it('reach the renderer once each, in tick order, at their render tick', () => {
    const state = arenaMode.create({ seed: 3, tickRate: TICK_RATE, settings: { map: 'arena', countdownSeconds: 0, spawnProtectionSeconds: 0 } });
    for (let id = 1; id <= 8; id++) arenaMode.addPlayer(state, id, `bot${id}`, true);
    FakeSocket.all = [];
    const clock = { now: 0 };
    const conn = new Connection({
      createSocket: FakeSocket.create,
      token: 't',
      endpoint: { matchId: 'm1', url: 'ws://h/spectate?match=m1', ticket: '' },
      resume: async () => ({ matchId: 'm1', url: 'ws://h/spectate?match=m1', ticket: '' }),
      timers: new ManualTimers(),
    });
    const session = new GameSession(conn, () => clock.now, { spectator: true });
    conn.connect();
    const ws = FakeSocket.last();
    ws.open();
    ws.receive(encodeServer({ type: ServerType.Welcome, playerId: 0, matchId: 'm1', serverTick: 0, config: arenaMode.matchConfig(state) }));

    const sent: Array<{ tick: number; event: GameEvent }> = [];
    const seen: GameEvent[] = [];
    let pending: TickEvents[] = [];
    let prev: SnapshotState | null = null;
    let lateChecks = 0;
    for (let t = 1; t <= 450; t++) {
      const events = arenaMode.step(state, new Map());
      if (events.length > 0) pending.push({ tick: t, events: events.map((e) => e.slice()) });
      for (const e of events) sent.push({ tick: t, event: e.slice() });
      clock.now = t * TICK_MS;
      if (t % 2 === 0) {
        const snap = arenaMode.snapshot(state);
        snap.tick = t;
        ws.receive(encodeServer({ type: ServerType.Snapshot, delta: diffSnapshot(prev, snap, ARENA_SCHEMA), events: pending, ack: 0 }));
        pending = [];
        prev = snap;
      }
      clock.now = (t + 0.5) * TICK_MS;
      const view = session.frame(clock.now)!;
      for (const e of view.events) {
        // Released only once the render tick has reached the event's tick.
        const tick = sent[seen.length].tick;
        expect(tick).toBeLessThanOrEqual(Math.ceil(view.renderTick));
        lateChecks++;
        seen.push(e);
      }
    }
    expect(session.snapshotErrors).toBe(0);
    // Bots fight on this map: kills, hits, fires and respawns all happened.
    expect(new Set(sent.map((s) => s.event[0])).size).toBeGreaterThanOrEqual(3);
    expect(lateChecks).toBeGreaterThan(20);
    // Everything sent up to the render delay was handed over, exactly once and in order.
    expect(seen).toEqual(sent.slice(0, seen.length).map((s) => s.event));
    expect(sent.length - seen.length).toBeLessThan(sent.filter((s) => s.tick > 440).length + 1);
  });
});
