/**
 * Finding 4: a frame over the per-frame limit (1 KiB) gets a close frame with 4010, up to
 * the 16 KiB uWS buffers per frame; past that uWS drops the connection itself (1006, no
 * close frame — uWS sends none) and we count it. Neighbours are undisturbed either way.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CloseCode } from '../../protocol/index.js';
import { guest, matchmake } from '../support/api.js';
import { PlayClient } from '../support/playClient.js';
import { startTestServer } from '../support/testServer.js';

let server: Awaited<ReturnType<typeof startTestServer>>;
const clients: PlayClient[] = [];

beforeAll(async () => {
  server = await startTestServer({ arena: { map: 'open', countdownSeconds: 0, minPlayers: 1 } });
});

afterEach(() => {
  for (const c of clients.splice(0)) c.close();
});

afterAll(async () => {
  await server?.close();
});

async function badTooBig(): Promise<number> {
  const text = await (await fetch(`${server.http}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('tickwire_bad_frames_total{reason="too_big"}'));
  return line ? Number(line.split(' ').pop()) : 0;
}

async function player(name: string): Promise<PlayClient> {
  const { token } = await guest(server.http, name);
  const mm = await matchmake(server.http, token);
  const c = await PlayClient.connect(mm.url, token, mm.ticket);
  clients.push(c);
  await c.waitFor(() => c.welcome, 'welcome');
  return c;
}

describe('oversize frames', () => {
  it.each([1025, 2000, 4097, 16 * 1024])('a %i-byte frame on /play closes with 4010 (frame too large)', async (size) => {
    const bystander = await player('Bystander');
    const c = await player('Big');
    c.sendRaw(new Uint8Array(size));
    const closed = await c.waitForClose();
    expect(closed.code).toBe(CloseCode.FrameTooLarge);
    // The neighbour in the same match keeps getting snapshots.
    const before = bystander.snapshots.length;
    await bystander.waitFor(() => bystander.snapshots.length > before + 2, 'bystander snapshots');
    expect(bystander.closed).toBeNull();
  });

  it.each([16 * 1024 + 1, 1_000_000])('a %i-byte frame (over uWS\'s 16 KiB buffer) is dropped by uWS: 1006, counted', async (size) => {
    const bystander = await player('Bystander');
    const c = await player('Huge');
    const before = await badTooBig();
    c.sendRaw(new Uint8Array(size));
    expect((await c.waitForClose()).code).toBe(1006);
    expect(await badTooBig()).toBe(before + 1);
    const seen = bystander.snapshots.length;
    await bystander.waitFor(() => bystander.snapshots.length > seen + 2, 'bystander snapshots');
    expect(bystander.closed).toBeNull();
  });

  it('a frame exactly at the limit is accepted as far as size goes (then validated)', async () => {
    const c = await player('Edge');
    c.sendRaw(new Uint8Array(1024));
    expect((await c.waitForClose()).code).toBe(CloseCode.MalformedFrame);
  });

  it('the lobby answers an oversize frame with 4010 too', async () => {
    const { token } = await guest(server.http, 'LobbyBig');
    const c = await PlayClient.open(`${server.ws}/lobby`, token);
    clients.push(c);
    c.sendRaw(new Uint8Array(5000));
    expect((await c.waitForClose()).code).toBe(CloseCode.FrameTooLarge);
  });
});
