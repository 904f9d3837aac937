/**
 * The one Connection state machine, through its socket seam and in both of its uses (a match
 * seat and a seatless stream), with scripted sockets and a manual clock: each attempt asks
 * the factory for a socket; a failed attempt is announced (`attemptFailed`) so a transport
 * policy can switch sockets; a dropped open socket says `disconnect`; a stream without
 * link checks survives silence; the default factory names the fix on Node 20.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CloseCode, ServerType, encodeServer } from '../../protocol/index.js';
import { Connection, defaultSocketFactory, STREAM_FINAL_CODES, type ConnectionOptions, type SocketFactory } from '../../client/index.js';
import { FakeSocket, ManualTimers, settle } from '../support/fakeSocket.js';

function setup(o: Partial<ConnectionOptions> = {}) {
  FakeSocket.all = [];
  const timers = new ManualTimers();
  const conn = new Connection({ token: 'jwt.a.b', endpoint: { url: 'ws://h/play', ticket: 't0', matchId: 'm1' }, createSocket: FakeSocket.create, timers, random: () => 0.5, ...o });
  const log: string[] = [];
  for (const ev of ['connect', 'disconnect', 'attemptFailed', 'reconnecting', 'reconnected', 'close', 'error'] as const) {
    conn.on(ev, (p) => log.push(`${ev} ${JSON.stringify(p)}`));
  }
  conn.connect();
  return { conn, timers, log };
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the socket seam', () => {
  it('asks the factory for one socket per attempt, with the URL, ticket and subprotocols', async () => {
    const calls: Array<{ url: string; protocols: string[] }> = [];
    const createSocket: SocketFactory = (url, protocols) => {
      calls.push({ url, protocols });
      return FakeSocket.create(url, protocols);
    };
    const { timers } = setup({ createSocket, resume: async (matchId) => ({ matchId, url: 'ws://h2/play', ticket: 't1' }) });
    expect(calls).toEqual([{ url: 'ws://h/play?ticket=t0', protocols: ['tickwire.v2', 'bearer.jwt.a.b'] }]);
    expect(FakeSocket.last().binaryType).toBe('arraybuffer');
    FakeSocket.last().open();
    FakeSocket.last().drop(1006);
    await timers.advance(500);
    expect(calls.map((c) => c.url)).toEqual(['ws://h/play?ticket=t0', 'ws://h2/play?ticket=t1']);
  });

  it('announces failed attempts (never opened) separately from drops of an open socket', async () => {
    const { timers, log } = setup({ resume: async (matchId) => ({ matchId, url: 'ws://h/play', ticket: 't1' }) });
    FakeSocket.last().drop(1006); // the very first attempt fails
    expect(log).toEqual(['attemptFailed {"attempt":0,"url":"ws://h/play?ticket=t0","code":1006,"reason":""}', 'reconnecting {"attempt":1,"delayMs":500,"code":1006,"reason":""}']);
    await timers.advance(500);
    FakeSocket.last().open();
    FakeSocket.last().drop(1001, 'going away');
    expect(log.slice(2)).toEqual([
      'connect {"url":"ws://h/play?ticket=t1"}',
      'disconnect {"code":1001,"reason":"going away"}',
      'reconnecting {"attempt":1,"delayMs":500,"code":1001,"reason":"going away"}',
    ]);
  });

  it('lets a transport policy switch sockets after two failed attempts (the hook a fallback uses)', async () => {
    class OtherSocket extends FakeSocket {
      readonly transport = 'other';
    }
    let failures = 0;
    const createSocket: SocketFactory = (url, protocols) => (failures >= 2 ? new OtherSocket(url, protocols) : FakeSocket.create(url, protocols));
    const { conn, timers } = setup({ createSocket });
    conn.on('attemptFailed', () => failures++);
    expect(conn.transport).toBe('websocket');
    FakeSocket.last().drop(1006);
    await timers.advance(500);
    FakeSocket.last().drop(1006);
    await timers.advance(1000);
    expect(FakeSocket.last()).toBeInstanceOf(OtherSocket);
    FakeSocket.last().open();
    expect(conn.state).toBe('open');
    expect(conn.transport).toBe('other');
  });

  it('counts a factory that throws as a failed attempt and retries', async () => {
    let throws = true;
    const { conn, timers, log } = setup({
      createSocket: (url, protocols) => {
        if (throws) throw new Error('blocked by policy');
        return FakeSocket.create(url, protocols);
      },
      resume: undefined,
    });
    expect(log[0]).toBe('error {"message":"cannot open a socket: blocked by policy"}');
    expect(log[1]).toContain('attemptFailed');
    expect(conn.state).toBe('reconnecting');
    throws = false;
    await timers.advance(500);
    FakeSocket.last().open();
    // Without `resume` the same endpoint is opened again.
    expect(FakeSocket.last().url).toBe('ws://h/play?ticket=t0');
    expect(conn.state).toBe('open');
  });

  it('the default factory is the global WebSocket, and names the fix where there is none', () => {
    vi.stubGlobal('WebSocket', undefined);
    expect(() => defaultSocketFactory()).toThrow(/socketFactoryOf\(WebSocket\).*'ws'/);
    vi.stubGlobal('WebSocket', FakeSocket);
    FakeSocket.all = [];
    defaultSocketFactory()('ws://h/x', ['p']);
    expect(FakeSocket.last().url).toBe('ws://h/x');
  });
});

describe('the same machine as a seatless stream', () => {
  const stream = (o: Partial<ConnectionOptions> = {}) =>
    setup({ endpoint: { url: 'ws://h/lobby' }, finalCodes: STREAM_FINAL_CODES, maxAttempts: Infinity, linkHealth: false, ...o });

  it('has no link checks: a silent open socket stays open', async () => {
    const { conn, timers } = stream();
    FakeSocket.last().open();
    await timers.advance(60_000);
    expect(conn.state).toBe('open');
    expect(conn.linkState).toBe('ok');
    expect(FakeSocket.all).toHaveLength(1);
  });

  it('while a match connection gives a silent socket up after 5 s and resumes', async () => {
    const { conn, timers, log } = setup({ resume: async (matchId) => ({ matchId, url: 'ws://h/play', ticket: 't1' }) });
    FakeSocket.last().open();
    FakeSocket.last().receive(encodeServer({ type: ServerType.Pong, t: 1, serverTime: 2 }));
    await timers.advance(5200);
    expect(log).toContain('disconnect {"code":1006,"reason":"no frames from the server for 5 s"}');
    expect(conn.state).toBe('reconnecting');
  });

  it('retries a draining server forever but stops on an auth refusal, flagged unauthorized', async () => {
    const { conn, timers, log } = stream();
    FakeSocket.last().open();
    for (let i = 0; i < 15; i++) {
      FakeSocket.last().drop(CloseCode.ServerDraining);
      await timers.advance(8000);
      FakeSocket.last().open();
    }
    expect(conn.reconnects).toBe(15);
    FakeSocket.last().drop(CloseCode.TokenExpired);
    expect(conn.state).toBe('closed');
    expect(JSON.parse(log.at(-1)!.slice('close '.length))).toMatchObject({ code: CloseCode.TokenExpired, unauthorized: true, gone: false });
  });

  it('asks verifyToken after a socket that never opened, and ends unauthorized on false', async () => {
    const { conn, log } = stream({ verifyToken: async () => false });
    FakeSocket.last().drop(1006);
    await settle();
    expect(conn.state).toBe('closed');
    expect(log.filter((l) => l.startsWith('reconnecting'))).toEqual(['reconnecting {"attempt":1,"delayMs":0,"code":1006,"reason":""}']);
    expect(JSON.parse(log.at(-1)!.slice('close '.length))).toMatchObject({ code: CloseCode.Unauthorized, unauthorized: true });
  });
});
