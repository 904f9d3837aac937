/**
 * The snapshot fan-out writes every receiver's frame in place in one reused buffer and
 * overwrites it as soon as `publish` / `send` returns (server/rooms/snapshotFanout.ts). That
 * is only safe because uWS copies what it is given before returning, whether it writes at
 * once (a timer: the timer-driven tick) or buffers while corked (inside a socket handler:
 * the ticks `TickScheduler.poll` runs after a frame). This test holds the loaded uWS build
 * to that: it overwrites the buffer right after each call and checks what the clients read.
 */
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { loadUws, type TemplatedApp, type WebSocket as UwsSocket } from '../../server/uws.js';
import { COMPRESSION_DISABLED, LISTEN_EXCLUSIVE_PORT } from '../../server/uwsTypes.js';

const uWS = loadUws();
const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

interface Client {
  ws: WebSocket;
  got: Buffer[];
}

async function serve(onMessage: (app: TemplatedApp, ws: UwsSocket<unknown>) => void): Promise<{ app: TemplatedApp; port: number; sockets: UwsSocket<unknown>[] }> {
  const app = uWS.App();
  const sockets: UwsSocket<unknown>[] = [];
  app.ws('/*', {
    compression: COMPRESSION_DISABLED,
    maxPayloadLength: 1 << 20,
    maxBackpressure: 1 << 24,
    open: (ws) => {
      ws.subscribe(`t${sockets.length}`);
      sockets.push(ws);
    },
    message: (ws) => onMessage(app, ws),
  });
  const listen = await new Promise<unknown>((resolve) => app.listen('127.0.0.1', 0, LISTEN_EXCLUSIVE_PORT, resolve));
  if (!listen) throw new Error('listen failed');
  cleanups.push(() => uWS.us_listen_socket_close(listen as never));
  return { app, port: uWS.us_socket_local_port(listen as never), sockets };
}

async function connect(port: number, sockets: unknown[]): Promise<Client> {
  const n = sockets.length;
  const ws = new WebSocket(`ws://127.0.0.1:${port}/`);
  const c: Client = { ws, got: [] };
  ws.on('message', (d: Buffer) => c.got.push(Buffer.from(d)));
  await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
  cleanups.push(() => ws.terminate());
  // Subscribed once the server's open handler ran.
  while (sockets.length === n) await new Promise((r) => setTimeout(r, 5));
  return c;
}

async function until(pred: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400 && !pred(); i++) await new Promise((r) => setTimeout(r, 5));
  if (!pred()) throw new Error(`timed out waiting for ${what}`);
}

/** Publishes and sends views of one buffer, overwriting it after each call, as the fan-out does. */
function fanOut(app: TemplatedApp, sockets: UwsSocket<unknown>[], size: number): void {
  const buf = new Uint8Array(size + 16);
  buf.fill(1);
  app.publish('t0', buf.subarray(0, size), true);
  buf.fill(2);
  app.publish('t1', buf.subarray(0, size + 1), true);
  buf.fill(3);
  sockets[0].send(buf.subarray(0, size + 2), true);
  buf.fill(4);
  sockets[1].send(buf.subarray(0, size + 3), true);
  buf.fill(9);
}

function expectFrames(a: Client, b: Client, size: number): void {
  expect(a.got.map((f) => [f.length, new Set(f).size, f[0]])).toEqual([
    [size, 1, 1],
    [size + 2, 1, 3],
  ]);
  expect(b.got.map((f) => [f.length, new Set(f).size, f[0]])).toEqual([
    [size + 1, 1, 2],
    [size + 3, 1, 4],
  ]);
}

describe('uWS copies a frame before publish and send return', () => {
  for (const size of [90, 200_000]) {
    it(`from a timer (the timer's tick), ${size} B frames`, async () => {
      const s = await serve(() => {});
      const a = await connect(s.port, s.sockets);
      const b = await connect(s.port, s.sockets);
      await new Promise<void>((resolve) => setTimeout(() => (fanOut(s.app, s.sockets, size), resolve()), 1));
      await until(() => a.got.length === 2 && b.got.length === 2, 'frames');
      expectFrames(a, b, size);
    });

    it(`inside a socket handler (a tick run after a frame, corked), ${size} B frames`, async () => {
      const s = await serve((app) => fanOut(app, s.sockets, size));
      const a = await connect(s.port, s.sockets);
      const b = await connect(s.port, s.sockets);
      a.ws.send(Buffer.from([0]));
      await until(() => a.got.length === 2 && b.got.length === 2, 'frames');
      expectFrames(a, b, size);
    });
  }
});
