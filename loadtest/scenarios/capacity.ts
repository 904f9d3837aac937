/**
 * capacity: ramps players up to VUS in stages and holds, to find where latency, jitter or
 * errors cross the thresholds. Sessions play until their match ends, then matchmake again.
 *
 *   k6 run -e TARGET=http://host:8080 [-e VUS=200] [-e RAMP=1m] [-e HOLD=2m] loadtest/dist/capacity.js
 *
 * Stages: RAMP to VUS/2, HOLD/2 there, RAMP to VUS, HOLD there, 20 s down (every session
 * leaves when the ramp-down starts). k6 needs about
 * one CPU core per few hundred VUs at 30 inputs/s each; beyond that use loadtest/bots.
 */
import { sleep } from 'k6';
import exec from 'k6/execution';
import type { Options } from 'k6/options';
import { envDuration, envNum, target } from '../lib/env.js';
import { playSession } from '../lib/session.js';
import { summaryHandler } from '../lib/summary.js';
import { playThresholds, TREND_STATS } from '../lib/thresholds.js';
import { parseDurationMs } from '../lib/env.js';

const TARGET = target();
const VUS = envNum('VUS', 200);
const RAMP = envDuration('RAMP', '1m');
const HOLD = envDuration('HOLD', '2m');
const halfHold = `${Math.max(1, Math.round(parseDurationMs(HOLD)! / 2000))}s`;
// Sessions end (with a proper leave) when the ramp-down starts, so k6 does not cut them.
const RAMP_DOWN_AT_MS = 2 * parseDurationMs(RAMP)! + parseDurationMs(halfHold)! + parseDurationMs(HOLD)!;

export const options: Options = {
  scenarios: {
    capacity: {
      executor: 'ramping-vus',
      startVUs: 0,
      stages: [
        { duration: RAMP, target: Math.max(1, Math.round(VUS / 2)) },
        { duration: halfHold, target: Math.max(1, Math.round(VUS / 2)) },
        { duration: RAMP, target: VUS },
        { duration: HOLD, target: VUS },
        { duration: '20s', target: 0 },
      ],
      gracefulRampDown: '5s',
    },
  },
  thresholds: playThresholds(),
  summaryTrendStats: TREND_STATS,
};

export default function (): void {
  const deadline = exec.scenario.startTime + RAMP_DOWN_AT_MS;
  if (Date.now() >= deadline - 1000) return void sleep(1);
  playSession({ target: TARGET, deadline, end: 'leave' });
}

export const handleSummary = summaryHandler('capacity');
