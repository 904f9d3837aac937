/**
 * The part of k6's `options` this runtime runs: `scenarios` with the executors constant-vus,
 * ramping-vus, per-vu-iterations and shared-iterations (and k6's shortcuts: top-level
 * vus/duration/iterations/stages), `thresholds`, `summaryTrendStats`. Anything else is
 * refused with one line naming it, so a script never runs with a setting silently ignored.
 */
import { configError } from './errors.js';
import { isTrendStat } from './metricSinks.js';
import { DEFAULT_TREND_STATS } from './summaryData.js';

interface Stage {
  durationMs: number;
  target: number;
}

interface Common {
  name: string;
  exec: string;
  startTimeMs: number;
  gracefulStopMs: number;
}

export type ScenarioPlan = Common &
  (
    | { executor: 'constant-vus'; vus: number; durationMs: number }
    | { executor: 'ramping-vus'; startVUs: number; stages: Stage[]; gracefulRampDownMs: number }
    | { executor: 'per-vu-iterations'; vus: number; iterations: number; maxDurationMs: number }
    | { executor: 'shared-iterations'; vus: number; iterations: number; maxDurationMs: number }
  );

export interface RunPlan {
  scenarios: ScenarioPlan[];
  thresholds: unknown;
  trendStats: string[];
}

export const SUPPORTED_EXECUTORS = ['constant-vus', 'ramping-vus', 'per-vu-iterations', 'shared-iterations'];

/** k6 durations: "500ms", "20s", "1m30s", "2h" (or a number of milliseconds). */
export function parseDurationMs(value: unknown, what: string): number {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  if (typeof value === 'string') {
    const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
    let total = 0;
    let consumed = 0;
    for (let m = re.exec(value); m; m = re.exec(value)) {
      total += Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
      consumed += m[0].length;
    }
    if (consumed === value.length && consumed > 0) return total;
  }
  throw configError(`${what}: "${String(value)}" is not a duration like 30s, 1m30s or 500ms`);
}

function count(value: unknown, what: string, fallback?: number): number {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw configError(`${what}: expected a whole number ≥ 0, got ${JSON.stringify(value)}`);
  return value;
}

const KEYS: Record<string, string[]> = {
  'constant-vus': ['vus', 'duration'],
  'ramping-vus': ['startVUs', 'stages', 'gracefulRampDown'],
  'per-vu-iterations': ['vus', 'iterations', 'maxDuration'],
  'shared-iterations': ['vus', 'iterations', 'maxDuration'],
};
const COMMON_KEYS = ['executor', 'exec', 'startTime', 'gracefulStop'];

function scenario(name: string, raw: Record<string, unknown>): ScenarioPlan {
  const executor = raw.executor;
  if (typeof executor !== 'string' || !SUPPORTED_EXECUTORS.includes(executor)) {
    throw configError(`scenario ${name}: executor ${JSON.stringify(executor)} is not supported by this runtime (it runs ${SUPPORTED_EXECUTORS.join(', ')}); run this script with k6`);
  }
  for (const k of Object.keys(raw)) {
    if (!COMMON_KEYS.includes(k) && !KEYS[executor].includes(k)) throw configError(`scenario ${name}: option "${k}" is not supported by this runtime for ${executor}`);
  }
  const common: Common = {
    name,
    exec: raw.exec === undefined ? 'default' : String(raw.exec),
    startTimeMs: raw.startTime === undefined ? 0 : parseDurationMs(raw.startTime, `scenario ${name} startTime`),
    gracefulStopMs: raw.gracefulStop === undefined ? 30_000 : parseDurationMs(raw.gracefulStop, `scenario ${name} gracefulStop`),
  };
  switch (executor) {
    case 'constant-vus':
      return {
        ...common,
        executor,
        vus: count(raw.vus, `scenario ${name} vus`, 1),
        durationMs: parseDurationMs(raw.duration, `scenario ${name} duration`),
      };
    case 'ramping-vus': {
      if (!Array.isArray(raw.stages) || raw.stages.length === 0) throw configError(`scenario ${name}: ramping-vus needs stages: [{duration, target}, …]`);
      const stages = raw.stages.map((s: { duration?: unknown; target?: unknown }, i: number) => ({
        durationMs: parseDurationMs(s.duration, `scenario ${name} stage ${i + 1} duration`),
        target: count(s.target, `scenario ${name} stage ${i + 1} target`),
      }));
      return {
        ...common,
        executor,
        startVUs: count(raw.startVUs, `scenario ${name} startVUs`, 1),
        stages,
        gracefulRampDownMs: raw.gracefulRampDown === undefined ? 30_000 : parseDurationMs(raw.gracefulRampDown, `scenario ${name} gracefulRampDown`),
      };
    }
    case 'per-vu-iterations':
    case 'shared-iterations':
      return {
        ...common,
        executor,
        vus: count(raw.vus, `scenario ${name} vus`, 1),
        iterations: count(raw.iterations, `scenario ${name} iterations`, 1),
        maxDurationMs: raw.maxDuration === undefined ? 600_000 : parseDurationMs(raw.maxDuration, `scenario ${name} maxDuration`),
      };
    default:
      throw configError(`scenario ${name}: unsupported executor ${executor}`);
  }
}

