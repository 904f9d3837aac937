/**
 * Ticks keep time while the server is busy receiving: after every frame a socket handler
 * took, the due match ticks run (TickScheduler.poll via the namespace's afterFrame), without
 * waiting for the scheduler's timer. The server runs on a ManualClock whose timers never
 * fire unless the test advances them, so a tick seen here can only have come from a frame.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ClientType, ServerType } from '../../protocol/index.js';
import { ManualClock } from '../../server/clock.js';
import { guest, matchmake } from '../support/api.js';
import { PlayClient } from '../support/playClient.js';
import { parsePrometheus } from '../support/prometheus.js';
import { startTestServer } from '../support/testServer.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('ticks run from the receive path', () => {
  it('a frame arriving after a tick fell due runs that tick; one arriving before does not', async () => {
    const clock = new ManualClock();
    const server = await startTestServer({ arena: { map: 'open', countdownSeconds: 0, spawnProtectionSeconds: 0, minPlayers: 2 } }, { clock });
    cleanups.push(() => server.close());
    const { token } = await guest(server.http, 'Poller');
    const mm = await matchmake(server.http, token);
    const client = await PlayClient.connect(mm.url, token, mm.ticket);
    cleanups.push(() => client.close());
    await client.waitFor(() => client.welcome, 'welcome');
    let pings = 0;
    const ping = async () => {
      pings++;
      client.send({ type: ClientType.Ping, t: pings });
      await client.waitFor(() => client.of(ServerType.Pong).length >= pings, `pong ${pings}`);
    };
    const wakeups = async () => parsePrometheus(await server.metrics.text());
    // Timers bring the match to a snapshot the client holds.
    for (let i = 0; i < 6; i++) clock.advance(1000 / 30);
    await client.waitFor(() => client.snapshot, 'first snapshot');
    const seen = client.snapshot!.tick;

    // Nothing due: a frame runs no tick (a second round trip lets any publish arrive).
    await ping();
    await ping();
    expect(client.snapshot!.tick).toBe(seen);
    expect((await wakeups()).sum('tickwire_tick_wakeups_total', { source: 'io' })).toBe(0);

    // 100 ms pass while no timer can fire (a busy event loop): the next frame runs the ticks.
    clock.jump(100);
    await ping();
    await client.waitFor(() => client.snapshot!.tick > seen && client.snapshot, 'a snapshot from a tick the frame ran');
    const m = await wakeups();
    expect(m.sum('tickwire_tick_wakeups_total', { source: 'io' })).toBe(1);
    expect(m.sum('tickwire_tick_wakeups_total', { source: 'timer' })).toBeGreaterThan(0);
  });
});
