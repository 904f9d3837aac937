/**
 * The `/play` namespace: one socket per seated player. The upgrade handler authenticates and
 * redeems the seat ticket; after that the socket's user data carries the player, and every
 * frame is size-checked, rate-limited and decoded here before a room sees it. A bad frame
 * closes only its own socket, with a close code from protocol/closeCodes.ts.
 */
import {
  ClientType,
  CloseCode,
  closeMessage,
  decodeClient,
  encodeServer,
  ServerType,
  SUBPROTOCOL,
} from '../../protocol/index.js';
import type { AuthUser, TokenService } from '../auth/tokens.js';
import type { TicketStore } from '../auth/tickets.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { Room } from '../rooms/room.js';
import type { RoomManager } from '../rooms/roomManager.js';
import type { Seat } from '../rooms/seat.js';
import uWS from 'uWebSockets.js';
import type { TemplatedApp, WebSocket } from '../uws.js';
import { statusLine } from '../http/exchange.js';
import { TokenBucket } from './rateLimit.js';
import { checkUpgrade } from './upgradeAuth.js';
import { UwsConnection } from './uwsConnection.js';

export interface PlayRouteDeps {
  app: TemplatedApp;
  tokens: TokenService;
  tickets: TicketStore;
  rooms: RoomManager;
  clock: Clock;
  metrics: Metrics;
  log: Logger;
  maxFrameBytes: number;
  maxInputsPerSecond: number;
  idleTimeoutSeconds: number;
}

interface PlayData {
  user: AuthUser;
  roomId: string;
  room: Room | null;
  seat: Seat | null;
  conn: UwsConnection | null;
  inputs: TokenBucket | null;
  other: TokenBucket | null;
}

const NAMESPACE = 'play';

function refuse(res: uWS.HttpResponse, status: number, body: Record<string, unknown>): void {
  res.cork(() => {
    res.writeStatus(statusLine(status)).writeHeader('content-type', 'application/json').end(JSON.stringify(body));
  });
}

export function registerPlayRoute(d: PlayRouteDeps): void {
  const closeWith = (data: PlayData, code: CloseCode, detail?: string) => {
    d.metrics.badFrames.inc({ reason: String(code) });
    data.conn?.close(code, detail ? `${closeMessage(code)}: ${detail}` : closeMessage(code));
  };

  d.app.ws<PlayData>('/play', {
    compression: uWS.DISABLED,
    // uWS's own hard cap (it drops the connection above it); our smaller limit below gives a clear close code.
    maxPayloadLength: Math.max(d.maxFrameBytes * 4, 4096),
    idleTimeout: d.idleTimeoutSeconds,
    sendPingsAutomatically: true,
    // Above our room's own slow-consumer bound, so uWS never silently skips a publish.
    maxBackpressure: 1024 * 1024,
    closeOnBackpressureLimit: 0,

    upgrade: (res, req, context) => {
      const key = req.getHeader('sec-websocket-key');
      const protocols = req.getHeader('sec-websocket-protocol');
      const extensions = req.getHeader('sec-websocket-extensions');
      const authorization = req.getHeader('authorization');
      const ticketId = req.getQuery('ticket') ?? '';
      const check = checkUpgrade(d.tokens, protocols, authorization);
      if (!check.ok) {
        d.metrics.authFailures.inc({ reason: check.reason });
        return refuse(res, check.status, check.body);
      }
      const redeemed = d.tickets.redeem(ticketId, check.user.id);
      if (!redeemed.ok) {
        d.metrics.authFailures.inc({ reason: `ticket_${redeemed.reason}` });
        const msg = { unknown: 'unknown or already used ticket', expired: 'ticket expired', foreign: 'ticket belongs to another user' }[redeemed.reason];
        return refuse(res, 403, { error: msg });
      }
      const room = d.rooms.get(redeemed.ticket.matchId);
      if (!room || !room.seatOf(check.user.id)) {
        d.metrics.authFailures.inc({ reason: 'match_gone' });
        return refuse(res, 404, { error: 'match not found' });
      }
      const data: PlayData = { user: check.user, roomId: room.id, room: null, seat: null, conn: null, inputs: null, other: null };
      res.upgrade(data, key, SUBPROTOCOL, extensions, context);
    },

    open: (ws: WebSocket<PlayData>) => {
      const data = ws.getUserData();
      const conn = new UwsConnection(ws as WebSocket<unknown>, d.metrics);
      data.conn = conn;
      d.metrics.connections.inc({ namespace: NAMESPACE });
      const room = d.rooms.get(data.roomId);
      const attached = room ? room.attach(data.user.id, conn) : ({ ok: false, code: CloseCode.MatchNotFound } as const);
      if (!attached.ok) {
        conn.close(attached.code, closeMessage(attached.code));
        return;
      }
      data.room = room!;
      data.seat = attached.seat;
      // Inputs: the tick rate plus headroom for jitter bursts; everything else: a few per second.
      data.inputs = new TokenBucket(d.clock, d.maxInputsPerSecond, d.maxInputsPerSecond);
      data.other = new TokenBucket(d.clock, 10, 20);
    },

    message: (ws: WebSocket<PlayData>, message: ArrayBuffer, isBinary: boolean) => {
      const data = ws.getUserData();
      d.metrics.framesIn.inc({ namespace: NAMESPACE });
      d.metrics.bytesIn.inc({ namespace: NAMESPACE }, message.byteLength);
      const { room, seat } = data;
      if (!room || !seat || !data.conn || data.conn.closed) return;
      if (!isBinary) return closeWith(data, CloseCode.MalformedFrame, 'binary frames only');
      if (message.byteLength > d.maxFrameBytes) return closeWith(data, CloseCode.FrameTooLarge);
      const decoded = decodeClient(message);
      if (!decoded.ok) return closeWith(data, CloseCode.MalformedFrame, decoded.error.slice(0, 60));
      const msg = decoded.value;
      const bucket = msg.type === ClientType.Input ? data.inputs! : data.other!;
      if (!bucket.take()) return closeWith(data, CloseCode.RateLimited);
      switch (msg.type) {
        case ClientType.Input:
          room.queueInput(seat, msg);
          return;
        case ClientType.Ping:
          // Answered at once, not at the next tick, so RTT measures the network only.
          data.conn.send(encodeServer({ type: ServerType.Pong, t: msg.t, serverTime: d.clock.wallNow() }), 'pong');
          return;
        case ClientType.Chat:
          room.broadcastDirect(encodeServer({ type: ServerType.Chat, from: seat.name, text: msg.text }), 'chat');
          return;
        case ClientType.Leave:
          room.leave(seat);
          return;
        case ClientType.Request:
          data.conn.send(encodeServer({ type: ServerType.Response, id: msg.id, ok: false, body: { error: `unknown method "${msg.method}"` } }), 'response');
          return;
      }
    },

    close: (ws: WebSocket<PlayData>, code: number) => {
      const data = ws.getUserData();
      d.metrics.connections.dec({ namespace: NAMESPACE });
      d.metrics.closes.inc({ code: String(code) });
      if (data.conn) data.conn.closed = true;
      if (data.room && data.seat && data.conn) data.room.detach(data.seat, data.conn);
      d.log.debug({ matchId: data.roomId, userId: data.user.id, code }, 'play socket closed');
    },
  });
}
