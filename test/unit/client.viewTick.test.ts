/**
 * The client half of lag compensation: a firing input carries `viewTick`, the tick the
 * others were drawn at by the last frame (the interpolation time, rounded); other inputs
 * leave it out. Scripted socket, manual clock, the real arena's snapshots.
 */
import { describe, expect, it } from 'vitest';
import { ARENA_SCHEMA, Buttons, ClientType, ServerType, decodeClient, diffSnapshot, encodeServer, type InputMsg } from '../../protocol/index.js';
import { Connection } from '../../client/index.js';
import { GameSession } from '../../game-client/netcode/session.js';
import { arenaMode } from '../../server/game/arena/arenaMode.js';
import { FakeSocket, ManualTimers } from '../support/fakeSocket.js';

describe('viewTick on firing inputs', () => {
  it('is the rounded render tick of the last frame, only when firing', async () => {
    FakeSocket.all = [];
    const timers = new ManualTimers();
    const conn = new Connection({
      createSocket: FakeSocket.create,
      token: 't',
      endpoint: { matchId: 'm1', url: 'ws://h/play', ticket: 't0' },
      resume: async () => ({ matchId: 'm1', url: 'ws://h/play', ticket: 't1' }),
      timers,
    });
    const session = new GameSession(conn, () => timers.t);
    conn.connect();
    const ws = FakeSocket.last();
    ws.open();
    const state = arenaMode.create({ seed: 2, tickRate: 30, settings: { map: 'open', countdownSeconds: 0, minPlayers: 1 } });
    arenaMode.addPlayer(state, 1, 'me', false);
    arenaMode.addPlayer(state, 2, 'other', true);
    ws.receive(encodeServer({ type: ServerType.Welcome, playerId: 1, matchId: 'm1', serverTick: 0, config: arenaMode.matchConfig(state) }));
    let prev: ReturnType<typeof arenaMode.snapshot> | null = null;
    // 2 s of snapshots every 2 ticks, arriving on time; frames every 16 ms.
    for (let tick = 1; tick <= 60; tick++) {
      arenaMode.step(state, new Map());
      await timers.advance(1000 / 30);
      if (tick % 2 === 0) {
        const snap = arenaMode.snapshot(state);
        ws.receive(encodeServer({ type: ServerType.Snapshot, delta: diffSnapshot(prev, snap, ARENA_SCHEMA), events: [], ack: 0 }));
        prev = snap;
      }
      session.update(timers.t);
      session.frame(timers.t);
    }
    const inputs = () =>
      ws.sent
        .map((b) => decodeClient(b))
        .flatMap((r) => (r.ok && r.value.type === ClientType.Input ? [r.value as InputMsg] : []));
    expect(inputs().length).toBeGreaterThan(20);
    expect(inputs().every((i) => i.viewTick === undefined)).toBe(true);

    const view = session.frame(timers.t)!;
    expect(view.interpMode).toBe('interpolate');
    session.setInput(Buttons.Fire, 0);
    await timers.advance(1000 / 30);
    session.update(timers.t);
    const fired = inputs().filter((i) => i.buttons & Buttons.Fire);
    expect(fired.length).toBeGreaterThanOrEqual(1);
    // Drawn behind the newest snapshot (tick 60) by the interpolation delay.
    expect(fired[0].viewTick).toBe(Math.round(view.renderTick));
    expect(fired[0].viewTick!).toBeLessThan(60);
    expect(fired[0].viewTick!).toBeGreaterThan(45);
  });
});
