/**
 * The reconnection schedule: exponential from 0.5 s to 8 s, with jitter so that many
 * clients dropped by the same network blip do not come back in lockstep (thundering herd).
 *
 * Attempt n (from 0) has the nominal delay initial · factor^n capped at max, and is spread
 * uniformly over ±jitter/2 of it, then kept inside [initial, max]: with the defaults
 * 0.5–0.625 s, 0.75–1.25 s, 1.5–2.5 s, 3–5 s, 6–8 s, then 6–8 s for every later attempt.
 */
export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  factor: number;
  /** Relative spread around the nominal delay (0.5 → ±25 %). */
  jitter: number;
}

export const DEFAULT_BACKOFF: Readonly<BackoffOptions> = Object.freeze({
  initialMs: 500,
  maxMs: 8000,
  factor: 2,
  jitter: 0.5,
});

/** The nominal (un-jittered) delay before attempt `attempt` (0-based). */
export function nominalDelay(attempt: number, o: BackoffOptions = DEFAULT_BACKOFF): number {
  return Math.min(o.maxMs, o.initialMs * o.factor ** Math.max(0, attempt));
}

/** The delay before attempt `attempt`; `random` returns [0, 1). */
export function backoffDelay(attempt: number, random: () => number = Math.random, o: BackoffOptions = DEFAULT_BACKOFF): number {
  const nominal = nominalDelay(attempt, o);
  const spread = nominal * (1 - o.jitter / 2 + o.jitter * random());
  return Math.min(o.maxMs, Math.max(o.initialMs, spread));
}
