/**
 * Findings 1, 3 and 9 (join codes) against a real server with a manual clock: ghost seats
 * cannot pile up (guest sign-ups per address, matchmakes per user, one live reservation
 * per user), a second matchmake keeps the seat, /readyz and metrics tell reserved from
 * seated and report "full", per-user connection and stream caps, join-code guessing.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../server/clock.js';
import { matchmake, postJson } from '../support/api.js';
import { PlayClient } from '../support/playClient.js';
import { startTestServer } from '../support/testServer.js';

const clock = new ManualClock();
let server: Awaited<ReturnType<typeof startTestServer>>;
const clients: PlayClient[] = [];

beforeAll(async () => {
  server = await startTestServer(
    {
      maxMatches: 2,
      maxPlayersPerMatch: 2,
      ticketTtlMs: 15_000,
      trustedProxyHeader: 'x-forwarded-for',
      limits: {
        guestSignupsPerAddress: { perMinute: 6, burst: 3 },
        matchmakesPerUser: { perMinute: 6, burst: 3 },
        joinCodeAttemptsPerUser: { perMinute: 6, burst: 2 },
        streamTicketsPerUser: { perMinute: 6, burst: 3 },
        invitesPerUser: { perMinute: 6, burst: 1 },
        connectionsPerUserPerNamespace: 2,
        eventStreamsPerUser: 1,
      },
    },
    { clock },
  );
});

afterEach(() => {
  for (const c of clients.splice(0)) c.close();
  server.rooms.disposeAll();
  // Let every per-user and per-address bucket refill between tests.
  clock.advance(120_000);
});

afterAll(async () => {
  await server?.close();
});

/** A guest from its own address (through the trusted proxy header), so sign-up limits stay out of the way. */
let nextAddress = 10;
async function guestAt(name: string): Promise<{ token: string; id: string }> {
  const r = await signUp(name, `192.0.2.${nextAddress++}`);
  const body = await r.json();
  if (r.status !== 200) throw new Error(`guest failed: ${r.status}`);
  return { token: body.token, id: body.player.id };
}

function signUp(name: string, address: string) {
  return fetch(`${server.http}/api/auth/guest`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': `203.0.113.99, ${address}` },
    body: JSON.stringify({ name }),
  });
}

async function readyz(): Promise<{ status: number; body: any }> {
  const r = await fetch(`${server.http}/readyz`);
  return { status: r.status, body: await r.json() };
}

