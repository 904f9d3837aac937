/**
 * The client connection's reconnection state machine, with a scripted WebSocket and a
 * manual clock: which closes retry, the backoff between attempts, resume tickets, "gone",
 * and the lag simulator keeping frame order.
 */
import { describe, expect, it } from 'vitest';
import { ClientType, CloseCode, ServerType, encodeServer } from '../../protocol/index.js';
import { ApiError, type MatchTicket } from '../../client/index.js';
import { Connection, type WebSocketCtor } from '../../client/index.js';
import { FakeSocket, ManualTimers } from '../support/fakeSocket.js';

function setup(resume: (matchId: string) => Promise<MatchTicket>, lag: { lagMs: number; jitterMs: number } | null = null) {
  FakeSocket.all = [];
  const timers = new ManualTimers();
  const conn = new Connection({
    createSocket: FakeSocket.create,
    token: 'jwt.token.sig',
    endpoint: { matchId: 'm1', url: 'ws://h/play', ticket: 't0' },
    resume,
    lag,
    timers,
    random: () => 0.5,
  });
  const log: string[] = [];
  for (const ev of ['connect', 'reconnecting', 'reconnected', 'close', 'error'] as const) {
    conn.on(ev, (p) => log.push(`${ev} ${JSON.stringify(p)}`));
  }
  conn.on('message', (m) => log.push(`message ${m.type}`));
  conn.connect();
  return { conn, timers, log, socket: () => FakeSocket.all[FakeSocket.all.length - 1] };
}

describe('client connection', () => {
  it('offers the subprotocol and the bearer token, and decodes messages', () => {
    const { conn, socket, log } = setup(async () => ({ matchId: 'm1', url: 'ws://h/play', ticket: 't1' }));
    expect(socket().url).toBe('ws://h/play?ticket=t0');
    expect(socket().protocols).toEqual(['tickwire.v2', 'bearer.jwt.token.sig']);
    socket().open();
    expect(conn.state).toBe('open');
    socket().receive(encodeServer({ type: ServerType.Pong, t: 1, serverTime: 2 }));
    expect(log).toEqual(['connect {"url":"ws://h/play?ticket=t0"}', `message ${ServerType.Pong}`]);
    expect(conn.send({ type: ClientType.Ping, t: 5 })).toBe(true);
    expect(socket().sent).toHaveLength(1);
    expect(conn.bytesIn).toBeGreaterThan(0);
    expect(conn.bytesOut).toBe(socket().sent[0].byteLength);
  });

  it('reconnects after a network drop with backoff, resuming the same match', async () => {
    const resumes: string[] = [];
    const { conn, timers, log, socket } = setup(async (matchId) => {
      resumes.push(matchId);
      return { matchId, url: 'ws://h/play', ticket: `t${resumes.length}` };
    });
    socket().open();
    socket().drop(1006);
    expect(conn.state).toBe('reconnecting');
    expect(log.at(-1)).toBe('reconnecting {"attempt":1,"delayMs":500,"code":1006,"reason":""}');
    await timers.advance(499);
    expect(resumes).toEqual([]);
    await timers.advance(1);
    expect(resumes).toEqual(['m1']);
    expect(socket().url).toBe('ws://h/play?ticket=t1');
    // That socket fails before opening: the next attempt waits twice as long.
    socket().drop(1006);
    expect(log.at(-1)).toBe('reconnecting {"attempt":2,"delayMs":1000,"code":1006,"reason":""}');
    await timers.advance(1000);
    expect(resumes).toHaveLength(2);
    socket().open();
    expect(conn.state).toBe('open');
    expect(log.at(-1)).toBe('reconnected {"attempts":2}');
    expect(conn.reconnects).toBe(1);
    // The schedule restarts after a success.
    socket().drop(1001);
    expect(log.at(-1)).toContain('"attempt":1,"delayMs":500');
  });

  it('does not come back after codes that mean "stop" (replaced by another tab, match ended)', () => {
    for (const code of [CloseCode.Replaced, CloseCode.MatchEnded, CloseCode.Kicked, CloseCode.Unauthorized, 1000]) {
      const { conn, log, socket } = setup(async () => {
        throw new Error('must not resume');
      });
      socket().open();
      socket().drop(code, 'bye');
      expect(conn.state).toBe('closed');
      const close = JSON.parse(log.at(-1)!.slice('close '.length));
      expect(close.code).toBe(code);
      expect(close.gone).toBe(false);
      if (code === CloseCode.Replaced) expect(close.message).toBe('replaced by a newer connection');
      expect(log.some((l) => l.startsWith('reconnecting'))).toBe(false);
    }
  });

  it('ends with gone: true when the resume is refused with 404', async () => {
    const { conn, timers, log, socket } = setup(async () => {
      throw new ApiError(404, 'match not found');
    });
    socket().open();
    socket().drop(1006);
    await timers.advance(500);
    expect(conn.state).toBe('closed');
    const close = JSON.parse(log.at(-1)!.slice('close '.length));
    expect(close.gone).toBe(true);
    expect(FakeSocket.all).toHaveLength(1);
  });

  it('keeps retrying while the server is unreachable, then gives up', async () => {
    const { conn, timers, log, socket } = setup(async () => {
      throw new TypeError('fetch failed');
    });
    socket().open();
    socket().drop(1006);
    await timers.advance(200_000);
    expect(conn.state).toBe('closed');
    const delays = log.filter((l) => l.startsWith('reconnecting')).map((l) => JSON.parse(l.slice('reconnecting '.length)).delayMs);
    expect(delays).toEqual([500, 1000, 2000, 4000, 8000, 8000, 8000, 8000, 8000, 8000, 8000, 8000]);
    expect(log.at(-1)).toContain('could not reconnect');
  });

  it('simulated lag delays both directions and keeps order', async () => {
    const { conn, timers, log, socket } = setup(async () => ({ matchId: 'm1', url: 'ws://h/play', ticket: 't1' }), { lagMs: 100, jitterMs: 0 });
    socket().open();
    conn.send({ type: ClientType.Ping, t: 1 });
    expect(socket().sent).toHaveLength(0);
    await timers.advance(50);
    expect(socket().sent).toHaveLength(1);
    socket().receive(encodeServer({ type: ServerType.Pong, t: 1, serverTime: 2 }));
    socket().drop(1006);
    // Neither the message nor the close is seen before 50 ms; then both, in order.
    expect(log.filter((l) => !l.startsWith('connect'))).toEqual([]);
    await timers.advance(50);
    expect(log.slice(1, 3)).toEqual([`message ${ServerType.Pong}`, 'reconnecting {"attempt":1,"delayMs":500,"code":1006,"reason":""}']);
  });

  it('leave() waits for the server to close the socket', async () => {
    const { conn, socket } = setup(async () => ({ matchId: 'm1', url: 'ws://h/play', ticket: 't1' }));
    socket().open();
    let done = false;
    const p = conn.leave(() => conn.send({ type: ClientType.Leave })).then(() => (done = true));
    await Promise.resolve();
    expect(done).toBe(false);
    expect(socket().sent).toHaveLength(1);
    socket().drop(1000, 'left');
    await p;
    expect(done).toBe(true);
    expect(conn.state).toBe('closed');
  });
});
