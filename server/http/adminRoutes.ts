/**
 * Operator endpoints, behind an admin token (`tickwire token --admin`, signed with the
 * admin secret; see server/auth/tokens.ts). Player tokens are refused with 403 even when
 * they carry an admin role: the admin secret alone grants admin.
 *
 *   GET /api/admin/matches  every live match: phase, tick, age, seats, scores.
 */
import { phaseNames } from '../../protocol/index.js';
import { bearerFromHeader, type TokenService } from '../auth/tokens.js';
import type { Clock } from '../clock.js';
import type { Metrics } from '../observability/metrics.js';
import type { RoomManager } from '../rooms/roomManager.js';
import type { TemplatedApp } from '../uws.js';
import { Exchange } from './exchange.js';

export interface AdminDeps {
  app: TemplatedApp;
  tokens: TokenService;
  rooms: RoomManager;
  metrics: Metrics;
  clock: Clock;
  /** Drain state for the overview: ms until matches are ended, null when not draining. */
  drainMsLeft: () => number | null;
}

export function registerAdminRoutes(d: AdminDeps): void {
  /** True when the request carries a valid admin token; otherwise answers 401/403. */
  const authorize = (authorization: string, ex: Exchange): boolean => {
    const v = d.tokens.verifyAdmin(bearerFromHeader(authorization));
    if (v.ok) return true;
    d.metrics.authFailures.inc({ reason: `admin_${v.reason}` });
    if (v.reason === 'disabled') ex.error(403, 'admin API disabled: start the server with --admin-secret (or TICKWIRE_ADMIN_SECRET)');
    else if (v.reason === 'forbidden') ex.error(403, 'admin token required: mint one with `tickwire token --admin`');
    else ex.error(401, v.reason === 'expired' ? 'admin token expired' : 'missing or invalid admin token');
    return false;
  };

  d.app.get('/api/admin/matches', (res, req) => {
    const ex = new Exchange(res);
    if (!authorize(req.getHeader('authorization'), ex)) return;
    const now = d.clock.now();
    const drainMsLeft = d.drainMsLeft();
    const matches = d.rooms.list().map((r) => ({
      id: r.id,
      mode: r.mode.name,
      phase: phaseNames[r.phase],
      tick: r.serverTick,
      ageSeconds: Math.round((now - r.createdAt) / 1000),
      maxPlayers: r.maxPlayers,
      bots: r.botCount,
      players: r.seatList().map((s) => ({ userId: s.userId, name: s.name, playerId: s.playerId, status: s.status })),
      scores: r.scores(),
    }));
    ex.json(200, { draining: drainMsLeft !== null, drainMsLeft, matches });
  });
}
