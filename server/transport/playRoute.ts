/**
 * The `/play` namespace: one socket per seated player. The upgrade redeems the seat ticket
 * (single use, bound to this user and match) on top of the shared namespace checks; after
 * that the socket's state carries the player's room and seat. Inputs and other messages
 * have their own rate limits; a bad frame closes only its own socket.
 */
import { ClientType, CloseCode, closeMessage, cleanText, encodePong, encodeServer, Limits, PongWriter, ServerType, type ClientMessage } from '../../protocol/index.js';
import type { TicketStore } from '../auth/tickets.js';
import type { AuthUser } from '../auth/tokens.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../observability/logger.js';
import type { Connection } from '../rooms/connection.js';
import type { Room } from '../rooms/room.js';
import type { RoomManager } from '../rooms/roomManager.js';
import type { Seat } from '../rooms/seat.js';
import { queueInput, type InputSlotRef } from '../rooms/tickInputs.js';
import { registerNamespace, type Authorization, type NamespaceDeps, type NamespaceHandle, type RateClasses } from './namespace.js';
import { TokenBucket, type RateLimit } from './rateLimit.js';

export interface PlayRouteOptions {
  tickets: TicketStore;
  rooms: RoomManager;
  clock: Clock;
  log: Logger;
  maxFrameBytes: number;
  maxInputsPerSecond: number;
  idleTimeoutSeconds: number;
  /** In-match chat lines per second per socket, bursts of 3× (the lobby's limit; default 1). */
  chatPerSecond?: number;
}

export interface PlaySocket {
  roomId: string;
  room: Room | null;
  seat: Seat | null;
  chat: TokenBucket;
}

/**
 * Seconds of inputs at `maxInputsPerSecond` a socket may send at once (default 60/s → 300,
 * ten seconds of a 30 Hz client). A flood at F inputs/s is closed after 300 / (F − 60) s:
 * ~5 s at 120/s, ~1 s at 360/s.
 */
export const INPUT_BURST_SECONDS = 5;

/** Other messages than inputs (pings, chat, requests): per second, and burst. */
const OTHER_RATE: RateLimit = { ratePerSecond: 10, burst: 20 };

function inputsRate(o: PlayRouteOptions): RateLimit {
  // Burst of INPUT_BURST_SECONDS at the full rate: the catch-up a TCP connection delivers
  // after a network stall is absorbed (the room drops it as late inputs), while a sustained
  // flood well above the rate still closes with 4008 within seconds.
  return { ratePerSecond: o.maxInputsPerSecond, burst: o.maxInputsPerSecond * INPUT_BURST_SECONDS };
}

/** Inputs and input batches (one token per input they carry, rateTokens in namespace.ts) draw from the inputs bucket. */
function isInput(msg: ClientMessage): boolean {
  return msg.type === ClientType.Input || msg.type === ClientType.InputBatch;
}

/** A play connection's buckets: class 0 inputs, class 1 everything else; chat has its own (`PlaySocket.chat`). */
export function playRateClasses(o: PlayRouteOptions): RateClasses {
  return { limits: [inputsRate(o), OTHER_RATE], classOf: (msg) => (isInput(msg) ? 0 : 1) };
}

const TICKET_ERRORS = { unknown: 'unknown or already used ticket', expired: 'ticket expired', foreign: 'ticket belongs to another user' };

/**
 * A seated player's connection, whichever transport carries it (WebSocket or long-polling).
 * Its InputSlotRef (the room's input array and the seat's slot, set on attach) is on the
 * context itself, not in `state`: an input goes context → array → slot, without the state,
 * the room, the seat or a queue object on the way (each a cache miss live: tickInputs.ts).
 */
export interface PlayContext extends InputSlotRef {
  user: AuthUser;
  conn: Connection;
  state: PlaySocket;
}

/**
 * What happens on a play connection, independent of the transport: redeeming the seat
 * ticket, attaching to the room, the per-message-class rate limits and each message's
 * handling. The `/play` namespace and the long-polling routes both run exactly this.
 */
export interface PlayHandlers {
  /** Redeems the single-use seat ticket (bound to this user and match). */
  authorize(user: AuthUser, ticket: string): Authorization<PlaySocket>;
  open(ctx: PlayContext): void;
  /**
   * The per-connection rate limits and which one a decoded message draws from (inputs at
   * the tick rate, the rest a few per second): both transports keep them in a SocketRates
   * row per connection (the /play namespace's, the polling routes' own).
   */
  readonly rateClasses: RateClasses;
  message(ctx: PlayContext, msg: ClientMessage): void;
  close(ctx: PlayContext, code: number): void;
}

/** How a transport's Pong frames are encoded (see registerPlayRoute). */
export interface PongEncoder {
  encode(t: number, serverTime: number): Uint8Array;
}

/** Fresh Pong arrays: safe for any Connection, including one that queues frames (long-polling). */
const FRESH_PONGS: PongEncoder = { encode: encodePong };

