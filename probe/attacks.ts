/**
 * The attacks the probe runs, each against the live target and each reporting what it sent,
 * how the server closed it (by code) and how many attempts were accepted when they must not
 * be. "Accepted" is the failure the probe exists to catch: a hostile frame that leaves its
 * socket open, a forged token that upgrades, a flood that holds more seats than the limits allow.
 */
import net from 'node:net';
import { encode } from '@msgpack/msgpack';
import WebSocket from 'ws';
import { ClientType, encodeClient, SUBPROTOCOL } from '../protocol/index.js';
import { hs256Jwt, unsignedJwt, claims } from '../test/support/jwtCraft.js';
import { StalledSocket } from '../test/support/stalledSocket.js';
import { PROBE_ADMIN_SECRET, PROBE_SECRET, type Target } from './target.js';

export interface AttackResult {
  name: string;
  sent: number;
  closes: Map<string, number>;
  accepted: number;
  note: string;
}

const result = (name: string): AttackResult => ({ name, sent: 0, closes: new Map(), accepted: 0, note: '' });
const count = (r: AttackResult, code: string | number) => r.closes.set(String(code), (r.closes.get(String(code)) ?? 0) + 1);

let addr = 1;
/** A guest from its own (proxy-reported) address. */
export async function guestFrom(t: Target, name: string, address = `10.0.${(addr >> 8) & 255}.${addr++ & 255}`): Promise<{ status: number; token?: string; id?: string }> {
  const r = await fetch(`${t.http}/api/auth/guest`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': address }, body: JSON.stringify({ name }) });
  const body = (await r.json()) as { token?: string; player?: { id: string } };
  return { status: r.status, token: body.token, id: body.player?.id };
}

export async function matchmakeAs(t: Target, token: string): Promise<{ status: number; url?: string; ticket?: string; matchId?: string }> {
  const r = await fetch(`${t.http}/api/matchmake`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: '{"mode":"arena"}' });
  return { status: r.status, ...((await r.json()) as object) };
}

/** Opens a WebSocket; resolves with it once open, or with the refusal status. */
function openWs(url: string, token: string | null, protocols = [SUBPROTOCOL]): Promise<{ ws?: WebSocket; status?: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, protocols, token ? { headers: { authorization: `Bearer ${token}` } } : {});
    ws.once('open', () => resolve({ ws }));
    ws.once('unexpected-response', (_q, res) => resolve({ status: res.statusCode }));
    ws.once('error', () => resolve({ status: 0 }));
  });
}

