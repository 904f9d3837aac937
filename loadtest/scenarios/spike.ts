/**
 * spike: a connection storm. All VUS sign in, matchmake and connect at once; at HOLD after
 * the start every socket drops at the same moment (no `leave`, like a network blip), and
 * every player reconnects at once: the same token matchmakes again, gets its own seat back
 * within the server's reconnection grace, and resumes. Plays until 2×HOLD, then leaves.
 *
 *   k6 run -e TARGET=http://host:8080 [-e VUS=300] [-e HOLD=20s] loadtest/dist/spike.js
 *
 * `tw_resumes` counts reconnects that got the same seat; its threshold wants nearly all.
 */
import exec from 'k6/execution';
import type { Options } from 'k6/options';
import { envDurationMs, envNum, target } from '../lib/env.js';
import { playSession } from '../lib/session.js';
import { summaryHandler } from '../lib/summary.js';
import { playLimits, playThresholds, TREND_STATS } from '../lib/thresholds.js';

const TARGET = target();
const VUS = envNum('VUS', 300);
const HOLD_MS = envDurationMs('HOLD', '20s');
// A storm is allowed to be slower to connect than steady state.
const limits = playLimits({ connectP95Ms: 3000, matchmakeP95Ms: 3000 });

export const options: Options = {
  scenarios: {
    spike: {
      executor: 'per-vu-iterations',
      vus: VUS,
      iterations: 2,
      maxDuration: `${Math.ceil((2 * HOLD_MS) / 1000) + 60}s`,
    },
  },
  thresholds: {
    ...playThresholds(limits),
    // Of the VUS second sessions, at least 95 % resumed their seat.
    tw_resumes: [`count>=${Math.floor(VUS * 0.95)}`],
  },
  summaryTrendStats: TREND_STATS,
};

export default function (): void {
  const start = exec.scenario.startTime;
  const first = exec.vu.iterationInScenario === 0;
  playSession({
    target: TARGET,
    deadline: start + (first ? HOLD_MS : 2 * HOLD_MS),
    end: first ? 'drop' : 'leave',
    tags: { wave: first ? 'connect' : 'reconnect' },
  });
}

export const handleSummary = summaryHandler('spike');