export function createPlayHandlers(o: PlayRouteOptions, pongs: PongEncoder = FRESH_PONGS): PlayHandlers {
  return {
    rateClasses: playRateClasses(o),
    authorize: (user, ticket) => {
      const redeemed = o.tickets.redeem(ticket, user.id);
      if (!redeemed.ok) return { ok: false, status: 403, error: TICKET_ERRORS[redeemed.reason], reason: `ticket_${redeemed.reason}` };
      const room = o.rooms.get(redeemed.ticket.matchId);
      if (!room || !room.seatOf(user.id)) return { ok: false, status: 404, error: 'match not found', reason: 'match_gone' };
      return {
        ok: true,
        state: {
          roomId: room.id,
          room: null,
          seat: null,
          chat: new TokenBucket(o.clock, o.chatPerSecond ?? 1, (o.chatPerSecond ?? 1) * 3),
        },
      };
    },
    open: (ctx) => {
      // The room may have ended between the upgrade and now.
      const room = o.rooms.get(ctx.state.roomId);
      const attached = room ? room.attach(ctx.user.id, ctx.conn) : ({ ok: false, code: CloseCode.MatchNotFound } as const);
      if (!attached.ok) {
        ctx.conn.close(attached.code, closeMessage(attached.code));
        return;
      }
      ctx.state.room = room!;
      ctx.state.seat = attached.seat;
      ctx.inputWords = room!.inputStore.data;
      ctx.inputAt = attached.seat.inputAt;
      ctx.inputGen = attached.seat.inputGen;
    },

    message: (ctx, msg) => {
      if (msg.type === ClientType.Input) {
        // Room.queueInput's work, straight into the seat's slot (a seat that left has a new
        // generation there: the input is ignored, as the room ignores a gone seat's).
        const words = ctx.inputWords;
        if (words === null) return;
        const verdict = queueInput(words, ctx.inputAt, ctx.inputGen, msg);
        if (verdict !== null && verdict !== '') ctx.state.room!.inputStore.rejected(verdict);
        return;
      }
      const { room, seat } = ctx.state;
      if (!room || !seat) return;
      switch (msg.type) {
        case ClientType.InputBatch:
          if (ctx.inputWords !== null) room.inputStore.offerBatch(ctx.inputAt, ctx.inputGen, msg.inputs);
          return;
        case ClientType.Ping:
          // Answered at once, not at the next tick, so RTT measures the network only.
          ctx.conn.send(pongs.encode(msg.t, o.clock.wallNow()), 'pong');
          return;
        case ClientType.Chat: {
          // Same policy as the lobby: control, bidi and invisible characters stripped, and the
          // lobby's rate (a line over it is refused with an Error frame, not a disconnect);
          // to the players and spectators of this match only.
          if (!ctx.state.chat.take()) {
            ctx.conn.send(encodeServer({ type: ServerType.Error, code: CloseCode.RateLimited, message: 'chat rate limited: slow down' }), 'error');
            return;
          }
          const text = cleanText(msg.text, Limits.maxChatLength);
          if (text) room.broadcastDirect(encodeServer({ type: ServerType.Chat, from: seat.name, text }), 'chat');
          return;
        }
        case ClientType.Leave:
          room.leave(seat);
          return;
        case ClientType.Request:
          ctx.conn.send(encodeServer({ type: ServerType.Response, id: msg.id, ok: false, body: { error: `unknown method "${msg.method}"` } }), 'response');
          return;
      }
    },

    close: (ctx, code) => {
      const { room, seat } = ctx.state;
      if (room && seat) room.detach(seat, ctx.conn);
      o.log.debug({ matchId: ctx.state.roomId, userId: ctx.user.id, code }, 'play socket closed');
    },
  };
}

/** The `/play` namespace; its handlers are returned for the long-polling routes to share. */
export function registerPlayRoute(d: NamespaceDeps, o: PlayRouteOptions): NamespaceHandle & { handlers: PlayHandlers } {
  const handlers = createPlayHandlers(o);
  // The sockets' own handlers write Pongs into one reused buffer: a uWS `send` copies the
  // frame (or writes it) before it returns (server/transport/socketSender.ts), so the
  // buffer is free again at once. The handlers shared with long-polling keep fresh arrays:
  // a polling connection queues the frames it is given.
  const socketHandlers = createPlayHandlers(o, new PongWriter());
  const ns = registerNamespace<PlaySocket>(d, {
    path: '/play',
    name: 'play',
    idleTimeoutSeconds: o.idleTimeoutSeconds,
    // A player whose client stopped sending anything (inputs, pings) for the idle timeout
    // is closed with 4017 and keeps their seat for the reconnection grace.
    closeIdleAfterMs: o.idleTimeoutSeconds * 1000,
    maxFrameBytes: o.maxFrameBytes,
    // Inputs at the tick rate plus headroom for jitter bursts; everything else a few per second.
    rateClasses: handlers.rateClasses,
    authorize: (user, req) => handlers.authorize(user, req.getQuery('ticket') ?? ''),
    open: handlers.open,
    message: socketHandlers.message,
    close: handlers.close,
  });
  return { stop: () => ns.stop(), handlers };
}