function closeOf(ws: WebSocket, timeoutMs: number): Promise<number | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), timeoutMs);
    ws.once('close', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

/** Hostile but well-framed WebSocket messages on /play: each must close its socket. */
export async function hostileFrames(t: Target, rounds: number): Promise<AttackResult> {
  const r = result('hostile frames (/play)');
  // 300 nested one-element arrays (msgpack fixarray 0x91), ending in nil.
  const deep = Uint8Array.from([...new Array(300).fill(0x91), 0xc0]);
  const frames: Array<Uint8Array | string> = [
    'text frame',
    new Uint8Array(0),
    encode({ type: 1 }),
    encode([99, 1, 2]),
    encode([ClientType.Input, -1, 0, 0, 0]),
    encode([ClientType.Input, 1, 255, 70000, 0]),
    encode([ClientType.Ping, Number.NaN]),
    encode([ClientType.Chat, '']),
    encode([ClientType.Request, 1, 'x'.repeat(500), {}]),
    deep,
    new Uint8Array(2048),
    new Uint8Array(64 * 1024),
    Uint8Array.from({ length: 300 }, (_, i) => (i * 7919) & 255),
  ];
  for (let round = 0; round < rounds; round++) {
    for (const frame of frames) {
      const g = await guestFrom(t, 'Fuzz');
      const mm = await matchmakeAs(t, g.token!);
      const { ws } = await openWs(`${mm.url}?ticket=${encodeURIComponent(mm.ticket!)}`, g.token!);
      if (!ws) {
        r.note = 'could not connect';
        continue;
      }
      ws.send(frame);
      r.sent++;
      const code = await closeOf(ws, 3000);
      if (code === null) {
        r.accepted++;
        ws.terminate();
      } else count(r, code);
    }
  }
  return r;
}

/** Raw-TCP framing violations after a valid upgrade: each must end the connection. */
export async function framingAttacks(t: Target): Promise<AttackResult> {
  const r = result('framing attacks (raw TCP)');
  const g = await guestFrom(t, 'Framer');
  const cases: Buffer[] = [
    Buffer.from([0x82, 0x05, 1, 2, 3, 4, 5]), // unmasked client frame
    Buffer.from([0x83, 0x80, 0, 0, 0, 0]), // reserved opcode 3
    Buffer.from([0x09 | 0x00, 0x80, 0, 0, 0, 0]), // fragmented ping (FIN clear on a control frame)
    Buffer.from([0xf2, 0x80, 0, 0, 0, 0]), // RSV bits set
    Buffer.from([0x89, 0xfe, 0x01, 0x00, 0, 0, 0, 0]), // 256-byte ping (control frames ≤ 125)
    Buffer.from([0x81, 0x82, 0, 0, 0, 0, 0xc3, 0x28]), // invalid UTF-8 text
    Buffer.from([0x82, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]), // 2^64-1 length
  ];
  // Trailing bytes, so a parser that waits for "the rest" of a frame (uWS reads every client
  // frame as masked, whatever its mask bit says) gets enough to decide.
  const padding = Buffer.alloc(64, 0x41);
  for (const bytes of cases) {
    r.sent++;
    const code = await new Promise<string | null>((resolve) => {
      const sock = net.connect(t.port, '127.0.0.1');
      let buf = Buffer.alloc(0);
      let upgraded = false;
      const timer = setTimeout(() => {
        sock.destroy();
        resolve(null);
      }, 3000);
      sock.on('error', () => {});
      sock.on('close', () => {
        clearTimeout(timer);
        const at = buf.indexOf(0x88);
        resolve(at >= 0 && buf.length >= at + 4 ? String(buf.readUInt16BE(at + 2)) : '1006');
      });
      sock.on('data', (d: Buffer) => {
        buf = Buffer.concat([buf, d]);
        if (!upgraded && buf.includes('\r\n\r\n')) {
          upgraded = true;
          buf = buf.subarray(buf.indexOf('\r\n\r\n') + 4);
          sock.write(Buffer.concat([bytes, padding]));
        }
      });
      sock.write(
        `GET /lobby HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n` +
          `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: ${SUBPROTOCOL}\r\nAuthorization: Bearer ${g.token}\r\n\r\n`,
      );
    });
    if (code === null) {
      r.accepted++;
      r.note += `still open after: ${bytes.subarray(0, 4).toString('hex')}… `;
    } else count(r, code);
  }
  return r;
}

/** Forged, expired, unsigned and misused credentials at the upgrade and the API: all refused. */
export async function authAttacks(t: Target): Promise<AttackResult> {
  const r = result('auth attacks');
  const now = Math.floor(Date.now() / 1000);
  const victim = await guestFrom(t, 'Victim');
  const mm = await matchmakeAs(t, victim.token!);
  const thief = await guestFrom(t, 'Thief');
  const tokens: Array<[string, string | null]> = [
    ['none', null],
    ['garbage', 'not.a.jwt'],
    ['alg none', unsignedJwt(claims('u_x', 'X'))],
    ['wrong secret', hs256Jwt(claims('u_x', 'X'), 'another-secret-0123456789')],
    ['expired', hs256Jwt({ sub: 'u_x', name: 'X', iat: now - 7200, exp: now - 3600 }, PROBE_SECRET)],
    ['no exp', hs256Jwt({ sub: 'u_x', name: 'X', iat: now }, PROBE_SECRET)],
    ['ten-year token', hs256Jwt({ sub: 'u_x', name: 'X', iat: now, exp: now + 10 * 365 * 86400 }, PROBE_SECRET)],
    ['admin secret as player key', hs256Jwt(claims('u_x', 'X'), PROBE_ADMIN_SECRET)],
  ];
  for (const [, token] of tokens) {
    for (const path of ['/lobby', `/play?ticket=${encodeURIComponent(mm.ticket!)}`]) {
      r.sent++;
      const o = await openWs(`${t.ws}${path}`, token);
      if (o.ws) {
        r.accepted++;
        o.ws.terminate();
      } else count(r, `HTTP ${o.status}`);
    }
    r.sent++;
    const api = await fetch(`${t.http}/api/matchmake`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: '{}' });
    if (api.status === 200) r.accepted++;
    else count(r, `HTTP ${api.status}`);
  }
  // A stolen ticket used by another user; a player token on /admin; a wrong subprotocol.
  const misuse: Array<[string, string, string[]]> = [
    [`${t.ws}/play?ticket=${encodeURIComponent(mm.ticket!)}`, thief.token!, [SUBPROTOCOL]],
    [`${t.ws}/admin`, victim.token!, [SUBPROTOCOL]],
    [`${t.ws}/lobby`, victim.token!, ['tickwire.v0']],
  ];
  for (const [url, token, protocols] of misuse) {
    r.sent++;
    const o = await openWs(url, token, protocols);
    if (o.ws) {
      r.accepted++;
      o.ws.terminate();
    } else count(r, `HTTP ${o.status}`);
  }
  return r;
}

