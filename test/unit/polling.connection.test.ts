/**
 * The long-polling session on the server with a manual clock: the bounded queue (4016),
 * one held request (a second ends the first with 409), the hold timeout, one tick's frames
 * in one response, the in-band close after queued frames, topic delivery, and the session
 * store's expiry rules.
 */
import { describe, expect, it } from 'vitest';
import { CloseCode, decodePollBody } from '../../protocol/index.js';
import { ManualClock } from '../../server/clock.js';
import { Metrics } from '../../server/observability/metrics.js';
import { PollingConnection, type HeldPoll } from '../../server/transport/polling/pollingConnection.js';
import { PollingSessions } from '../../server/transport/polling/pollingSessions.js';
import { PollingBroadcaster, PollingTopics } from '../../server/transport/polling/pollingTopics.js';
import type { PlayContext } from '../../server/transport/playRoute.js';

const metrics = new Metrics({ defaultMetrics: false });

function setup(hardBytes = 100, holdMs = 1000) {
  const clock = new ManualClock();
  const topics = new PollingTopics();
  const closes: number[] = [];
  const conn = new PollingConnection({ clock, metrics, topics, hardBytes, holdMs, onClose: (c) => closes.push(c) });
  return { clock, topics, conn, closes };
}

class FakePoll implements HeldPoll {
  bodies: Uint8Array[] = [];
  superseded = false;
  dropped = false;
  reply(body: Uint8Array): void {
    this.bodies.push(body);
  }
  supersede(): void {
    this.superseded = true;
  }
  drop(): void {
    this.dropped = true;
  }
  records() {
    const r = decodePollBody(this.bodies[0], { maxRecords: 1000, maxRecordBytes: 1 << 20, allowClose: true });
    if (!r.ok) throw new Error(r.error);
    return r.value;
  }
}

const tick = () => new Promise<void>((r) => queueMicrotask(r));

describe('PollingConnection', () => {
  it('answers a held request once the current task has queued all its frames', async () => {
    const { conn } = setup();
    const p = new FakePoll();
    conn.poll(p);
    conn.send(new Uint8Array([1]), 'roster');
    conn.send(new Uint8Array([2]), 'snapshot');
    expect(p.bodies).toHaveLength(0);
    await tick();
    expect(p.records()).toEqual([
      { kind: 'frame', frame: new Uint8Array([1]) },
      { kind: 'frame', frame: new Uint8Array([2]) },
    ]);
    expect(conn.bufferedAmount()).toBe(0);
  });

  it('answers at once when frames are queued, and empty after holdMs otherwise', () => {
    const { conn, clock } = setup(100, 1000);
    conn.send(new Uint8Array([5]), 'x');
    const a = new FakePoll();
    conn.poll(a);
    expect(a.records()).toHaveLength(1);
    const b = new FakePoll();
    conn.poll(b);
    clock.advance(999);
    expect(b.bodies).toHaveLength(0);
    clock.advance(1);
    expect(b.bodies[0].byteLength).toBe(0);
  });

  it('a second request ends the first with 409 (supersede)', () => {
    const { conn } = setup();
    const a = new FakePoll();
    const b = new FakePoll();
    conn.poll(a);
    conn.poll(b);
    expect(a.superseded).toBe(true);
    expect(b.superseded).toBe(false);
  });

  it('copies frames (publishers reuse buffers)', () => {
    const { conn } = setup();
    const buf = new Uint8Array([1, 2]);
    conn.deliver(buf);
    buf[0] = 9;
    const p = new FakePoll();
    conn.poll(p);
    expect(p.records()[0]).toEqual({ kind: 'frame', frame: new Uint8Array([1, 2]) });
  });

  it('closes with 4016 when a frame would pass the hard bound; the close record follows the queued frames', async () => {
    const { conn, closes } = setup(100);
    conn.send(new Uint8Array(60), 'a');
    conn.send(new Uint8Array(60), 'b'); // 120 > 100
    expect(conn.closed).toBe(true);
    expect(conn.bufferedAmount()).toBe(60);
    conn.send(new Uint8Array(1), 'c'); // ignored once closed
    expect(closes).toEqual([]); // never inside the call that closed it
    await tick();
    expect(closes).toEqual([CloseCode.SlowConsumer]);
    const p = new FakePoll();
    conn.poll(p);
    const r = p.records();
    expect(r).toHaveLength(2);
    expect(r[1]).toMatchObject({ kind: 'close', code: CloseCode.SlowConsumer });
    expect(conn.finished).toBe(true);
  });

  it('an empty queue takes one frame larger than the bound (a keyframe)', () => {
    const { conn } = setup(100);
    conn.send(new Uint8Array(500), 'keyframe');
    expect(conn.closed).toBe(false);
  });

  it('terminate drops the held request and queues no close record', async () => {
    const { conn, closes } = setup();
    const p = new FakePoll();
    conn.poll(p);
    conn.terminate();
    expect(p.dropped).toBe(true);
    expect(conn.finished).toBe(true);
    await tick();
    expect(closes).toEqual([1006]);
  });

  it('receives topic publishes while subscribed, through the wrapping broadcaster', () => {
    const { conn, topics } = setup();
    const inner: string[] = [];
    const b = new PollingBroadcaster({ publish: (t) => void inner.push(t) }, topics);
    conn.subscribe('match/1/3');
    b.publish('match/1/3', new Uint8Array([7]), 'snapshot', 1);
    conn.unsubscribe('match/1/3');
    b.publish('match/1/3', new Uint8Array([8]), 'snapshot', 1);
    expect(inner).toEqual(['match/1/3', 'match/1/3']);
    expect(conn.bufferedAmount()).toBe(1);
    expect(topics.count('match/1/3')).toBe(0);
    conn.subscribe('match/1/3');
    conn.close(1000, 'bye');
    expect(topics.count('match/1/3')).toBe(0); // closing unsubscribes
  });
});

