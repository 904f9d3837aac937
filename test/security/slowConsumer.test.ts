/**
 * Finding 2: sockets that stop reading are closed as slow consumers (4016) once their
 * server-side send queue passes the hard bound — also after they were already marked for a
 * keyframe, while chat and notices keep coming — and the player's seat is kept for resume.
 * The slow clients are real TCP sockets with a small SO_RCVBUF that read nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloseCode, encodeServer, ServerType } from '../../protocol/index.js';
import { guest, matchmake } from '../support/api.js';
import { PlayClient } from '../support/playClient.js';
import { StalledSocket } from '../support/stalledSocket.js';
import { startTestServer } from '../support/testServer.js';

const HARD = 32 * 1024;
const STALLED = 6;

let server: Awaited<ReturnType<typeof startTestServer>>;
const stalled: StalledSocket[] = [];
const clients: PlayClient[] = [];

beforeAll(async () => {
  server = await startTestServer({
    tickRate: 60,
    snapshotRate: 60,
    botFillDelayMs: 0,
    reconnectGraceMs: 60_000,
    sendBufferSoftBytes: 8 * 1024,
    sendBufferHardBytes: HARD,
    arena: { map: 'open', countdownSeconds: 0, minPlayers: 1 },
  });
});

afterAll(async () => {
  for (const s of stalled) s.kill();
  for (const c of clients) c.close();
  await server?.close();
});

async function metric(name: string): Promise<number> {
  const text = await (await fetch(`${server.http}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(name));
  return line ? Number(line.split(' ').pop()) : 0;
}

describe('slow consumers', () => {
  it('closes non-reading sockets with 4016 past the hard bound, keeps their seats and bounds memory', async () => {
    const rssBefore = process.memoryUsage().rss;
    const seats: Array<{ id: string; matchId: string; token: string }> = [];
    for (let i = 0; i < STALLED; i++) {
      const { token, id } = await guest(server.http, `Slow${i}`);
      const mm = await matchmake(server.http, token);
      stalled.push(await StalledSocket.open(server.port, `/play?ticket=${encodeURIComponent(mm.ticket)}`, token));
      seats.push({ id, matchId: mm.matchId, token });
    }
    // Quick play fills the fullest match: all of them share one match with the bystander.
    expect(new Set(seats.map((s) => s.matchId)).size).toBe(1);
    // A reading bystander in the same match must keep getting snapshots meanwhile.
    const by = await guest(server.http, 'Bystander');
    const bmm = await matchmake(server.http, by.token);
    const bystander = await PlayClient.connect(bmm.url, by.token, bmm.ticket);
    clients.push(bystander);

    // Chat and notices are direct sends (Room.broadcastDirect → each socket's send path):
    // they keep arriving after a stalled socket has left the snapshot topic, which is what
    // used to grow without bound. The loopback kernel takes ~2–4 MB per socket before uWS
    // queues anything, so the test drives that path from inside the process, fast; the
    // sockets and their TCP queues stay real.
    const room = server.rooms.get(bmm.matchId)!;
    const frame = encodeServer({ type: ServerType.Notice, kind: 'server', text: 'x'.repeat(450) });
    const allClosed = () => seats.every((s) => server.rooms.get(s.matchId)?.seatOf(s.id)?.status === 'disconnected');
    let pumped = 0;
    for (let round = 0; round < 2000 && !allClosed(); round++) {
      for (let k = 0; k < 100; k++) room.broadcastDirect(frame, 'notice');
      pumped += 100 * frame.byteLength;
      await new Promise((r) => setImmediate(r));
    }
    expect(allClosed(), `closed after ${pumped} bytes per socket`).toBe(true);
    // Seats are kept for the reconnection grace (resume), not removed.
    for (const s of seats) expect(server.rooms.get(s.matchId)?.seatOf(s.id)?.status).toBe('disconnected');
    expect(await metric('tickwire_closes_total{code="4016"}')).toBeGreaterThanOrEqual(STALLED);
    // The player resumes the kept seat with a fresh socket: same player id.
    const playerId = server.rooms.get(seats[1].matchId)!.seatOf(seats[1].id)!.playerId;
    const back = await matchmake(server.http, seats[1].token, { resume: seats[1].matchId });
    const resumed = await PlayClient.connect(back.url, seats[1].token, back.ticket);
    clients.push(resumed);
    await resumed.waitFor(() => resumed.welcome, 'welcome on resume');
    expect(resumed.welcome!.playerId).toBe(playerId);
    // Once the stalled client reads again it finds the close frame behind the queued data.
    const seen = await stalled[0].readToClose();
    expect(seen.code).toBe(CloseCode.SlowConsumer);
    // The bystander was never disturbed.
    expect(bystander.closed).toBeNull();
    // …and keeps receiving snapshots after the stalled sockets were closed (awaited, not
    // counted over wall time: a loaded machine must not decide this).
    const seenSoFar = bystander.of(ServerType.Snapshot).length;
    await bystander.waitFor(() => bystander.of(ServerType.Snapshot).length >= seenSoFar + 10, '10 more bystander snapshots');
    expect(bystander.closed).toBeNull();
    // Each stalled socket could queue at most HARD bytes (plus one frame) in the server;
    // the whole run stays far below the unbounded growth this test guards against.
    const growthMb = (process.memoryUsage().rss - rssBefore) / 1e6;
    expect(growthMb).toBeLessThan(64);
  }, 60_000);
});
