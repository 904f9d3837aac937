/**
 * Reconnection on the server: `POST /api/matchmake {"resume": matchId}` gives a ticket back
 * into the player's own seat while the reconnection grace runs (same player id, same
 * score), and 404 once the seat or the match is gone; a second connection for the same
 * seat closes the first with 4013 "replaced".
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Buttons, CloseCode, Header, Phase, PlayerField, POSITION_SCALE, ServerType, Tables, quantizeAngle } from '../../protocol/index.js';
import { ManualClock } from '../../server/clock.js';
import { guest, matchmake, postJson } from '../support/api.js';
import { PlayClient } from '../support/playClient.js';
import { startTestServer } from '../support/testServer.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;
const clients: PlayClient[] = [];

afterEach(() => {
  for (const c of clients.splice(0)) c.close();
});

async function connect(server: Server, token: string, body: unknown = { mode: 'arena' }): Promise<{ client: PlayClient; matchId: string }> {
  const mm = await matchmake(server.http, token, body);
  const client = await PlayClient.connect(mm.url, token, mm.ticket);
  clients.push(client);
  await client.waitFor(() => client.welcome, 'welcome');
  return { client, matchId: mm.matchId };
}

/** Server state changes after a socket closes have no event to await: poll briefly. */
async function until(pred: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

function row(c: PlayClient): number[] | undefined {
  return c.snapshot?.tables[Tables.Players].rows.get(c.welcome!.playerId);
}

describe('resume within the grace window (real clock)', () => {
  let server: Server;
  beforeAll(async () => {
    server = await startTestServer({ arena: { map: 'open', countdownSeconds: 0, spawnProtectionSeconds: 0, minPlayers: 2 } });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('keeps the player id and the score', async () => {
    const a = await guest(server.http, 'Shooter');
    const b = await guest(server.http, 'Target');
    const shooter = await connect(server, a.token);
    const target = await connect(server, b.token);
    expect(target.matchId).toBe(shooter.matchId);
    const s = shooter.client;
    const shooterId = s.welcome!.playerId;
    const targetId = target.client.welcome!.playerId;
    await s.waitFor(() => s.snapshot?.header[Header.Phase] === Phase.Playing && s.snapshot.tables[Tables.Players].rows.has(targetId), 'playing with the target');
    const timer = setInterval(() => {
      const rows = s.snapshot!.tables[Tables.Players].rows;
      const me = rows.get(shooterId)!;
      const them = rows.get(targetId)!;
      const dx = them[PlayerField.X] - me[PlayerField.X];
      const dy = them[PlayerField.Y] - me[PlayerField.Y];
      let buttons: number = Buttons.Fire;
      if (Math.abs(dx) > 300 * POSITION_SCALE) buttons |= dx > 0 ? Buttons.Right : Buttons.Left;
      if (Math.abs(dy) > 300 * POSITION_SCALE) buttons |= dy > 0 ? Buttons.Down : Buttons.Up;
      s.input(buttons, quantizeAngle(Math.atan2(dy, dx)));
    }, 1000 / 30);
    try {
      await s.waitFor(() => row(s)?.[PlayerField.Score] === 1, 'a kill', 15_000);
    } finally {
      clearInterval(timer);
    }
    const deathsBefore = row(s)![PlayerField.Deaths];

    // The network drops: no close frame. The seat waits.
    s.close();
    await until(() => server.rooms.get(shooter.matchId)!.seatOf(a.id)?.status === 'disconnected', 'seat disconnected');

    const resumed = await connect(server, a.token, { resume: shooter.matchId });
    expect(resumed.matchId).toBe(shooter.matchId);
    expect(resumed.client.welcome!.playerId).toBe(shooterId);
    await resumed.client.waitFor(() => row(resumed.client), 'own row in the keyframe');
    // The keyframe (baseline 0) carries the kept entity: same score, same deaths.
    expect(resumed.client.of(ServerType.Snapshot)[0].delta.baselineTick).toBe(0);
    expect(row(resumed.client)![PlayerField.Score]).toBe(1);
    expect(row(resumed.client)![PlayerField.Deaths]).toBe(deathsBefore);
    expect(server.rooms.get(shooter.matchId)!.seatOf(a.id)!.status).toBe('connected');
  }, 30_000);

  it('a second connection for the same seat closes the first with 4013 replaced', async () => {
    const g = await guest(server.http, 'TwoTabs');
    const first = await connect(server, g.token);
    // Quick play again (a second tab) lands in the same seat…
    const second = await connect(server, g.token);
    expect(second.matchId).toBe(first.matchId);
    expect(second.client.welcome!.playerId).toBe(first.client.welcome!.playerId);
    const closed = await first.client.waitForClose();
    expect(closed.code).toBe(CloseCode.Replaced);
    expect(closed.reason).toMatch(/replaced/);
    // …and so does an explicit resume, replacing the second.
    const third = await connect(server, g.token, { resume: first.matchId });
    expect((await second.client.waitForClose()).code).toBe(CloseCode.Replaced);
    expect(third.client.welcome!.playerId).toBe(first.client.welcome!.playerId);
    await third.client.waitFor(() => row(third.client), 'snapshots on the newest socket');
    expect(third.client.closed).toBeNull();
  });

  it('refuses a resume for a match that never existed, or a malformed one', async () => {
    const g = await guest(server.http, 'Nobody');
    const r = await postJson(`${server.http}/api/matchmake`, { resume: 'no-such-match' }, g.token);
    expect(r.status).toBe(404);
    expect(r.body).toEqual({ error: 'match not found' });
    expect((await postJson(`${server.http}/api/matchmake`, { resume: 42 }, g.token)).status).toBe(400);
    expect((await postJson(`${server.http}/api/matchmake`, { resume: '' }, g.token)).status).toBe(400);
    expect((await postJson(`${server.http}/api/matchmake`, { resume: 'x' })).status).toBe(401);
  });

  it('does not let one player resume into another player’s seat', async () => {
    const owner = await guest(server.http, 'Owner');
    const other = await guest(server.http, 'Other');
    const { matchId } = await connect(server, owner.token);
    const r = await postJson(`${server.http}/api/matchmake`, { resume: matchId }, other.token);
    expect(r.status).toBe(404);
    expect(server.rooms.get(matchId)!.seatOf(other.id)).toBeUndefined();
  });
});

describe('resume after the grace window (manual clock)', () => {
  const clock = new ManualClock();
  let server: Server;
  beforeAll(async () => {
    server = await startTestServer({ reconnectGraceMs: 5000 }, { clock });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('releases the seat when the window closes: 404, and 404 once the match is gone', async () => {
    const a = await guest(server.http, 'Late');
    const b = await guest(server.http, 'Stays');
    const first = await connect(server, a.token);
    const other = await connect(server, b.token);
    expect(other.matchId).toBe(first.matchId);
    const room = server.rooms.get(first.matchId)!;

    first.client.close();
    await until(() => room.seatOf(a.id)?.status === 'disconnected', 'seat disconnected');
    clock.advance(4999);
    // Still inside the window: a ticket for the same seat.
    const inGrace = await postJson(`${server.http}/api/matchmake`, { resume: first.matchId }, a.token);
    expect(inGrace.status).toBe(200);
    expect(inGrace.body.matchId).toBe(first.matchId);
    clock.advance(2);
    expect(room.seatOf(a.id)).toBeUndefined();
    const late = await postJson(`${server.http}/api/matchmake`, { resume: first.matchId }, a.token);
    expect(late.status).toBe(404);
    expect(late.body.error).toMatch(/seat expired/);
    // The in-grace ticket is useless now too: its seat is gone.
    const stale = await PlayClient.connect(inGrace.body.url, a.token, inGrace.body.ticket).catch((e: { status?: number }) => e);
    expect((stale as { status?: number }).status).toBe(404);

    // The last human leaves the same way: the match is disposed after the window.
    other.client.close();
    await until(() => room.seatOf(b.id)?.status === 'disconnected', 'second seat disconnected');
    clock.advance(5001);
    expect(room.isDisposed).toBe(true);
    const gone = await postJson(`${server.http}/api/matchmake`, { resume: first.matchId }, b.token);
    expect(gone.status).toBe(404);
    expect(gone.body).toEqual({ error: 'match not found' });
    // Quick play still works and opens a new match.
    const fresh = await matchmake(server.http, b.token);
    expect(fresh.matchId).not.toBe(first.matchId);
  });
});
