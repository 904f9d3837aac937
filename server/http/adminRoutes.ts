/**
 * Operator endpoints, behind an admin token (`tickwire token --admin`, signed with the
 * admin secret; see server/auth/tokens.ts). Player tokens are refused with 403 even when
 * they carry an admin role: the admin secret alone grants admin.
 *
 *   GET /api/admin/matches  every live match: phase, tick, age, seats, scores.
 */
import { bearerFromHeader, type TokenService } from '../auth/tokens.js';
import type { AdminCommands } from '../admin/adminCommands.js';
import type { Metrics } from '../observability/metrics.js';
import type { TemplatedApp } from '../uws.js';
import { Exchange } from './exchange.js';

export interface AdminDeps {
  app: TemplatedApp;
  tokens: TokenService;
  metrics: Metrics;
  commands: AdminCommands;
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
    ex.json(200, d.commands.overview());
  });
}
