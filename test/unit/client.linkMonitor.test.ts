/** LinkMonitor: the check timer around LinkHealth, what it reports, and when it stops. */
import { describe, expect, it } from 'vitest';
import type { LinkState } from '../../client/index.js';
import { LinkMonitor } from '../../client/linkMonitor.js';
import { ManualTimers } from '../support/fakeSocket.js';

function monitor() {
  const timers = new ManualTimers();
  const states: LinkState[] = [];
  const lost: string[] = [];
  const link = new LinkMonitor(timers, undefined, 200, (s) => states.push(s));
  let current = true;
  let buffered = 0;
  const socket = {
    isCurrent: () => current,
    bufferedAmount: () => buffered,
    lost: (reason: string) => lost.push(reason),
  };
  return {
    timers,
    states,
    lost,
    link,
    socket,
    drop: () => (current = false),
    buffer: (n: number) => (buffered = n),
  };
}

describe('LinkMonitor', () => {
  it('reports ok on start, unstable after 600 ms of silence, ok again at the next frame', async () => {
    const m = monitor();
    m.link.start(m.socket);
    expect(m.states).toEqual(['ok']);
    await m.timers.advance(400);
    expect(m.link.state).toBe('ok');
    await m.timers.advance(200);
    expect(m.states).toEqual(['ok', 'unstable']);
    expect(m.link.episodes).toBe(1);
    m.link.frame(() => 0);
    expect(m.states).toEqual(['ok', 'unstable', 'ok']);
  });

  it('reports unstable while our own bytes pile up in the socket', async () => {
    const m = monitor();
    m.link.start(m.socket);
    m.buffer(513);
    await m.timers.advance(200);
    expect(m.link.state).toBe('unstable');
  });

  it('gives the socket up after 5 s without frames, and checks no more', async () => {
    const m = monitor();
    m.link.start(m.socket);
    await m.timers.advance(5000);
    expect(m.lost).toEqual(['no frames from the server for 5 s']);
    expect(m.timers.pending).toBe(0);
  });

  it('stops quietly once the socket is no longer current, and on stop()', async () => {
    const m = monitor();
    m.link.start(m.socket);
    m.drop();
    await m.timers.advance(10_000);
    expect(m.lost).toEqual([]);
    expect(m.states).toEqual(['ok']);
    expect(m.timers.pending).toBe(0);

    const n = monitor();
    n.link.start(n.socket);
    n.link.stop();
    expect(n.timers.pending).toBe(0);
  });
});
