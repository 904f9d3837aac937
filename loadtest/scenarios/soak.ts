/**
 * soak: constant players for a long time (DURATION, required in spirit: default 10m) to
 * catch leaks, drift and slow degradation. Sessions play whole matches and matchmake again,
 * so matches are created and disposed all along.
 *
 *   k6 run -e TARGET=http://host:8080 -e DURATION=1h [-e VUS=50] loadtest/dist/soak.js
 */
import { sleep } from 'k6';
import exec from 'k6/execution';
import type { Options } from 'k6/options';
import { envDuration, envDurationMs, envNum, target } from '../lib/env.js';
import { playSession } from '../lib/session.js';
import { summaryHandler } from '../lib/summary.js';
import { playThresholds, TREND_STATS } from '../lib/thresholds.js';

const TARGET = target();
const DURATION = envDuration('DURATION', '10m');
const DURATION_MS = envDurationMs('DURATION', '10m');

export const options: Options = {
  scenarios: {
    soak: {
      executor: 'constant-vus',
      vus: envNum('VUS', 50),
      duration: DURATION,
      gracefulStop: '10s',
    },
  },
  thresholds: playThresholds(),
  summaryTrendStats: TREND_STATS,
};

export default function (): void {
  // Everyone leaves when the duration is up, instead of k6 cutting sockets mid-match.
  const deadline = exec.scenario.startTime + DURATION_MS;
  if (Date.now() >= deadline - 1000) return void sleep(1);
  playSession({ target: TARGET, deadline, end: 'leave' });
}

export const handleSummary = summaryHandler('soak');