describe('PollingSessions expiry', () => {
  function session(clock: ManualClock, sessions: PollingSessions, id: string) {
    const conn = new PollingConnection({ clock, metrics, topics: new PollingTopics(), hardBytes: 1000, holdMs: 100, onClose: () => undefined });
    const s = { id, address: '127.0.0.1', rateSlot: 0, ctx: { conn } as unknown as PlayContext & { conn: PollingConnection }, lastSendAt: clock.now() };
    sessions.add(s);
    return s;
  }

  it('closes a session with no receive request for idleMs (4017), then forgets it', () => {
    const clock = new ManualClock();
    const sessions = new PollingSessions(clock, 400, 10_000);
    const s = session(clock, sessions, 'a');
    clock.advance(399);
    expect(s.ctx.conn.closed).toBe(false);
    clock.advance(101); // the next sweep (every idleMs/4) after idleMs
    expect(s.ctx.conn.closed).toBe(true);
    const p = new FakePoll();
    s.ctx.conn.poll(p);
    expect(p.records().at(-1)).toMatchObject({ kind: 'close', code: CloseCode.IdleTimeout });
    clock.advance(100);
    expect(sessions.size).toBe(0);
    sessions.stop();
  });

  it('a held request keeps a session alive; no frame sent for sendIdleMs closes it (4017)', () => {
    const clock = new ManualClock();
    const sessions = new PollingSessions(clock, 400, 2000);
    const s = session(clock, sessions, 'b');
    for (let t = 0; t < 1900; t += 90) {
      s.ctx.conn.poll(new FakePoll()); // re-polls before each hold ends
      clock.advance(90);
    }
    expect(s.ctx.conn.closed).toBe(false);
    clock.advance(300);
    expect(s.ctx.conn.closed).toBe(true);
    sessions.stop();
  });

  it('a closed session whose close record is never fetched is forgotten after idleMs', () => {
    const clock = new ManualClock();
    const sessions = new PollingSessions(clock, 400, 10_000);
    const s = session(clock, sessions, 'c');
    s.ctx.conn.close(CloseCode.Replaced, 'replaced');
    expect(sessions.get('c')).not.toBeNull();
    clock.advance(500);
    expect(sessions.get('c')).toBeNull();
    expect(sessions.size).toBe(0);
    sessions.stop();
  });
});
