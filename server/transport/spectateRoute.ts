/**
 * `/spectate?match=ID[&code=CODE]`: read-only viewers of a match. Any signed-in user may
 * watch a public match; a private one needs its join code. Spectators get the same
 * snapshots as players (all players visible), are counted separately, and any input frame
 * closes the socket with the policy-violation code.
 */
import { ClientType, CloseCode, closeMessage, encodeServer, ServerType } from '../../protocol/index.js';
import type { Clock } from '../clock.js';
import { normalizeJoinCode } from '../rooms/joinCode.js';
import type { Room } from '../rooms/room.js';
import type { RoomManager } from '../rooms/roomManager.js';
import { closeForViolation, keepaliveIdleMs, registerNamespace, type NamespaceDeps, type NamespaceHandle } from './namespace.js';

export interface SpectateRouteOptions {
  rooms: RoomManager;
  clock: Clock;
  idleTimeoutSeconds: number;
  maxFrameBytes: number;
}

export function registerSpectateRoute(d: NamespaceDeps, o: SpectateRouteOptions): NamespaceHandle {
  return registerNamespace<{ room: Room }>(d, {
    path: '/spectate',
    name: 'spectate',
    idleTimeoutSeconds: o.idleTimeoutSeconds,
    // A socket must complete a frame or answer a ping within the window (4017 otherwise).
    closeIdleAfterMs: keepaliveIdleMs(o.idleTimeoutSeconds),
    pongKeepsAlive: true,
    maxFrameBytes: o.maxFrameBytes,
    authorize: (user, req) => {
      // A code is a guess until it matches: it draws from the user's join-code budget.
      if (req.getQuery('code') && d.guards) {
        const limited = d.guards.check('join_codes', d.guards.joinCodes.take(user.id));
        if (!limited.ok) {
          const headers = { 'retry-after': String(limited.retryAfterSeconds) };
          return { ok: false, status: 429, error: 'too many join-code attempts: wait a moment', reason: 'rate_limited', headers };
        }
      }
      const room = o.rooms.get(req.getQuery('match') ?? '');
      if (!room || room.isDisposed) return { ok: false, status: 404, error: 'match not found', reason: 'spectate_not_found' };
      if (room.isPrivate && normalizeJoinCode(req.getQuery('code')) !== room.joinCode) {
        // Same answer as a missing match: a private match's existence is not disclosed.
        return { ok: false, status: 404, error: 'match not found', reason: 'spectate_private' };
      }
      return { ok: true, state: { room } };
    },
    open: (ctx) => {
      if (!ctx.state.room.addSpectator(ctx.conn)) {
        const code = ctx.state.room.isDisposed ? CloseCode.MatchNotFound : CloseCode.MatchFull;
        ctx.conn.close(code, closeMessage(code));
      }
    },
    message: (ctx, msg) => {
      switch (msg.type) {
        case ClientType.Ping:
          ctx.conn.send(encodeServer({ type: ServerType.Pong, t: msg.t, serverTime: o.clock.wallNow() }), 'pong');
          return;
        case ClientType.Leave:
          ctx.conn.close(1000, 'left');
          return;
        default:
          // Spectators are read-only: inputs, chat and requests are all refused.
          return closeForViolation(d.metrics, ctx.conn, CloseCode.PolicyViolation, 'spectators cannot send inputs');
      }
    },
    close: (ctx) => ctx.state.room.removeSpectator(ctx.conn),
  });
}
