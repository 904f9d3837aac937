/**
 * Finding 5 and the HTTP limits: after refusing a body (too large 413, wrong type 415, too
 * slow 408) the server answers and closes the connection; a request target or headers over
 * the limit get 431 (also on WebSocket upgrades). Raw sockets, so the test sees exactly
 * what a client sees, including whether the connection stays open.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUBPROTOCOL } from '../../protocol/index.js';
import { Conditions } from '../support/conditions.js';
import { startTestServer } from '../support/testServer.js';

let server: Awaited<ReturnType<typeof startTestServer>>;

beforeAll(async () => {
  server = await startTestServer({ requestLimits: { maxTargetBytes: 2048, maxHeaderBytes: 8192, bodyTimeoutMs: 500 } });
});

afterAll(async () => {
  await server?.close();
});

/** Writes `parts` (the last may stay incomplete) and resolves once the server closed the connection. */
function exchange(...parts: Array<string | Buffer>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const sock = net.connect(server.port, '127.0.0.1');
    const conditions = new Conditions();
    let out = '';
    let closed = false;
    sock.on('data', (d) => (out += d.toString('latin1')));
    sock.on('error', () => {}); // a reset after the answer still counts as closed
    sock.on('close', () => {
      closed = true;
      conditions.notify();
    });
    for (const p of parts) sock.write(p);
    conditions
      .waitFor(() => closed, `server closing the connection (got ${out.slice(0, 80)})`, 8000)
      .then(() => resolve({ status: Number(out.slice(9, 12)), body: out.slice(out.indexOf('\r\n\r\n') + 4) }), (e) => {
        sock.destroy();
        reject(e);
      });
  });
}

const post = (headers: string, length: number) =>
  `POST /api/auth/guest HTTP/1.1\r\nHost: x\r\n${headers}Content-Length: ${length}\r\n\r\n`;

describe('request bodies', () => {
  it.each([10_000, 300_000, 2_000_000])('a %i-byte body gets 413 and the connection closes', async (size) => {
    const r = await exchange(post('Content-Type: application/json\r\n', size), Buffer.alloc(size, 0x20));
    expect(r.status).toBe(413);
    expect(r.body).toMatch(/larger than 4096 bytes/);
  });

  it('a body that is not JSON by its content type gets 415 and the connection closes', async () => {
    const r = await exchange(post('Content-Type: text/plain\r\n', 14), '{"name":"Ada"}');
    expect(r.status).toBe(415);
  });

  it('a body that stops arriving gets 408 at the deadline and the connection closes', async () => {
    const r = await exchange(post('Content-Type: application/json\r\n', 1000), '{"name":');
    expect(r.status).toBe(408);
  });

  it('a well-formed request still works on a kept-alive connection', async () => {
    const res = await fetch(`${server.http}/api/auth/guest`, { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8' }, body: '{"name":"Ada"}' });
    expect(res.status).toBe(200);
  });
});

describe('request line and headers', () => {
  it('a request target over 2048 bytes gets 431', async () => {
    const r = await exchange(`GET /healthz?${'a'.repeat(3000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect(r.status).toBe(431);
  });

  it('headers over 8192 bytes get 431', async () => {
    const r = await exchange(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(9000)}\r\n\r\n`);
    expect(r.status).toBe(431);
  });

  it('a WebSocket upgrade with oversized headers gets 431 before any auth work', async () => {
    const r = await exchange(
      `GET /lobby HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n` +
        `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: ${SUBPROTOCOL}\r\nAuthorization: Bearer ${'a'.repeat(9000)}\r\n\r\n`,
    );
    expect(r.status).toBe(431);
  });
});
