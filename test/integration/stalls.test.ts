/**
 * A network stall seen from the server: the catch-up burst a TCP connection delivers after
 * it is absorbed as late inputs (dropped, counted, the socket stays open, the player is not
 * fast-forwarded), while a sustained flood well above the input rate still closes with 4008.
 * The server runs on a ManualClock, so ticks and the rate limiter move only when the test
 * says so.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Buttons, ClientType, CloseCode, PlayerField, ServerType, Tables } from '../../protocol/index.js';
import { ManualClock } from '../../server/clock.js';
import { guest, matchmake } from '../support/api.js';
import { PlayClient } from '../support/playClient.js';
import { parsePrometheus } from '../support/prometheus.js';
import { startTestServer } from '../support/testServer.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup() {
  const clock = new ManualClock();
  const server = await startTestServer({ arena: { map: 'open', countdownSeconds: 0, spawnProtectionSeconds: 0, minPlayers: 2 } }, { clock });
  cleanups.push(() => server.close());
  const { token } = await guest(server.http, 'Staller');
  const mm = await matchmake(server.http, token);
  const client = await PlayClient.connect(mm.url, token, mm.ticket);
  cleanups.push(() => client.close());
  await client.waitFor(() => client.welcome, 'welcome');
  let pings = 0;
  /** Round trip through the server: every frame sent before it has been handled. */
  const sync = async () => {
    pings++;
    client.send({ type: ClientType.Ping, t: pings });
    await client.waitFor(() => client.closed || client.of(ServerType.Pong).length >= pings, `pong ${pings}`);
  };
  /** Advances the server by `ms` in 1-tick steps, then waits for the snapshots it sent. */
  const advance = async (ms: number) => {
    const step = 1000 / 30;
    for (let t = 0; t < ms; t += step) clock.advance(step);
    await sync();
  };
  const self = () => client.snapshot?.tables[Tables.Players].rows.get(client.welcome!.playerId);
  const late = async () => parsePrometheus(await server.metrics.text()).sum('tickwire_inputs_rejected_total', { reason: 'late' });
  await advance(200);
  await client.waitFor(() => self(), 'own row');
  return { clock, server, client, advance, sync, self, late };
}

describe('stalls and floods', () => {
  it('absorbs a burst of 90 queued inputs after a 3 s stall as late inputs, without a close', async () => {
    const { client, advance, sync, self, late } = await setup();
    const seenTick = client.snapshot!.tick;
    const x0 = self()![PlayerField.X];
    // The stall: 3 s pass on the server while the client's inputs (all acknowledging the
    // last snapshot it saw) pile up in its socket; then they arrive in one burst.
    await advance(3000);
    for (let seq = 1; seq <= 90; seq++) client.send({ type: ClientType.Input, seq, buttons: Buttons.Right, aim: 0, ackTick: seenTick });
    await sync();
    await advance(500);
    expect(client.closed).toBeNull();
    expect(await late()).toBe(90);
    // Not fast-forwarded through moves made blind.
    expect(self()![PlayerField.X]).toBe(x0);

    // Fresh inputs (acknowledging what the client sees now) move the player again.
    const fresh = client.snapshot!.tick;
    for (let seq = 91; seq <= 100; seq++) client.send({ type: ClientType.Input, seq, buttons: Buttons.Right, aim: 0, ackTick: fresh });
    await sync();
    await advance(500);
    expect(self()![PlayerField.X]).toBeGreaterThan(x0);
    expect(await late()).toBe(90);
    expect(client.closed).toBeNull();
  });

  it('closes a sustained flood (10× the input rate) with 4008 within seconds, not at once', async () => {
    const { client, advance, sync } = await setup();
    let seq = 0;
    const burst = async (n: number) => {
      for (let i = 0; i < n; i++) client.send({ type: ClientType.Input, seq: ++seq, buttons: 0, aim: 0, ackTick: client.snapshot!.tick });
      await sync();
    };
    // 300 inputs/s for 1 s: within the 5 s burst allowance (300 + 60 refilled).
    for (let i = 0; i < 10; i++) {
      await burst(30);
      await advance(100);
    }
    expect(client.closed).toBeNull();
    // Keep going: the allowance runs out after 300 / (300 − 60) ≈ 1.25 s.
    for (let i = 0; i < 20 && !client.closed; i++) {
      await burst(30);
      await advance(100);
    }
    expect(client.closed?.code).toBe(CloseCode.RateLimited);
    expect(seq).toBeLessThan(450);
  });
});
