/**
 * InputBatch frames against a real server: a batched player (two new inputs per frame plus
 * the previous one repeated, as `BENCH_UPSTREAM=batch15` bots send them) moves exactly as a
 * player sending the same inputs one per frame; the repeated input is dropped without
 * counting as rejected; and the rate limit counts the inputs a batch carries, not frames.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Buttons, ClientType, CloseCode, PlayerField, PLAYER_SPEED, POSITION_SCALE, Tables, type InputMsg } from '../../protocol/index.js';
import { guest, matchmake } from '../support/api.js';
import { PlayClient } from '../support/playClient.js';
import { startTestServer } from '../support/testServer.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;

let server: Server;
const clients: PlayClient[] = [];

async function join(name: string): Promise<PlayClient> {
  const { token } = await guest(server.http, name);
  const mm = await matchmake(server.http, token);
  const client = await PlayClient.connect(mm.url, token, mm.ticket);
  clients.push(client);
  return client;
}

function me(c: PlayClient): number[] | undefined {
  return c.snapshot?.tables[Tables.Players].rows.get(c.welcome!.playerId);
}

function input(seq: number, buttons: number, ackTick: number): InputMsg {
  return { type: ClientType.Input, seq, buttons, aim: 0, ackTick };
}

/** Sum of `tickwire_inputs_rejected_total` over every reason. */
async function rejectedInputs(): Promise<number> {
  const text = await server.metrics.text();
  let n = 0;
  for (const m of text.matchAll(/^tickwire_inputs_rejected_total\{[^}]*\} (\d+)/gm)) n += Number(m[1]);
  return n;
}

beforeAll(async () => {
  server = await startTestServer({
    arena: { map: 'open', countdownSeconds: 0, spawnProtectionSeconds: 0, minPlayers: 2 },
  });
});

afterEach(() => {
  for (const c of clients.splice(0)) c.close();
});

afterAll(async () => {
  await server?.close();
});

describe('input batches', () => {
  it('a batched player moves exactly as a single-input player; the repeated input is ignored', async () => {
    const single = await join('Single');
    const batched = await join('Batched');
    await single.waitFor(() => me(single), 'single: own entity');
    await batched.waitFor(() => me(batched), 'batched: own entity');
    const y0Single = me(single)![PlayerField.Y];
    const y0Batched = me(batched)![PlayerField.Y];
    const rejectedBefore = await rejectedInputs();

    const n = 14;
    for (let seq = 1; seq <= n; seq++) single.send(input(seq, Buttons.Up, single.snapshot!.tick));
    // Frames of [previous repeated, new, new]: seqs 1–2, then 2–4, 4–6, … 12–14.
    const tick = batched.snapshot!.tick;
    batched.send({ type: ClientType.InputBatch, inputs: [input(1, Buttons.Up, tick), input(2, Buttons.Up, tick)] });
    for (let first = 2; first + 2 <= n; first += 2) {
      batched.send({ type: ClientType.InputBatch, inputs: [0, 1, 2].map((k) => input(first + k, Buttons.Up, tick)) });
    }

    await single.waitFor(() => single.ack === n, 'single: all inputs applied');
    await batched.waitFor(() => batched.ack === n, 'batched: all inputs applied');
    const movedSingle = y0Single - me(single)![PlayerField.Y];
    const movedBatched = y0Batched - me(batched)![PlayerField.Y];
    expect(movedBatched).toBe(movedSingle);
    // And it is n inputs' worth, not more: the six repeats moved nobody.
    const units = movedBatched / POSITION_SCALE;
    expect(units).toBeGreaterThan(n * (PLAYER_SPEED / 30) - n / 32);
    expect(units).toBeLessThan(n * (PLAYER_SPEED / 30) + n / 32);
    // Duplicates are not rejected inputs (stale/late/overflow), nor a protocol violation.
    expect(await rejectedInputs()).toBe(rejectedBefore);
    expect(batched.closed).toBeNull();
  });

  it('a malformed batch closes the socket with 4009', async () => {
    const c = await join('BadBatch');
    await c.waitFor(() => c.welcome, 'welcome');
    // Four (buttons, aim) pairs: more than Limits.maxBatchInputs.
    c.sendRaw(new Uint8Array([0x9c, 0x06, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]));
    const closed = await c.waitForClose();
    expect(closed.code).toBe(CloseCode.MalformedFrame);
    expect(closed.reason).toMatch(/pairs/);
  });

  it('the rate limit counts inputs: 150 batches of three (450 inputs) close with 4008, 150 single inputs do not', async () => {
    const calm = await join('Calm');
    await calm.waitFor(() => calm.welcome, 'welcome');
    for (let i = 0; i < 150; i++) calm.input(0);
    await calm.waitFor(() => calm.ack === 150, 'all 150 applied');
    expect(calm.closed).toBeNull();

    const flood = await join('BatchFlood');
    await flood.waitFor(() => flood.welcome, 'welcome');
    // 450 inputs at once: past the 5 s burst allowance (300 at 60/s), in only 150 frames.
    for (let i = 0; i < 150; i++) {
      flood.send({ type: ClientType.InputBatch, inputs: [1, 2, 3].map((k) => input(3 * i + k, 0, 0)) });
    }
    const closed = await flood.waitForClose();
    expect(closed.code).toBe(CloseCode.RateLimited);
    expect(await server.metrics.text()).toMatch(/tickwire_bad_frames_total\{reason="4008"\} 1/);
  });
});
