/**
 * Probes for load balancers and orchestrators:
 *   /healthz  liveness: the process runs and its event loop is not stalled (503 + reason
 *             when a timer probe ran later than the stall threshold). Restart on failure.
 *   /readyz   readiness: this process takes new matches. 503 while draining or while a
 *             required dependency is down (none on a single node; Redis with --redis),
 *             and while every seat is taken — reservations count, so a flood of
 *             tickets nobody redeems shows up here — as 503 "full". Stop routing new
 *             players on failure; do not restart.
 */
import type { SeatCounts } from '../rooms/seatCapacity.js';
import type { LoopHealth } from '../observability/loopHealth.js';
import type { TemplatedApp } from '../uws.js';
import { Exchange } from './exchange.js';

export interface DependencyStatus {
  name: string;
  ok: boolean;
  detail?: string;
}

export interface HealthDeps {
  app: TemplatedApp;
  loop: LoopHealth;
  draining: () => boolean;
  /** Live matches and the limit, shown in the readyz body. */
  matches: () => { live: number; max: number };
  /** Reserved, seated and free human seats; no free seat → readyz 503 "full". */
  seats?: () => SeatCounts;
  /** Required dependencies; any not ok makes readyz 503. */
  dependencies?: () => DependencyStatus[];
}

export function registerHealthRoutes(d: HealthDeps): void {
  d.app.get('/healthz', (res) => {
    const s = d.loop.status();
    new Exchange(res).json(s.ok ? 200 : 503, s.ok ? { status: 'ok', eventLoopLagMs: s.lagMs } : { status: 'stalled', reason: s.reason, eventLoopLagMs: s.lagMs });
  });

  d.app.get('/readyz', (res) => {
    const ex = new Exchange(res);
    const { live, max } = d.matches();
    if (d.draining()) return ex.json(503, { status: 'draining', reason: 'server is draining: no new matches', matches: live, maxMatches: max });
    const seats = d.seats?.();
    const extra = seats ? { seats } : {};
    const down = (d.dependencies?.() ?? []).filter((x) => !x.ok);
    if (down.length > 0) {
      const reason = down.map((x) => `${x.name} unavailable${x.detail ? `: ${x.detail}` : ''}`).join('; ');
      return ex.json(503, { status: 'unavailable', reason, matches: live, maxMatches: max, ...extra });
    }
    if (seats && seats.free === 0) {
      return ex.json(503, { status: 'full', reason: 'every seat is taken or reserved', matches: live, maxMatches: max, ...extra });
    }
    ex.json(200, { status: 'ready', matches: live, maxMatches: max, ...extra });
  });
}
