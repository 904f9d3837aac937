/**
 * Finding 6: /lobby, /admin and /spectate close sockets that neither complete a frame nor
 * answer uWS's pings within the idle window (4017) — so bytes trickled into a frame that
 * never completes cannot hold a socket — while an idle client that answers pings (every
 * browser and `ws` does) stays. Real clock: uWS pings every idleTimeout/2 on its own timer.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientType, CloseCode, SUBPROTOCOL } from '../../protocol/index.js';
import { mintAdminToken } from '../../server/auth/tokens.js';
import { guest, matchmake } from '../support/api.js';
import { Conditions } from '../support/conditions.js';
import { PlayClient } from '../support/playClient.js';
import { startTestServer } from '../support/testServer.js';

const ADMIN_SECRET = 'admin-secret-for-tests-0123456789';
const IDLE_S = 8;
let server: Awaited<ReturnType<typeof startTestServer>>;
const cleanup: Array<() => void> = [];

beforeAll(async () => {
  server = await startTestServer({ idleTimeoutSeconds: IDLE_S, adminSecret: ADMIN_SECRET });
});

afterAll(async () => {
  for (const fn of cleanup) fn();
  await server?.close();
});

/** Upgrades a raw TCP socket, then sends a frame header and one more byte every 500 ms, never finishing it or answering pings. */
function trickler(path: string, token: string): Promise<{ closeCode: () => Promise<number> }> {
  return new Promise((resolve, reject) => {
    const sock = net.connect(server.port, '127.0.0.1');
    const conditions = new Conditions();
    let buf = Buffer.alloc(0);
    let upgraded = false;
    let code: number | null = null;
    let timer: NodeJS.Timeout | undefined;
    cleanup.push(() => {
      clearInterval(timer);
      sock.destroy();
    });
    sock.on('error', reject);
    sock.on('close', () => {
      clearInterval(timer);
      code ??= 1006;
      conditions.notify();
    });
    sock.write(
      `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: ${SUBPROTOCOL}\r\n` +
        `Authorization: Bearer ${token}\r\n\r\n`,
    );
    sock.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (!upgraded) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        if (!buf.subarray(0, end).toString().startsWith('HTTP/1.1 101')) return reject(new Error(buf.toString()));
        upgraded = true;
        buf = buf.subarray(end + 4);
        // A masked binary frame announcing 200 bytes, then a byte at a time.
        sock.write(Buffer.from([0x82, 0x80 | 126, 0, 200]));
        timer = setInterval(() => sock.write(Buffer.from([0x41])), 500);
        resolve({ closeCode: () => conditions.waitFor(() => code, 'trickler close', (IDLE_S + 8) * 1000) });
      }
      // Server frames (unmasked), in order, until a close frame (opcode 8) gives its code.
      while (upgraded && buf.length >= 2) {
        let len = buf[1] & 0x7f;
        let at = 2;
        if (len === 126) {
          if (buf.length < 4) break;
          len = buf.readUInt16BE(2);
          at = 4;
        } else if (len === 127) {
          if (buf.length < 10) break;
          len = Number(buf.readBigUInt64BE(2));
          at = 10;
        }
        if (buf.length < at + len) break;
        if ((buf[0] & 0x0f) === 8) {
          code = len >= 2 ? buf.readUInt16BE(at) : 1005;
          conditions.notify();
        }
        buf = buf.subarray(at + len);
      }
    });
  });
}

describe('idle timeouts with ping/pong keepalive', () => {
  it(
    'closes tricklers on /lobby, /admin and /spectate with 4017; idle clients that answer pings stay',
    async () => {
      const { token } = await guest(server.http, 'Idle');
      const idleLobby = await PlayClient.open(`${server.ws}/lobby`, token);
      const adminToken = mintAdminToken(ADMIN_SECRET, 'ops', 600);
      const idleAdmin = await PlayClient.open(`${server.ws}/admin`, adminToken);
      cleanup.push(() => idleLobby.close(), () => idleAdmin.close());
      // A match to spectate: one player who keeps it alive with pings.
      const p = await guest(server.http, 'Player');
      const mm = await matchmake(server.http, p.token);
      const player = await PlayClient.connect(mm.url, p.token, mm.ticket);
      const keep = setInterval(() => player.send({ type: ClientType.Ping, t: 1 }), 1000);
      cleanup.push(() => clearInterval(keep), () => player.close());
      const idleSpectator = await PlayClient.open(`${server.ws}/spectate?match=${mm.matchId}`, token);
      cleanup.push(() => idleSpectator.close());
      const { token: t2 } = await guest(server.http, 'Trickle');
      const tricklers = await Promise.all([trickler('/lobby', t2), trickler('/admin', adminToken), trickler(`/spectate?match=${mm.matchId}`, t2)]);
      const codes = await Promise.all(tricklers.map((t) => t.closeCode()));
      expect(codes).toEqual([CloseCode.IdleTimeout, CloseCode.IdleTimeout, CloseCode.IdleTimeout]);
      // The silent-but-alive clients, connected before the tricklers, are still open.
      expect(idleLobby.closed).toBeNull();
      expect(idleAdmin.closed).toBeNull();
      expect(idleSpectator.closed).toBeNull();
    },
    (IDLE_S + 15) * 1000,
  );
});
