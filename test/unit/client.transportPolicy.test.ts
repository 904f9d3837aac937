/**
 * The client's transport choice with scripted sockets and a manual clock: two failed
 * WebSocket attempts → long-polling, `?transport=…`, a page without WebSocket, the
 * background probe and the move of a live connection back to WebSocket.
 */
import { describe, expect, it } from 'vitest';
import { Connection, type SocketFactory } from '../../client/index.js';
import { TransportPolicy } from '../../client/transport/transportPolicy.js';
import { FakeSocket, ManualTimers } from '../support/fakeSocket.js';

class FakePolling extends FakeSocket {
  readonly transport = 'polling';
}
class FakeProbe extends FakeSocket {
  static probes: FakeProbe[] = [];
  constructor(url: string, protocols?: string | string[]) {
    super(url, protocols);
    FakeProbe.probes.push(this);
  }
}

function setup(search = '', webSocket: SocketFactory | null = FakeSocket.create) {
  FakeSocket.all = [];
  FakeProbe.probes = [];
  const timers = new ManualTimers();
  const policy = new TransportPolicy({
    search,
    webSocket,
    probeSocket: webSocket ? (url, protocols) => new FakeProbe(url, protocols) : null,
    polling: (url, protocols) => new FakePolling(url, protocols),
    timers,
  });
  const resumes: string[] = [];
  const conn = new Connection({
    createSocket: policy.createSocket,
    token: 'jwt',
    endpoint: { matchId: 'm1', url: 'ws://h/play', ticket: 't0' },
    resume: async (matchId: string) => {
      resumes.push(matchId);
      return { matchId, url: 'ws://h/play', ticket: `t${resumes.length}` };
    },
    timers,
    random: () => 0.5,
    // The scripted sockets deliver no frames: keep the silence watchdog out of the way.
    linkHealth: { unstableAfterMs: 1e9, lostAfterMs: 1e9 },
  });
  policy.watch(conn);
  const last = () => FakeSocket.all.filter((x) => !(x instanceof FakeProbe)).at(-1)!;
  return { policy, conn, timers, last, resumes };
}

describe('transport policy', () => {
  it('falls back to long-polling after two WebSocket attempts fail before opening', async () => {
    const { policy, conn, timers, last } = setup();
    conn.connect();
    expect(last()).not.toBeInstanceOf(FakePolling);
    last().drop(1006);
    await timers.advance(500);
    expect(policy.current).toBe('websocket');
    last().drop(1006);
    expect(policy.current).toBe('polling');
    await timers.advance(1000);
    expect(last()).toBeInstanceOf(FakePolling);
    last().open();
    expect(conn.state).toBe('open');
    expect(conn.transport).toBe('polling');
  });

  it('a WebSocket that opens resets the failure count', async () => {
    const { policy, conn, timers, last } = setup();
    conn.connect();
    last().drop(1006); // failure 1
    await timers.advance(500);
    last().open();
    expect(conn.transport).toBe('websocket');
    last().drop(1006); // opened, then dropped: not an upgrade failure
    await timers.advance(500);
    last().drop(1006); // failure 1 again
    expect(policy.current).toBe('websocket');
  });

  it('?transport=polling starts on polling and never probes; ?transport=websocket never falls back', async () => {
    const forced = setup('?transport=polling');
    forced.conn.connect();
    expect(forced.last()).toBeInstanceOf(FakePolling);
    await forced.timers.advance(300_000);
    expect(FakeProbe.probes).toHaveLength(0);

    const ws = setup('?transport=websocket');
    ws.conn.connect();
    ws.last().drop(1006);
    await ws.timers.advance(500);
    ws.last().drop(1006);
    await ws.timers.advance(1000);
    expect(ws.last()).not.toBeInstanceOf(FakePolling);
    expect(ws.policy.current).toBe('websocket');
  });

  it('a page without WebSocket plays over polling from the start', () => {
    const { conn, last } = setup('', null);
    conn.connect();
    expect(last()).toBeInstanceOf(FakePolling);
  });

  it('probes WebSocket in the background (10 s, doubling) and moves the live seat over when one opens', async () => {
    const { policy, conn, timers, last, resumes } = setup();
    conn.connect();
    last().drop(1006);
    await timers.advance(500);
    last().drop(1006);
    await timers.advance(1000);
    last().open();
    expect(conn.transport).toBe('polling');
    const reconnecting: unknown[] = [];
    conn.on('reconnecting', (e) => reconnecting.push(e));

    await timers.advance(10_000);
    expect(FakeProbe.probes).toHaveLength(1);
    expect(FakeProbe.probes[0].url).toBe('ws://h/lobby');
    expect(FakeProbe.probes[0].protocols).toEqual(['tickwire.v2', 'bearer.jwt']);
    FakeProbe.probes[0].drop(1006); // still blocked: next probe in 20 s
    await timers.advance(19_999);
    expect(FakeProbe.probes).toHaveLength(1);
    await timers.advance(1);
    expect(FakeProbe.probes).toHaveLength(2);

    const polling = last();
    const resumed = resumes.length; // the two retries after the failed attempts
    FakeProbe.probes[1].open();
    expect(FakeProbe.probes[1].closedByClient).toBe(true);
    expect(policy.current).toBe('websocket');
    expect(polling.closedByClient).toBe(true);
    await timers.advance(0);
    expect(resumes.length).toBe(resumed + 1);
    expect(last()).not.toBeInstanceOf(FakePolling);
    last().open();
    expect(conn.transport).toBe('websocket');
    expect(conn.state).toBe('open');
    expect(reconnecting).toEqual([]); // no "Reconnecting…" overlay for an upgrade
  });
});
