/**
 * Protocol v2: game events ride in the snapshot frame that covers their tick. A scripted
 * game mode emits events on chosen ticks; fake sockets record every frame a player gets.
 */
import { describe, expect, it } from 'vitest';
import { Limits, Phase, ServerType, type GameEvent, type SnapshotMsg } from '../../protocol/index.js';
import type { GameMode } from '../../server/rooms/gameMode.js';
import { Metrics } from '../../server/observability/metrics.js';
import { makeRoom, TICK } from './room.helpers.js';

interface Script {
  ticks: number;
  /** Events per tick number (1-based, the room's tick). */
  events: Map<number, GameEvent[]>;
  /** The match ends (phase Ended, no ticks left) at this tick; 0 never. */
  endAt: number;
}

function scriptedMode(): GameMode<Script> {
  return {
    name: 'script',
    schema: [1],
    maxPlayers: 8,
    create: () => ({ ticks: 0, events: new Map(), endAt: 0 }),
    matchConfig: () => ({ mode: 'script', tickRate: 30, snapshotRate: 15, maxPlayers: 8, map: { width: 100, height: 100, walls: [] } }),
    addPlayer: () => {},
    removePlayer: () => {},
    setConnected: () => {},
    step(s) {
      s.ticks++;
      return s.events.get(s.ticks) ?? [];
    },
    snapshot: (s) => ({ tick: 0, header: [0, 0], tables: [{ rows: new Map([[1, [s.ticks]]]) }] }),
    phase: (s) => (s.endAt > 0 && s.ticks >= s.endAt ? { phase: Phase.Ended, ticksLeft: 0 } : { phase: Phase.Playing, ticksLeft: 0 }),
    scores: () => [],
  };
}

function setup(events: Record<number, GameEvent[]>, endAt = 0) {
  const dropped: number[] = [];
  const mode = scriptedMode();
  let state: Script | null = null;
  const wrapped: GameMode<Script> = { ...mode, create: (o) => (state = mode.create(o)) };
  const fixture = makeRoom(
    { id: 'e1', mode: wrapped as GameMode<unknown>, seed: 1, settings: undefined, hooks: { onEventsDropped: (_r, n) => dropped.push(n) } },
    mode.schema,
  );
  for (const [t, e] of Object.entries(events)) state!.events.set(Number(t), e);
  state!.endAt = endAt;
  const join = (user: string) => fixture.join(user).c;
  const conn = join('u');
  const published = () => fixture.broadcaster.publishes.map((p) => p.kind);
  return { clock: fixture.clock, room: fixture.room, conn, join, published, dropped };
}

describe('events ride in snapshots (protocol v2)', () => {
  it('one frame per snapshot interval; every event arrives once, with its own tick, oldest first', () => {
    const { clock, conn, published } = setup({
      1: [[5, 1, 100]],
      2: [[1, 1, 2]],
      3: [[5, 1, 101], [2, 9]],
      5: [[4, 1, 2, 25]],
    });
    clock.advance(TICK * 20 + 1);
    expect(conn.errors).toEqual([]); // every frame decoded, every delta applied
    // Welcome and roster on attach (and a roster when it changes); after that nothing but
    // snapshots, on ticks 2, 4, …, 20.
    expect(conn.received.slice(0, 2).map((m) => m.type)).toEqual([ServerType.Welcome, ServerType.Roster]);
    const rest = conn.received.slice(2).filter((m) => m.type !== ServerType.Roster);
    expect(rest.every((m) => m.type === ServerType.Snapshot)).toBe(true);
    expect(rest.map((m) => (m as SnapshotMsg).delta.tick)).toEqual([2, 4, 6, 8, 10, 12, 14, 16, 18, 20]);
    // No frame of any other kind went out: a tick with no snapshot sent nothing.
    expect(new Set(conn.kinds)).toEqual(new Set(['welcome', 'roster', 'keyframe', 'snapshot']));
    expect(new Set(published())).toEqual(new Set(['snapshot'])); // on the player's own topic
    const got = conn.snapshots().flatMap((s) => s.events.map((g) => ({ at: s.delta.tick, tick: g.tick, events: g.events })));
    expect(got).toEqual([
      { at: 2, tick: 1, events: [[5, 1, 100]] },
      { at: 2, tick: 2, events: [[1, 1, 2]] },
      { at: 4, tick: 3, events: [[5, 1, 101], [2, 9]] },
      { at: 6, tick: 5, events: [[4, 1, 2, 25]] },
    ]);
  });

  it('a keyframe carries the events waiting with it, like the delta the others get', () => {
    const { clock, conn, join } = setup({ 3: [[2, 7]] });
    clock.advance(TICK * 3 + 1); // ticks 1–3 ran; tick 3's event waits for the tick-4 snapshot
    const late = join('late');
    clock.advance(TICK);
    const [keyframe] = late.snapshots();
    expect(keyframe.delta.baselineTick).toBe(0);
    expect(keyframe.delta.tick).toBe(4);
    expect(keyframe.events).toEqual([{ tick: 3, events: [[2, 7]] }]);
    expect(conn.snapshots().at(-1)!.events).toEqual(keyframe.events);
  });

  it(`events past Limits.maxEventsPerFrame (${Limits.maxEventsPerFrame}) in one interval are dropped and reported`, async () => {
    const many = (n: number, kind: number) => Array.from({ length: n }, (_, i) => [kind, i]);
    const { clock, conn, dropped } = setup({ 1: many(200, 1), 2: many(100, 2), 3: many(10, 3) });
    clock.advance(TICK * 4 + 1);
    const [first, second] = conn.snapshots();
    expect(first.events.map((g) => [g.tick, g.events.length])).toEqual([[1, 200], [2, Limits.maxEventsPerFrame - 200]]);
    expect(dropped).toEqual([300 - Limits.maxEventsPerFrame]);
    // The server counts them in tickwire_events_dropped_total (app.ts wires the hook).
    const metrics = new Metrics();
    for (const n of dropped) metrics.eventsDropped.inc(n);
    expect(await metrics.text()).toContain(`tickwire_events_dropped_total ${300 - Limits.maxEventsPerFrame}`);
    // The bound is per snapshot frame: the next interval starts empty.
    expect(second.events.map((g) => [g.tick, g.events.length])).toEqual([[3, 10]]);
  });

  it('the events of a match that ends between snapshots go out in one last snapshot before the close', () => {
    const { clock, conn, room } = setup({ 7: [[1, 1, 2]] }, 7);
    clock.advance(TICK * 10 + 1);
    expect(room.isDisposed).toBe(true);
    const last = conn.snapshots().at(-1)!;
    expect(last.delta.tick).toBe(7);
    expect(last.events).toEqual([{ tick: 7, events: [[1, 1, 2]] }]);
    expect(conn.closed).toBe(true);
  });
});