const TOP_KEYS = ['scenarios', 'thresholds', 'summaryTrendStats', 'vus', 'duration', 'iterations', 'stages'];

/** Turns a script's exported options into the plan the scheduler runs. */
export function planFromOptions(options: unknown): RunPlan {
  const o = (options ?? {}) as Record<string, unknown>;
  if (typeof o !== 'object' || Array.isArray(o)) throw configError('the exported options must be an object');
  for (const k of Object.keys(o)) {
    if (!TOP_KEYS.includes(k)) throw configError(`options.${k} is not supported by this runtime (it supports ${TOP_KEYS.join(', ')}); run this script with k6`);
  }
  const trendStats = o.summaryTrendStats === undefined ? DEFAULT_TREND_STATS : o.summaryTrendStats;
  if (!Array.isArray(trendStats) || !trendStats.every((s) => typeof s === 'string' && isTrendStat(s))) {
    throw configError(`options.summaryTrendStats: expected a list of avg, min, med, max, count, p(N), got ${JSON.stringify(trendStats)}`);
  }
  let scenarios: ScenarioPlan[];
  if (o.scenarios !== undefined) {
    if (o.vus !== undefined || o.duration !== undefined || o.iterations !== undefined || o.stages !== undefined) {
      throw configError('options: give either scenarios or the vus/duration/iterations/stages shortcuts, not both');
    }
    if (!o.scenarios || typeof o.scenarios !== 'object') throw configError('options.scenarios must be an object');
    scenarios = Object.entries(o.scenarios as Record<string, Record<string, unknown>>).map(([name, raw]) => scenario(name, raw ?? {}));
    if (scenarios.length === 0) throw configError('options.scenarios is empty');
  } else if (o.stages !== undefined) {
    scenarios = [scenario('default', { executor: 'ramping-vus', startVUs: o.vus ?? 1, stages: o.stages })];
  } else if (o.duration !== undefined) {
    scenarios = [scenario('default', { executor: 'constant-vus', vus: o.vus ?? 1, duration: o.duration })];
  } else {
    // k6: iterations alone (or nothing: 1 VU, 1 iteration) is a shared-iterations scenario.
    scenarios = [scenario('default', { executor: 'shared-iterations', vus: o.vus ?? 1, iterations: o.iterations ?? 1 })];
  }
  return { scenarios, thresholds: o.thresholds, trendStats: trendStats as string[] };
}

/** How many VUs a scenario needs at most. */
export function maxVUs(s: ScenarioPlan): number {
  if (s.executor === 'ramping-vus') return Math.max(s.startVUs, ...s.stages.map((st) => st.target));
  return s.vus;
}

/** ramping-vus: the VU count the stages ask for `elapsedMs` after the scenario start. */
export function rampTarget(startVUs: number, stages: Stage[], elapsedMs: number): number {
  let from = startVUs;
  let t = elapsedMs;
  for (const st of stages) {
    if (t < st.durationMs) return Math.round(from + ((st.target - from) * t) / Math.max(1, st.durationMs));
    t -= st.durationMs;
    from = st.target;
  }
  return from;
}