async function metric(name: string): Promise<number> {
  const text = await (await fetch(`${server.http}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(name));
  return line ? Number(line.split(' ').pop()) : 0;
}

describe('guest sign-ups per address', () => {
  it('answers 429 with Retry-After past the burst, per address from the trusted proxy header', async () => {
    for (let i = 0; i < 3; i++) expect((await signUp(`A${i}`, '198.51.100.1')).status).toBe(200);
    const refused = await signUp('A3', '198.51.100.1');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await refused.json()).error).toMatch(/guest sign-ups/);
    // Another address behind the same proxy is unaffected; the forged first entry is ignored.
    expect((await signUp('B0', '198.51.100.2')).status).toBe(200);
    expect(await metric('tickwire_limit_hits_total{limit="guest_signups"}')).toBeGreaterThanOrEqual(1);
    clock.advance(10_000); // 6/min: one token back after 10 s
    expect((await signUp('A4', '198.51.100.1')).status).toBe(200);
  });
});

describe('seat reservations', () => {
  it('one user holds one reservation however often they matchmake; the rate limit answers 429', async () => {
    const { token, id } = await guestAt('Ghost');
    const first = await matchmake(server.http, token);
    const second = await matchmake(server.http, token);
    const third = await matchmake(server.http, token);
    expect(new Set([first.matchId, second.matchId, third.matchId]).size).toBe(1);
    expect(server.rooms.get(first.matchId)!.seatCount).toBe(1);
    expect(server.rooms.get(first.matchId)!.seatOf(id)?.status).toBe('reserved');
    const limited = await postJson(`${server.http}/api/matchmake`, { mode: 'arena' }, token);
    expect(limited.status).toBe(429);
    expect(limited.body.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    // Only the newest ticket is live.
    await expect(PlayClient.connect(first.url, token, first.ticket)).rejects.toMatchObject({ status: 403 });
    const c = await PlayClient.connect(third.url, token, third.ticket);
    clients.push(c);
    await c.waitFor(() => c.welcome, 'welcome');
  });

  it('a second matchmake keeps the seat: the first ticket expiring does not release it (finding 3)', async () => {
    const { token } = await guestAt('Twice');
    const first = await matchmake(server.http, token);
    clock.advance(10_000);
    const second = await matchmake(server.http, token);
    expect(second.matchId).toBe(first.matchId);
    clock.advance(6_000); // the first ticket's 15 s are over
    expect(server.rooms.get(first.matchId)).toBeDefined();
    const c = await PlayClient.connect(second.url, token, second.ticket);
    clients.push(c);
    await c.waitFor(() => c.welcome, 'welcome');
    expect(c.welcome!.matchId).toBe(first.matchId);
  });

  it('/readyz says full while reservations take every seat, and metrics split reserved from seated', async () => {
    expect((await readyz()).status).toBe(200);
    const users = [];
    for (let i = 0; i < 4; i++) users.push(await guestAt(`Fill${i}`));
    const seats = [];
    for (const u of users) seats.push(await matchmake(server.http, u.token));
    // 2 matches × 2 seats, all reserved by tickets nobody redeemed.
    const full = await readyz();
    expect(full.status).toBe(503);
    expect(full.body).toMatchObject({ status: 'full', seats: { reserved: 4, seated: 0, free: 0 } });
    const late = await guestAt('Late');
    expect((await postJson(`${server.http}/api/matchmake`, { mode: 'arena' }, late.token)).status).toBe(503);
    const c = await PlayClient.connect(seats[0].url, users[0].token, seats[0].ticket);
    clients.push(c);
    await c.waitFor(() => c.welcome, 'welcome');
    expect(await metric('tickwire_seats{state="reserved"}')).toBe(3);
    expect(await metric('tickwire_seats{state="seated"}')).toBe(1);
    // Unredeemed tickets expire and free their seats: ready again.
    clock.advance(15_001);
    const after = await readyz();
    expect(after.status).toBe(200);
    expect(after.body.seats).toMatchObject({ reserved: 0, seated: 1 });
  });
});

describe('per-user connections and streams', () => {
  it('refuses a third /lobby socket of one user with 429 before the upgrade', async () => {
    const { token } = await guestAt('Tabs');
    clients.push(await PlayClient.open(`${server.ws}/lobby`, token), await PlayClient.open(`${server.ws}/lobby`, token));
    await expect(PlayClient.open(`${server.ws}/lobby`, token)).rejects.toMatchObject({ status: 429 });
    expect(await metric('tickwire_limit_hits_total{limit="connections_lobby"}')).toBeGreaterThanOrEqual(1);
    // Closing one frees a slot.
    const one = clients.pop()!;
    one.ws.close();
    await one.waitForClose();
    clients.push(await PlayClient.open(`${server.ws}/lobby`, token));
  });

  it('limits stream tickets per user', async () => {
    const { token } = await guestAt('Tickets');
    for (let i = 0; i < 3; i++) expect((await postJson(`${server.http}/api/events/ticket`, {}, token)).status).toBe(200);
    const limited = await postJson(`${server.http}/api/events/ticket`, {}, token);
    expect(limited.status).toBe(429);
    expect(await metric('tickwire_limit_hits_total{limit="stream_tickets"}')).toBeGreaterThanOrEqual(1);
  });

  it('refuses a second SSE stream of one user with 429', async () => {
    const { token } = await guestAt('Streams');
    const ticket = async () => (await postJson(`${server.http}/api/events/ticket`, {}, token)).body.ticket as string;
    const ac = new AbortController();
    try {
      const first = await fetch(`${server.http}/api/events?ticket=${await ticket()}`, { signal: ac.signal });
      expect(first.status).toBe(200);
      const second = await fetch(`${server.http}/api/events?ticket=${await ticket()}`);
      expect(second.status).toBe(429);
      expect(second.headers.get('retry-after')).toBeTruthy();
    } finally {
      ac.abort();
    }
  });
});

describe('invites', () => {
  it('limits invites per user', async () => {
    const host = await guestAt('Host');
    const r = await postJson(`${server.http}/api/matches`, { private: true }, host.token);
    expect(r.status).toBe(201);
    const target = await guestAt('Target');
    expect((await postJson(`${server.http}/api/invite`, { playerId: target.id }, host.token)).status).toBe(200);
    const limited = await postJson(`${server.http}/api/invite`, { playerId: target.id }, host.token);
    expect(limited.status).toBe(429);
    expect(limited.body.error).toMatch(/invites/);
  });
});

describe('join codes', () => {
  it('limits code attempts per user (matchmake and spectate)', async () => {
    const { token } = await guestAt('Guesser');
    expect((await postJson(`${server.http}/api/matchmake`, { code: 'ABCDEF' }, token)).status).toBe(404);
    expect((await postJson(`${server.http}/api/matchmake`, { code: 'ABCDEG' }, token)).status).toBe(404);
    const limited = await postJson(`${server.http}/api/matchmake`, { code: 'ABCDEH' }, token);
    expect(limited.status).toBe(429);
    expect(limited.body.error).toMatch(/join-code/);
    await expect(PlayClient.open(`${server.ws}/spectate?match=nope&code=ABCDEF`, token)).rejects.toMatchObject({ status: 429 });
    expect(await metric('tickwire_limit_hits_total{limit="join_codes"}')).toBeGreaterThanOrEqual(2);
  });
});
