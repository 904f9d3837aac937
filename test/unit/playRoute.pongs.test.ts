/**
 * Pongs on /play: the handlers long-polling shares hand every Pong to the connection in an
 * array of its own (a polling connection queues frames), while a handler given a
 * PongWriter (the WebSocket path, whose uWS `send` copies at once) reuses one buffer.
 */
import { describe, expect, it } from 'vitest';
import { ClientType, decodeServer, PongWriter, ServerType } from '../../protocol/index.js';
import { ManualClock } from '../../server/clock.js';
import type { Connection } from '../../server/rooms/connection.js';
import type { Room } from '../../server/rooms/room.js';
import type { Seat } from '../../server/rooms/seat.js';
import { createPlayHandlers, type PlayContext, type PlayRouteOptions } from '../../server/transport/playRoute.js';

/** A connection that keeps the frames it is given, as a long-polling queue does. */
class QueueingConn implements Connection {
  closed = false;
  frames: Uint8Array[] = [];
  send(frame: Uint8Array): void {
    this.frames.push(frame);
  }
  bufferedAmount(): number {
    return 0;
  }
  subscribe(): void {}
  unsubscribe(): void {}
  close(): void {}
  terminate(): void {}
}

function context(conn: Connection): PlayContext {
  // Ping handling needs only a room and a seat to be present.
  const state = { roomId: 'r', room: {} as Room, seat: {} as Seat, inputs: null, other: null, chat: null } as unknown as PlayContext['state'];
  return { inputWords: null, inputAt: -1, inputGen: 0, user: { id: 'u', name: 'u', role: 'player' } as unknown as PlayContext['user'], conn, state };
}

const options = { clock: new ManualClock() } as unknown as PlayRouteOptions;
const pongTimes = (conn: QueueingConn) => conn.frames.map((f) => {
  const m = decodeServer(f);
  return m.ok && m.value.type === ServerType.Pong ? m.value.t : NaN;
});

describe('/play Pongs', () => {
  it('the shared handlers give each Pong its own array: queued Pongs keep their bytes', () => {
    const conn = new QueueingConn();
    const handlers = createPlayHandlers(options);
    for (const t of [1, 2.5, 70_000]) handlers.message(context(conn), { type: ClientType.Ping, t });
    expect(pongTimes(conn)).toEqual([1, 2.5, 70_000]);
  });

  it('a PongWriter reuses one buffer (only for a connection that copies on send)', () => {
    const conn = new QueueingConn();
    const handlers = createPlayHandlers(options, new PongWriter());
    for (const t of [1, 2.5]) handlers.message(context(conn), { type: ClientType.Ping, t });
    expect(conn.frames[0].buffer).toBe(conn.frames[1].buffer);
  });
});
