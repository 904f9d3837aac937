/**
 * soak: constant players for a long time (DURATION, required in spirit: default 10m) to
 * catch leaks, drift and slow degradation. Sessions play whole matches and matchmake again,
 * so matches are created and disposed all along.
 *
 *   k6 run -e TARGET=http://host:8080 -e DURATION=1h [-e VUS=50] loadtest/dist/soak.js
 */
import type { Options } from 'k6/options';
import { envDuration, envNum, target } from '../lib/env.js';
import { playSession } from '../lib/session.js';
import { summaryHandler } from '../lib/summary.js';
import { playThresholds, TREND_STATS } from '../lib/thresholds.js';

const TARGET = target();

export const options: Options = {
  scenarios: {
    soak: {
      executor: 'constant-vus',
      vus: envNum('VUS', 50),
      duration: envDuration('DURATION', '10m'),
      gracefulStop: '5s',
    },
  },
  thresholds: playThresholds(),
  summaryTrendStats: TREND_STATS,
};

export default function (): void {
  playSession({ target: TARGET, end: 'leave' });
}

export const handleSummary = summaryHandler('soak');
