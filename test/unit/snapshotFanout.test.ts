/**
 * The fan-out writes every receiver's frame in place in one reused buffer (SnapshotWriter.frame):
 * the next receiver's ack overwrites the previous one's, and frame views are handed out again.
 * That is only right if each frame is complete and correct at the moment it is published or
 * sent (publishers copy then). These tests take a copy at that moment, as uWS does, and
 * compare it with the reference encoder's frame for that receiver, across acks of every
 * MessagePack width, snapshots of changing size, and the buffer growing.
 */
import { describe, expect, it } from 'vitest';
import { ARENA_SCHEMA, encodeSnapshotDelta, diffSnapshot, SnapshotWriter, type SnapshotState, type TickEvents } from '../../protocol/index.js';
import type { Broadcaster, Connection } from '../../server/rooms/connection.js';
import { SnapshotFanout, type SnapshotViewer } from '../../server/rooms/snapshotFanout.js';
import { prng, randInt } from '../support/prng.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** A state with `players` player rows and `shots` projectile rows, values from `rnd`. */
function state(rnd: () => number, tick: number, players: number, shots: number): SnapshotState {
  const rows = (n: number, fields: number, base: number) => {
    const m = new Map<number, number[]>();
    for (let i = 0; i < n; i++) m.set(base + i, Array.from({ length: fields }, () => randInt(rnd, -40_000, 70_000)));
    return m;
  };
  return { tick, header: [1, randInt(rnd, 0, 5000)], tables: ARENA_SCHEMA.map((f, t) => ({ rows: rows(t === 0 ? players : shots, f, t === 0 ? 1 : 1000) })) };
}

/** Acks of every MessagePack integer width, negative ones included. */
const ACKS = [0, 1, 2, 127, 128, 255, 256, 65_535, 65_536, 2 ** 32 - 1, 2 ** 32, -1, -33, -129, -40_000, -(2 ** 31) - 1];

class CopyingConn implements Connection {
  closed = false;
  sent: Uint8Array[] = [];
  send(frame: Uint8Array): void {
    this.sent.push(frame.slice());
  }
  bufferedAmount(): number {
    return 0;
  }
  subscribe(): void {}
  unsubscribe(): void {}
  close(): void {
    this.closed = true;
  }
  terminate(): void {
    this.closed = true;
  }
}

describe('SnapshotWriter.frame', () => {
  it('writes the reference frame for every ack, reusing its buffer and views, also after the buffer grew', () => {
    const rnd = prng(77);
    const writer = new SnapshotWriter();
    const events: TickEvents[] = [{ tick: 5, events: [[1, 2, 3]] }];
    let prev = state(rnd, 4, 8, 2);
    let first: Uint8Array | null = null;
    let sawReuse = false;
    for (let i = 0; i < 60; i++) {
      // Grows past the initial 2 KB buffer halfway through, then shrinks again.
      const next = state(rnd, prev.tick + 2, i >= 30 && i < 40 ? 300 : 8, randInt(rnd, 0, 6));
      writer.encode(prev, next, ARENA_SCHEMA, events);
      const views: Uint8Array[] = [];
      for (const ack of ACKS) {
        const f = writer.frame(ack);
        expect(hex(f), `snapshot ${i}, ack ${ack}`).toBe(hex(encodeSnapshotDelta(diffSnapshot(prev, next, ARENA_SCHEMA), events, ack)));
        views.push(f);
      }
      // Frames alias one buffer: the one handed out first now ends in the last ack.
      expect(new Set(views.map((v) => v.buffer)).size).toBe(1);
      first ??= views[0];
      if (views.includes(first)) sawReuse = true;
      prev = next;
    }
    expect(sawReuse).toBe(true);
  });

  it('a keyframe written with encode + frame equals the reference keyframe', () => {
    const rnd = prng(5);
    const s = state(rnd, 9, 8, 3);
    const writer = new SnapshotWriter();
    writer.encode(null, s, ARENA_SCHEMA, []);
    expect(hex(writer.frame(1234))).toBe(hex(encodeSnapshotDelta(diffSnapshot(null, s, ARENA_SCHEMA), [], 1234)));
  });
});

