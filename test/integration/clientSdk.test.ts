/**
 * `tickwire/client` from Node, against a real server: the client side uses only
 * client/index.ts (with `ws` as the socket, through the socket seam) plus the game's
 * snapshot schema from the protocol. Guest sign-in → quick play → welcome → snapshots applied
 * and interpolated on a synced clock → the server terminates the socket (a network drop) →
 * the connection resumes into the same seat on its own.
 */
import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ARENA_SCHEMA, Tables } from '../../protocol/index.js';
import {
  ApiClient,
  connectToMatch,
  MatchFeed,
  socketFactoryOf,
  type Connection,
  type ConnectionEvents,
  type Emitter,
  type MatchFeedEvents,
  type WebSocketCtor,
} from '../../client/index.js';
import { startTestServer } from '../support/testServer.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;

let server: Server;
const cleanups: Array<() => void> = [];

beforeAll(async () => {
  server = await startTestServer({ arena: { map: 'open', countdownSeconds: 0, minPlayers: 1, matchSeconds: 600 } });
});
afterAll(async () => {
  await server?.close();
});
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

/** Resolves with the first payload of `event` that satisfies `pred`; rejects after `timeoutMs`. */
function next<E extends Record<string, unknown>, K extends keyof E>(source: Emitter<E>, event: K, pred: (p: E[K]) => boolean = () => true, timeoutMs = 10_000): Promise<E[K]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out waiting for ${String(event)}`));
    }, timeoutMs);
    const off = source.on(event, (p) => {
      if (!pred(p)) return;
      off();
      clearTimeout(timer);
      resolve(p);
    });
  });
}

describe('tickwire/client in Node', () => {
  it('signs in, quick-plays, interpolates snapshots and resumes the same seat after a drop', async () => {
    const api = new ApiClient(server.http);
    const guest = await api.guest('Sdk Node');
    const ticket = await api.quickPlay(guest.token, 'arena');
    const connection: Connection = connectToMatch({ api, ticket, token: guest.token, createSocket: socketFactoryOf(WebSocket as unknown as WebSocketCtor) });
    const feed = new MatchFeed(connection, { schema: ARENA_SCHEMA });
    const seen: string[] = [];
    for (const ev of ['connect', 'disconnect', 'reconnecting', 'reconnected', 'close'] as const) connection.on(ev, () => seen.push(ev));
    // The page calls update() every frame; here a timer drives the pings for clock sync.
    const pinger = setInterval(() => feed.update(), 50);
    cleanups.push(() => {
      clearInterval(pinger);
      feed.dispose();
      connection.close();
    });

    const welcome = next<MatchFeedEvents, 'welcome'>(feed, 'welcome');
    connection.connect();
    const w = await welcome;
    expect(w.resumed).toBe(false);
    expect(w.matchId).toBe(ticket.matchId);
    expect(w.config.tickRate).toBeGreaterThan(0);

    // Snapshots: the chain applies, the own row is in it, the acknowledgement is known, and
    // once the clock is synced the buffer draws between two snapshots.
    await next<MatchFeedEvents, 'snapshot'>(feed, 'snapshot', () => feed.clock.isSynced && feed.sample()?.mode === 'interpolate');
    const sample = feed.sample()!;
    expect(sample.from.tick).toBeLessThan(sample.to.tick);
    expect(sample.renderTick).toBeGreaterThanOrEqual(sample.from.tick);
    expect(sample.renderTick).toBeLessThanOrEqual(sample.to.tick);
    expect(sample.alpha).toBeGreaterThanOrEqual(0);
    expect(sample.alpha).toBeLessThanOrEqual(1);
    expect(feed.state!.tables[Tables.Players].rows.has(w.playerId)).toBe(true);
    expect(feed.ack).not.toBeNull();
    expect(feed.snapshotErrors).toBe(0);
    expect(connection.transport).toBe('websocket');

    // The network drops: the server side terminates the socket (no close frame).
    const reconnecting = next<ConnectionEvents, 'reconnecting'>(connection, 'reconnecting');
    const resumed = next<MatchFeedEvents, 'welcome'>(feed, 'welcome');
    server.rooms.get(w.matchId)!.seatOf(guest.player.id)!.conn!.terminate();
    const r = await reconnecting;
    expect(r.code).toBe(1006);
    expect(r.attempt).toBe(1);
    const again = await resumed;
    expect(again.resumed).toBe(true);
    expect(again.playerId).toBe(w.playerId);
    expect(again.matchId).toBe(w.matchId);
    expect(connection.reconnects).toBe(1);
    // Snapshots flow again on the new socket, from a fresh keyframe.
    const after = await next<MatchFeedEvents, 'snapshot'>(feed, 'snapshot');
    expect(after.state.tables[Tables.Players].rows.has(w.playerId)).toBe(true);
    expect(feed.snapshotErrors).toBe(0);
    expect(seen).toEqual(['connect', 'disconnect', 'reconnecting', 'reconnected']);
  }, 30_000);
});