/**
 * Ghost seats: one address mints guests and matchmakes each as fast as it can, and one user
 * matchmakes repeatedly; seats held must stay within the limits (one reservation per user,
 * guests per address), and a legitimate player from another address must still get in.
 */
export async function ghostSeatFlood(t: Target, durationMs: number, guestBurst: number): Promise<AttackResult> {
  const r = result('ghost-seat flood');
  const end = Date.now() + durationMs;
  const ghosts: string[] = [];
  while (Date.now() < end) {
    r.sent++;
    const g = await guestFrom(t, 'Ghost', '10.66.6.6');
    if (g.status !== 200) {
      count(r, `HTTP ${g.status}`);
      continue;
    }
    ghosts.push(g.token!);
    for (let i = 0; i < 20; i++) {
      r.sent++;
      const m = await matchmakeAs(t, g.token!);
      count(r, `HTTP ${m.status}`);
    }
  }
  const reserved = await t.metric('tickwire_seats{state="reserved"}');
  // Each ghost user may hold one reservation; the address may mint `guestBurst` users (plus refill).
  const allowed = guestBurst + Math.ceil(durationMs / 2000) + 4; // + refill, + the probe's own unredeemed tickets
  if (reserved > allowed) r.accepted += reserved - allowed;
  const legit = await guestFrom(t, 'Legit', '10.1.2.3');
  const seat = legit.token ? await matchmakeAs(t, legit.token) : { status: legit.status };
  if (seat.status !== 200) r.accepted++;
  r.note = `${ghosts.length} ghost users, ${reserved} reservations held; legit player: ${seat.status}`;
  return r;
}

/**
 * Slow consumers: sockets with a small receive buffer that never read, in matches whose
 * chat they flood themselves. The server's queues for them must stay bounded (RSS check in
 * the runner); a socket past the hard bound is closed with 4016.
 */
export async function slowConsumers(t: Target, sockets: number, durationMs: number): Promise<AttackResult & { stalled: StalledSocket[] }> {
  const r = { ...result('slow consumers'), stalled: [] as StalledSocket[] };
  for (let i = 0; i < sockets; i++) {
    const g = await guestFrom(t, `Slow${i}`);
    const mm = await matchmakeAs(t, g.token!);
    r.stalled.push(await StalledSocket.open(t.port, `/play?ticket=${encodeURIComponent(mm.ticket!)}`, g.token!));
  }
  const chat = encodeClient({ type: ClientType.Chat, text: 'z'.repeat(200) });
  const end = Date.now() + durationMs;
  while (Date.now() < end) {
    for (const s of r.stalled) s.send(chat);
    r.sent += r.stalled.length;
    await new Promise((res) => setTimeout(res, 120)); // under the 10/s chat limit per socket
  }
  const closed = await t.metric('tickwire_closes_total{code="4016"}');
  if (closed > 0) r.closes.set('4016', closed);
  // The kernel takes the first ~2–4 MB per socket before uWS queues anything, so a short run
  // rarely reaches the 512 KiB bound: test/security/slowConsumer.test.ts proves the 4016.
  r.note = `${sockets} non-reading sockets for ${Math.round(durationMs / 1000)} s (RSS bound below)`;
  return r;
}
