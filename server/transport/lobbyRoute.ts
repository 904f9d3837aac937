/**
 * `/lobby`: any signed-in user, no ticket. Receives the online count, the live public match
 * list, lobby chat and the user's notifications; may send chat (sanitized, length-checked
 * by the codec, and limited to a few lines per second: over that the line is refused with
 * an Error frame, not a disconnect) and ping.
 */
import { ClientType, CloseCode, encodeServer, ServerType } from '../../protocol/index.js';
import type { Clock } from '../clock.js';
import type { AuthUser } from '../auth/tokens.js';
import type { Connection } from '../rooms/connection.js';
import { closeForViolation, keepaliveIdleMs, registerNamespace, type NamespaceDeps, type NamespaceHandle } from './namespace.js';
import { TokenBucket } from './rateLimit.js';

/**
 * What the socket needs from the lobby service (server/lobby/lobbyService.ts implements
 * it); `M` is the service's handle for one member.
 */
export interface LobbyMembership<M> {
  join(user: AuthUser, conn: Connection): Promise<M>;
  leave(member: M): void;
  /** False when nothing visible was left to send. */
  chat(user: AuthUser, text: string): boolean;
}

export interface LobbyRouteOptions<M> {
  lobby: LobbyMembership<M>;
  clock: Clock;
  idleTimeoutSeconds: number;
  maxFrameBytes: number;
  /** Chat lines per second (sustained); bursts of 3× are allowed. */
  chatPerSecond: number;
  /** Why the lobby cannot serve now (cluster: Redis down) → the upgrade is refused with 503; null when it can. */
  unavailable?: () => string | null;
}

interface LobbySocket<M> {
  member: Promise<M> | null;
  chat: TokenBucket;
}

export function registerLobbyRoute<M>(d: NamespaceDeps, o: LobbyRouteOptions<M>): NamespaceHandle {
  return registerNamespace<LobbySocket<M>>(d, {
    path: '/lobby',
    name: 'lobby',
    idleTimeoutSeconds: o.idleTimeoutSeconds,
    // A socket must complete a frame or answer a ping within the window (4017 otherwise).
    closeIdleAfterMs: keepaliveIdleMs(o.idleTimeoutSeconds),
    pongKeepsAlive: true,
    maxFrameBytes: o.maxFrameBytes,
    authorize: () => {
      const why = o.unavailable?.();
      if (why) return { ok: false, status: 503, error: why, reason: 'unavailable' };
      return { ok: true, state: { member: null, chat: new TokenBucket(o.clock, o.chatPerSecond, o.chatPerSecond * 3) } };
    },
    open: (ctx) => {
      ctx.state.member = o.lobby.join(ctx.user, ctx.conn);
    },
    message: (ctx, msg) => {
      switch (msg.type) {
        case ClientType.Chat:
          if (!ctx.state.chat.take()) {
            ctx.conn.send(encodeServer({ type: ServerType.Error, code: CloseCode.RateLimited, message: 'chat rate limited: slow down' }), 'error');
            return;
          }
          o.lobby.chat(ctx.user, msg.text);
          return;
        case ClientType.Ping:
          ctx.conn.send(encodeServer({ type: ServerType.Pong, t: msg.t, serverTime: o.clock.wallNow() }), 'pong');
          return;
        case ClientType.Input:
          return closeForViolation(d.metrics, ctx.conn, CloseCode.PolicyViolation, 'no inputs in the lobby');
        default:
          return;
      }
    },
    close: (ctx) => {
      void ctx.state.member?.then((m) => o.lobby.leave(m));
    },
  });
}
