/**
 * Pass/fail criteria shared by the play scenarios. Defaults suit a server on the same LAN
 * (or loopback); each is overridable with `-e`, so a run against a far-away host can widen
 * the latency limits without editing scripts. A failed threshold makes k6 exit non-zero.
 */
import { CloseCode } from '../../protocol/index.js';
import { envNum } from './env.js';

/** Trend statistics printed and kept in the summary (k6's default lacks p99). */
export const TREND_STATS = ['avg', 'min', 'med', 'p(90)', 'p(95)', 'p(99)', 'max', 'count'];

/**
 * Close codes listed one by one in the summary. k6 only reports a tag's sub-metric when a
 * threshold names it, so each gets an always-true `count>=0` threshold; the real limit is
 * on the whole metric.
 */
export const REPORTED_CLOSE_CODES = [1001, 1006, 1011, ...Object.values(CloseCode)].filter((c) => c !== CloseCode.MatchEnded);

export function closeCodeSubmetrics(metric: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const code of REPORTED_CLOSE_CODES) out[`${metric}{code:${code}}`] = ['count>=0'];
  return out;
}

export interface PlayLimits {
  rttP95Ms: number;
  jitterP95Ms: number;
  connectP95Ms: number;
  matchmakeP95Ms: number;
  maxFailRate: number;
}

export function playLimits(defaults: Partial<PlayLimits> = {}): PlayLimits {
  return {
    rttP95Ms: envNum('RTT_P95_MS', defaults.rttP95Ms ?? 100),
    jitterP95Ms: envNum('JITTER_P95_MS', defaults.jitterP95Ms ?? 50),
    connectP95Ms: envNum('CONNECT_P95_MS', defaults.connectP95Ms ?? 1000),
    matchmakeP95Ms: envNum('MATCHMAKE_P95_MS', defaults.matchmakeP95Ms ?? 1000),
    maxFailRate: envNum('MAX_FAIL_RATE', defaults.maxFailRate ?? 0.01),
  };
}

/** Thresholds for scenarios where VUs play matches. */
export function playThresholds(limits: PlayLimits = playLimits()): Record<string, string[]> {
  return {
    tw_rtt_ms: [`p(95)<${limits.rttP95Ms}`],
    tw_snapshot_jitter_ms: [`p(95)<${limits.jitterP95Ms}`],
    tw_connect_ms: [`p(95)<${limits.connectP95Ms}`],
    tw_matchmake_ms: [`p(95)<${limits.matchmakeP95Ms}`],
    tw_session_failed: [`rate<${limits.maxFailRate}`],
    // At least one session must have played, or a run against a dead server would "pass".
    tw_sessions: ['count>0'],
    tw_decode_errors: ['count==0'],
    tw_unexpected_closes: ['count==0'],
    checks: [`rate>${1 - limits.maxFailRate}`],
    ...closeCodeSubmetrics('tw_unexpected_closes'),
  };
}
