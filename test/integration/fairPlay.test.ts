/**
 * Fair joins and match options against a real server:
 * - quick play never places a player in a match with less than --min-join-time-left of
 *   play left (the match clock is a ManualClock advanced by the test); the match list
 *   carries when each match ends (`endsAt`), which the lobby shows as time left;
 * - the creator of a match chooses bots on/off, seats (2 = a plain 1v1) and bot level;
 *   bad options are a 400 naming the field;
 * - in-match chat has the lobby's sanitizing and rate limit.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ClientType, CloseCode, ServerType } from '../../protocol/index.js';
import { ManualClock } from '../../server/clock.js';
import { guest, matchmake, postJson } from '../support/api.js';
import { PlayClient } from '../support/playClient.js';
import { startTestServer } from '../support/testServer.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;
const clients: PlayClient[] = [];
afterEach(() => {
  for (const c of clients.splice(0)) c.close();
});

async function play(server: Server, name: string, body: unknown = { mode: 'arena' }): Promise<{ client: PlayClient; matchId: string; token: string; id: string }> {
  const g = await guest(server.http, name);
  const mm = await matchmake(server.http, g.token, body);
  const client = await PlayClient.connect(mm.url, g.token, mm.ticket);
  clients.push(client);
  await client.waitFor(() => client.welcome, 'welcome');
  return { client, matchId: mm.matchId, token: g.token, id: g.id };
}

describe('fair joins (manual match clock)', () => {
  const clock = new ManualClock();
  let server: Server;
  beforeAll(async () => {
    server = await startTestServer(
      {
        minJoinTimeLeftMs: 30_000,
        idleTimeoutSeconds: 960,
        ticketTtlMs: 600_000,
        arena: { map: 'open', countdownSeconds: 0, minPlayers: 1, matchSeconds: 60 },
      },
      { clock },
    );
  });
  afterAll(async () => {
    await server?.close();
  });

  it('quick play skips a match with less than 30 s left and opens another; the list says when each ends', async () => {
    const a = await play(server, 'Early');
    const room = server.rooms.get(a.matchId)!;
    clock.advance(100);
    expect(room.msLeft).toBeLessThanOrEqual(60_000);
    expect(room.msLeft).toBeGreaterThan(59_000);

    clock.advance(29_000); // ≈ 30.9 s left: still a fair join
    const b = await guest(server.http, 'OnTime');
    expect((await matchmake(server.http, b.token)).matchId).toBe(a.matchId);

    clock.advance(1_500); // ≈ 29.4 s left: not offered any more
    expect(room.msLeft).toBeLessThan(30_000);
    expect(room.joinable).toBe(true); // it has seats: only the time left keeps C out
    const c = await guest(server.http, 'TooLate');
    const late = await matchmake(server.http, c.token);
    expect(late.matchId).not.toBe(a.matchId);

    // The lobby's list: endsAt on the server's wall clock (whole seconds), 0 before play.
    const list = (await (await fetch(`${server.http}/api/matches`)).json()) as { matches: Array<{ id: string; endsAt: number; phase: string }> };
    const running = list.matches.find((m) => m.id === a.matchId)!;
    expect(running.phase).toBe('playing');
    expect(Math.abs(running.endsAt - (clock.wallNow() + room.msLeft))).toBeLessThanOrEqual(1000);
    expect(running.endsAt % 1000).toBe(0);
    expect(list.matches.find((m) => m.id === late.matchId)!.endsAt).toBe(0);

    // A join by code or a resume ignores the rule: the player asked for that match.
    const resumed = await postJson(`${server.http}/api/matchmake`, { resume: a.matchId }, a.token);
    expect(resumed.status).toBe(200);
  });
});

describe('match options and in-match chat', () => {
  let server: Server;
  beforeAll(async () => {
    server = await startTestServer({ botFillDelayMs: 0, arena: { map: 'open', countdownSeconds: 600 } });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('a private 1v1 without bots: two seats, no bot ever, a third player is refused', async () => {
    const host = await guest(server.http, 'Host');
    const created = await postJson(`${server.http}/api/matches`, { mode: 'arena', private: true, bots: false, seats: 2 }, host.token);
    expect(created.status).toBe(201);
    const code = created.body.code as string;
    const hostClient = await PlayClient.connect(created.body.url, host.token, created.body.ticket);
    clients.push(hostClient);
    await hostClient.waitFor(() => hostClient.welcome, 'welcome');
    const room = server.rooms.get(created.body.matchId)!;
    expect(room.maxPlayers).toBe(2);
    const friend = await play(server, 'Friend', { code });
    expect(friend.matchId).toBe(room.id);
    await friend.client.waitFor(() => friend.client.of(ServerType.Roster).some((r) => r.players.length === 2), 'both on the roster');
    expect(room.botCount).toBe(0);
    const third = await guest(server.http, 'Third');
    const refused = await postJson(`${server.http}/api/matchmake`, { code }, third.token);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toBe('match full');
    expect(room.botCount).toBe(0);
  });

  it('bots on by default fill the seats chosen, at the level chosen', async () => {
    const host = await guest(server.http, 'Botty');
    const created = await postJson(`${server.http}/api/matches`, { mode: 'arena', private: true, seats: 3, botSkill: 'easy' }, host.token);
    expect(created.status).toBe(201);
    const client = await PlayClient.connect(created.body.url, host.token, created.body.ticket);
    clients.push(client);
    await client.waitFor(() => client.of(ServerType.Roster).some((r) => r.players.length === 3), 'two bots join');
    const room = server.rooms.get(created.body.matchId)!;
    expect(room.botCount).toBe(2);
    expect(room.matchConfig().maxPlayers).toBe(3);
  });

  it('refuses bad options with a 400 naming the field', async () => {
    const g = await guest(server.http, 'Typo');
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ bots: 'no' }, /bots must be true or false/],
      [{ seats: 1 }, /seats must be an integer from 2 to 8/],
      [{ seats: 9 }, /seats must be an integer from 2 to 8/],
      [{ seats: 2.5 }, /seats/],
      [{ botSkill: 'godlike' }, /botSkill must be one of easy, normal, hard/],
    ];
    for (const [opts, msg] of cases) {
      const r = await postJson(`${server.http}/api/matches`, { mode: 'arena', private: true, ...opts }, g.token);
      expect(r.status, JSON.stringify(opts)).toBe(400);
      expect(r.body.error).toMatch(msg);
    }
    expect(server.rooms.findSeat(g.id)).toBeUndefined();
  });

  it('in-match chat: control characters stripped, 1 line/s with bursts of 3, only to that match', async () => {
    const a = await play(server, 'Chatty');
    const b = await play(server, 'Listener');
    expect(b.matchId).toBe(a.matchId);
    const other = await guest(server.http, 'Elsewhere');
    const o = await postJson(`${server.http}/api/matches`, { mode: 'arena' }, other.token);
    const outsider = await PlayClient.connect(o.body.url, other.token, o.body.ticket);
    clients.push(outsider);
    a.client.send({ type: ClientType.Chat, text: 'gg\u0000\u202e  wp\n' });
    await b.client.waitFor(() => b.client.of(ServerType.Chat).length >= 1, 'chat line');
    expect(b.client.of(ServerType.Chat)[0]).toMatchObject({ from: 'Chatty', text: 'gg wp' });
    a.client.send({ type: ClientType.Chat, text: '\u200b \u0007' }); // empty once cleaned: dropped
    a.client.send({ type: ClientType.Chat, text: 'two' });
    a.client.send({ type: ClientType.Chat, text: 'three' }); // the 4th line in a burst
    await a.client.waitFor(() => a.client.of(ServerType.Error).length >= 1, 'rate limit error');
    expect(a.client.of(ServerType.Error)[0]).toMatchObject({ code: CloseCode.RateLimited, message: 'chat rate limited: slow down' });
    await b.client.waitFor(() => b.client.of(ServerType.Chat).length >= 2, 'second line');
    expect(b.client.of(ServerType.Chat).map((m) => m.text)).toEqual(['gg wp', 'two']);
    expect(a.client.closed).toBeFalsy();
    expect(outsider.of(ServerType.Chat)).toHaveLength(0);
  });
});
