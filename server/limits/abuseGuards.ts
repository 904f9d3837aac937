/**
 * One process's instances of the abuse limits (server/limits/abuseLimits.ts): the routes
 * and namespaces ask these before they do any work for a request.
 */
import type { Clock } from '../clock.js';
import type { Metrics } from '../observability/metrics.js';
import type { AbuseLimits } from './abuseLimits.js';
import { ConcurrencyLimiter } from './concurrencyLimiter.js';
import { KeyedRateLimiter, type LimitDecision } from './keyedRateLimiter.js';

export class AbuseGuards {
  readonly guestSignups: KeyedRateLimiter;
  readonly matchmakes: KeyedRateLimiter;
  readonly joinCodes: KeyedRateLimiter;
  readonly streamTickets: KeyedRateLimiter;
  readonly invites: KeyedRateLimiter;
  readonly eventStreams: ConcurrencyLimiter;
  private readonly connections = new Map<string, ConcurrencyLimiter>();

  constructor(
    clock: Clock,
    readonly limits: AbuseLimits,
    private readonly metrics: Metrics,
  ) {
    this.guestSignups = new KeyedRateLimiter(clock, limits.guestSignupsPerAddress);
    this.matchmakes = new KeyedRateLimiter(clock, limits.matchmakesPerUser);
    this.joinCodes = new KeyedRateLimiter(clock, limits.joinCodeAttemptsPerUser);
    this.streamTickets = new KeyedRateLimiter(clock, limits.streamTicketsPerUser);
    this.invites = new KeyedRateLimiter(clock, limits.invitesPerUser);
    this.eventStreams = new ConcurrencyLimiter(limits.eventStreamsPerUser);
  }

  /** Open sockets per user in one namespace. */
  connectionsIn(namespace: string): ConcurrencyLimiter {
    let c = this.connections.get(namespace);
    if (!c) this.connections.set(namespace, (c = new ConcurrencyLimiter(this.limits.connectionsPerUserPerNamespace)));
    return c;
  }

  /** Counts a refusal under `limit` (tickwire_limit_hits_total) and passes the decision on. */
  check(limit: string, decision: LimitDecision): LimitDecision {
    if (!decision.ok) this.metrics.limitHits.inc({ limit });
    return decision;
  }

  /** Counts a refusal by a concurrency limit. */
  refused(limit: string): void {
    this.metrics.limitHits.inc({ limit });
  }
}

/** Retry-After for a refused connection or stream: "once one of yours closes", as a hint. */
export const CONCURRENCY_RETRY_AFTER_SECONDS = 5;
