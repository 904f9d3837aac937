/**
 * The per-user and per-address limits that keep one client from exhausting what everyone
 * shares (seats, sockets, streams, join codes). Defaults are generous for a real player —
 * several tabs, a reconnect storm after a network drop, a few mistyped codes — and far
 * below what a script does. Every refusal answers 429 with Retry-After (HTTP and refused
 * upgrades) and counts in `tickwire_limit_hits_total{limit}`.
 */
import type { RateLimit } from './keyedRateLimiter.js';

export interface AbuseLimits {
  /** POST /api/auth/guest per client address. */
  guestSignupsPerAddress: RateLimit;
  /** Seat requests (quick play, create, join by code, resume) per user. */
  matchmakesPerUser: RateLimit;
  /** Join-code attempts (matchmake with a code, spectate with a code) per user. */
  joinCodeAttemptsPerUser: RateLimit;
  /** POST /api/events/ticket per user (each ticket is held for 30 s until used). */
  streamTicketsPerUser: RateLimit;
  /** POST /api/invite per user (each one is a notification on someone else's screen). */
  invitesPerUser: RateLimit;
  /** Open WebSocket connections per user in each namespace (/play, /lobby, /spectate, /admin). */
  connectionsPerUserPerNamespace: number;
  /** Open SSE streams (GET /api/events) per user. */
  eventStreamsPerUser: number;
}

export const defaultAbuseLimits: AbuseLimits = {
  guestSignupsPerAddress: { perMinute: 30, burst: 30 },
  matchmakesPerUser: { perMinute: 60, burst: 10 },
  joinCodeAttemptsPerUser: { perMinute: 10, burst: 5 },
  streamTicketsPerUser: { perMinute: 30, burst: 10 },
  invitesPerUser: { perMinute: 10, burst: 5 },
  connectionsPerUserPerNamespace: 8,
  eventStreamsPerUser: 4,
};

function rateOk(r: unknown): r is RateLimit {
  const x = r as RateLimit;
  return (
    typeof x === 'object' && x !== null && Number.isInteger(x.perMinute) && x.perMinute >= 1 && x.perMinute <= 1_000_000 &&
    Number.isInteger(x.burst) && x.burst >= 1 && x.burst <= 1_000_000
  );
}

/** The name of the first invalid field, or null. */
export function invalidAbuseLimit(l: AbuseLimits): string | null {
  for (const k of ['guestSignupsPerAddress', 'matchmakesPerUser', 'joinCodeAttemptsPerUser', 'streamTicketsPerUser', 'invitesPerUser'] as const) {
    if (!rateOk(l[k])) return `${k}: {perMinute, burst} must be integers from 1 to 1000000`;
  }
  for (const k of ['connectionsPerUserPerNamespace', 'eventStreamsPerUser'] as const) {
    if (!Number.isInteger(l[k]) || l[k] < 1 || l[k] > 100_000) return `${k}: must be an integer from 1 to 100000`;
  }
  return null;
}

/** Operator JSON merged over the defaults; unknown keys and bad values throw one clear line. */
export function mergeAbuseLimits(v: Record<string, unknown>): AbuseLimits {
  for (const key of Object.keys(v)) {
    if (!Object.hasOwn(defaultAbuseLimits, key)) throw new Error(`unknown key "${key}" (known: ${Object.keys(defaultAbuseLimits).join(', ')})`);
  }
  const merged = { ...defaultAbuseLimits, ...v } as AbuseLimits;
  const bad = invalidAbuseLimit(merged);
  if (bad) throw new Error(bad);
  return merged;
}
