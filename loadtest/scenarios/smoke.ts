/**
 * smoke: a few players for a short while: every step of a player's life works and the
 * thresholds hold. Each session plays SESSION (±25 %) then leaves properly, so VUs
 * matchmake several times per run. `npm test` runs this against a real server.
 *
 *   k6 run -e TARGET=http://host:8080 [-e VUS=20] [-e DURATION=30s] [-e SESSION=12s] loadtest/dist/smoke.js
 */
import type { Options } from 'k6/options';
import { envDuration, envDurationMs, envNum, target } from '../lib/env.js';
import { playSession } from '../lib/session.js';
import { summaryHandler } from '../lib/summary.js';
import { playThresholds, TREND_STATS } from '../lib/thresholds.js';

const TARGET = target();
const SESSION_MS = envDurationMs('SESSION', '12s');

export const options: Options = {
  scenarios: {
    smoke: {
      executor: 'constant-vus',
      vus: envNum('VUS', 20),
      duration: envDuration('DURATION', '30s'),
      // Long enough for the last sessions to finish on their own instead of being cut off.
      gracefulStop: `${Math.ceil((SESSION_MS * 1.25) / 1000) + 10}s`,
    },
  },
  thresholds: playThresholds(),
  summaryTrendStats: TREND_STATS,
};

export default function (): void {
  // Spread session ends so VUs do not all leave and rejoin in the same second.
  const jitter = 0.75 + ((__VU * 37 + __ITER * 11) % 50) / 100;
  playSession({ target: TARGET, maxMs: SESSION_MS * jitter, end: 'leave' });
}

export const handleSummary = summaryHandler('smoke');