describe('SnapshotFanout publishes frames that are right when published', () => {
  it("each player's copy taken at publish time is that player's reference frame; spectators get ack 0, joiners a keyframe", () => {
    const rnd = prng(11);
    const published = new Map<string, Uint8Array[]>();
    const broadcaster: Broadcaster = {
      publish(topic, frame) {
        // What uWS does: copy the bytes before publish returns.
        let list = published.get(topic);
        if (!list) published.set(topic, (list = []));
        list.push(frame.slice());
      },
    };
    const fanout = new SnapshotFanout({ topic: 'm', broadcaster, softBufferBytes: 1 << 16, hardBufferBytes: 1 << 19, onSlowConsumer: () => {}, onDropped: () => {} });
    const players = new Map<number, SnapshotViewer & { ackSeq: number; conn: CopyingConn }>();
    for (let id = 1; id <= ACKS.length; id++) players.set(id, { conn: new CopyingConn(), needsKeyframe: true, playerId: id, ackSeq: 0, ackSent: 0 });
    const spectator = { conn: new CopyingConn(), needsKeyframe: false, playerId: 0, ackSeq: 0, ackSent: 0 };
    const spectators = new Map([[0, spectator]]);

    let prev: SnapshotState | null = null;
    for (let i = 0; i < 40; i++) {
      const next = state(rnd, 10 + 2 * i, i >= 20 && i < 25 ? 300 : 8, randInt(rnd, 0, 6));
      const events: TickEvents[] = i % 3 === 0 ? [{ tick: next.tick, events: [[4, i]] }] : [];
      // Every player's ack moves by a different amount each snapshot (all widths, both signs).
      const sentBefore = new Map([...players].map(([id, v]) => [id, v.ackSent]));
      let k = i;
      for (const v of players.values()) v.ackSeq = v.ackSent + ACKS[k++ % ACKS.length];
      // A player joins late: its first frame is a keyframe with the absolute ack.
      if (i === 7) players.get(3)!.needsKeyframe = true;
      const keyframers = new Set([...players.values()].filter((v) => v.needsKeyframe));
      fanout.publish(prev, next, ARENA_SCHEMA, events, players, spectators);

      for (const [id, v] of players) {
        const wire = keyframers.has(v) ? v.ackSeq : v.ackSeq - sentBefore.get(id)!;
        const got = keyframers.has(v) ? v.conn.sent.at(-1)! : published.get(`m/${id}`)!.at(-1)!;
        const ref = encodeSnapshotDelta(diffSnapshot(keyframers.has(v) ? null : prev, next, ARENA_SCHEMA), events, wire);
        expect(hex(got), `snapshot ${i}, player ${id}`).toBe(hex(ref));
      }
      if (prev) expect(hex(published.get('m')!.at(-1)!)).toBe(hex(encodeSnapshotDelta(diffSnapshot(prev, next, ARENA_SCHEMA), events, 0)));
      prev = next;
    }
    // Every player got a frame per snapshot (one keyframe, deltas after), the spectator 39 deltas.
    expect(published.get('m')!.length).toBe(39);
    expect(players.get(3)!.conn.sent.length).toBe(2);
    expect(published.get('m/3')!.length).toBe(39 - 1);
  });
});

describe('SnapshotFanout send-buffer bounds', () => {
  class BufferedConn implements Connection {
    closed = false;
    sent: Uint8Array[] = [];
    buffered = 0;
    reads = 0;
    subscribed = new Set<string>();
    send(frame: Uint8Array): void {
      this.sent.push(frame.slice());
    }
    bufferedAmount(): number {
      this.reads++;
      return this.buffered;
    }
    subscribe(topic: string): void {
      this.subscribed.add(topic);
    }
    unsubscribe(topic: string): void {
      this.subscribed.delete(topic);
    }
    close(): void {
      this.closed = true;
    }
    terminate(): void {
      this.closed = true;
    }
  }

  it('reads each socket once per snapshot; soft bound: leave the topic, skip, keyframe after draining; hard bound: slow consumer', () => {
    const rnd = prng(3);
    const published: string[] = [];
    const slow: number[] = [];
    let dropped = 0;
    const fanout = new SnapshotFanout({
      topic: 'm',
      broadcaster: { publish: (topic) => void published.push(topic) },
      softBufferBytes: 100,
      hardBufferBytes: 1000,
      onSlowConsumer: (v) => slow.push(v.playerId),
      onDropped: () => dropped++,
    });
    const conns = [new BufferedConn(), new BufferedConn()];
    const players = new Map(conns.map((conn, i) => [i + 1, { conn, needsKeyframe: true, playerId: i + 1, ackSeq: 0, ackSent: 0 } as SnapshotViewer]));
    const spectators = new Map<number, SnapshotViewer>();
    let prev: SnapshotState | null = null;
    const snapshot = () => {
      const next = state(rnd, prev ? prev.tick + 2 : 2, 2, 0);
      published.length = 0;
      for (const c of conns) c.reads = 0;
      fanout.publish(prev, next, ARENA_SCHEMA, [], players, spectators);
      prev = next;
      // One call into uWS per socket per snapshot, keyframe or delta.
      for (const c of conns) expect(c.reads).toBeLessThanOrEqual(1);
    };
    snapshot(); // keyframes
    expect(conns.map((c) => c.sent.length)).toEqual([1, 1]);
    expect([...conns[1].subscribed]).toEqual(['m/2']);
    snapshot();
    expect(published).toEqual(['m/1', 'm/2']);

    conns[1].buffered = 101; // past the soft bound: off its topic, no frame, counted
    snapshot();
    expect(published).toEqual(['m/1']);
    expect(conns[1].subscribed.size).toBe(0);
    expect(players.get(2)!.needsKeyframe).toBe(true);
    expect(dropped).toBe(1); // one snapshot skipped, counted once
    snapshot(); // still above: still skipped, one more
    expect(dropped).toBe(2);
    expect(conns[1].sent.length).toBe(1);

    conns[1].buffered = 0; // drained: a keyframe, then deltas again
    snapshot();
    expect(conns[1].sent.length).toBe(2);
    expect([...conns[1].subscribed]).toEqual(['m/2']);
    snapshot();
    expect(published).toEqual(['m/1', 'm/2']);

    conns[0].buffered = 1001; // past the hard bound: handed to the room, no frame
    snapshot();
    expect(slow).toEqual([1]);
    expect(published).toEqual(['m/2']);

    // A spectator past the soft bound: off the match topic, each skipped snapshot counted once.
    const watcher = new BufferedConn();
    spectators.set(9, { conn: watcher, needsKeyframe: true, playerId: 0, ackSeq: 0, ackSent: 0 } as SnapshotViewer);
    snapshot(); // its keyframe
    expect(watcher.sent.length).toBe(1);
    watcher.buffered = 101;
    const before = dropped;
    snapshot();
    expect(dropped - before).toBe(1);
    snapshot();
    expect(dropped - before).toBe(2);
    expect(watcher.sent.length).toBe(1);
  });
});
