/**
 * The pure pieces of the k6 compatibility runtime (loadtest/runtime/): threshold parsing and
 * evaluation, metric aggregation and k6's percentiles, the summary data shape, options →
 * executor plans, the command line and the import check. The runtime end to end (VU
 * isolation, sync HTTP, exit codes) is in test/loadtest/runtime.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { checkImports, staticImports } from '../../loadtest/runtime/bundle.js';
import { defineBuiltinMetrics } from '../../loadtest/runtime/builtinMetrics.js';
import { parseCliArgs } from '../../loadtest/runtime/cliArgs.js';
import { ExitCode, RuntimeError } from '../../loadtest/runtime/errors.js';
import { MetricRegistry } from '../../loadtest/runtime/metricRegistry.js';
import { CounterSink, GaugeSink, RateSink, TREND_RESERVOIR, TrendSink } from '../../loadtest/runtime/metricSinks.js';
import { MAX_VU_THREADS, threadGroups } from '../../loadtest/runtime/vuPool.js';
import { maxVUs, parseDurationMs, planFromOptions, rampTarget } from '../../loadtest/runtime/options.js';
import { buildSummaryData } from '../../loadtest/runtime/summaryData.js';
import { compare, parseSelector, parseThreshold, parseThresholdOptions } from '../../loadtest/runtime/thresholds.js';

function failsWith(fn: () => unknown, code: number, pattern: RegExp): void {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(RuntimeError);
    expect((err as RuntimeError).exitCode).toBe(code);
    expect((err as Error).message).toMatch(pattern);
    expect((err as Error).message).not.toContain('\n');
    return;
  }
  throw new Error('expected a RuntimeError');
}

describe('threshold expressions', () => {
  it('parses what our scenarios write, with or without spaces', () => {
    expect(parseThreshold('m', 'p(95)<100')).toMatchObject({ aggregation: 'p(95)', operator: '<', value: 100 });
    expect(parseThreshold('m', 'rate>0.99')).toMatchObject({ aggregation: 'rate', operator: '>', value: 0.99 });
    expect(parseThreshold('m', 'count==0')).toMatchObject({ aggregation: 'count', operator: '==', value: 0 });
    expect(parseThreshold('m', 'count>=285')).toMatchObject({ aggregation: 'count', operator: '>=', value: 285 });
    expect(parseThreshold('m', ' avg <= 150.5 ')).toMatchObject({ aggregation: 'avg', operator: '<=', value: 150.5 });
    expect(parseThreshold('m', 'p(99.9) != 3')).toMatchObject({ aggregation: 'p(99.9)', operator: '!=', value: 3 });
  });

  it('refuses other syntax with one line naming the metric and the expression', () => {
    failsWith(() => parseThreshold('tw_rtt_ms', 'p95<100'), ExitCode.InvalidConfig, /"p95<100" on tw_rtt_ms/);
    failsWith(() => parseThreshold('m', 'avg<abc'), ExitCode.InvalidConfig, /understands/);
    failsWith(() => parseThreshold('m', 'p(101)<3'), ExitCode.InvalidConfig, /percentile/);
  });

  it('compares with every operator', () => {
    expect([compare(1, '<', 2), compare(2, '<', 2), compare(2, '<=', 2), compare(3, '>', 2), compare(2, '>=', 2)]).toEqual([true, false, true, true, true]);
    expect([compare(0, '==', 0), compare(0, '===', 1), compare(0, '!=', 1)]).toEqual([true, false, true]);
  });

  it('parses tag selectors and the object form with abortOnFail', () => {
    expect(parseSelector('tw_unexpected_closes{code:1006}')).toEqual({ name: 'tw_unexpected_closes', tags: { code: '1006' } });
    expect(parseSelector('http_req_duration{name:auth, scenario:"smoke"}')).toEqual({ name: 'http_req_duration', tags: { name: 'auth', scenario: 'smoke' } });
    const [t] = parseThresholdOptions({ checks: [{ threshold: 'rate>0.9', abortOnFail: true, delayAbortEval: '10s' }] }, parseDurationMs);
    expect(t.exprs[0]).toMatchObject({ abortOnFail: true, delayAbortEvalMs: 10_000 });
    failsWith(() => parseThresholdOptions({ checks: [{ threshold: 'rate>0.9', nope: 1 }] }, parseDurationMs), ExitCode.InvalidConfig, /unknown field "nope"/);
  });
});

describe('metric aggregation', () => {
  it("computes k6's percentiles (linear interpolation at rank p·(n−1))", () => {
    const t = new TrendSink();
    for (const v of [10, 1, 9, 2, 8, 3, 7, 4, 6, 5]) t.add(v);
    expect(t.aggregate('med')).toBe(5.5);
    expect(t.aggregate('p(90)')).toBeCloseTo(9.1, 10);
    expect(t.aggregate('p(95)')).toBeCloseTo(9.55, 10);
    expect(t.aggregate('p(0)')).toBe(1);
    expect(t.aggregate('p(100)')).toBe(10);
    expect(t.values(0, ['avg', 'min', 'max', 'count', 'p(99)'])).toEqual({ avg: 5.5, min: 1, max: 10, count: 10, 'p(99)': expect.closeTo(9.91, 10) });
    const one = new TrendSink();
    one.add(42);
    expect(one.aggregate('p(95)')).toBe(42);
    expect(new TrendSink().aggregate('p(95)')).toBe(0);
  });

  it('keeps count, min, max and avg exact past the reservoir (documented: 1,000,000 values), and percentiles close', () => {
    expect(TREND_RESERVOIR).toBe(1_000_000);
    const t = new TrendSink(1000);
    for (let i = 0; i < 100_000; i++) t.add(i % 1000);
    expect(t.count).toBe(100_000);
    expect([t.aggregate('min'), t.aggregate('max'), t.aggregate('avg')]).toEqual([0, 999, 499.5]);
    expect(Math.abs(t.aggregate('p(50)') - 500)).toBeLessThan(60);
  });

  it('counters sum with a per-second rate, gauges keep the last value, rates count non-zero', () => {
    const c = new CounterSink();
    c.add(3);
    c.add(2);
    expect(c.values(2000)).toEqual({ count: 5, rate: 2.5 });
    const g = new GaugeSink();
    for (const v of [5, 1, 3]) g.add(v);
    expect(g.values()).toEqual({ value: 3, min: 1, max: 5 });
    const r = new RateSink();
    for (const v of [1, 0, 1, 1]) r.add(v);
    expect(r.values()).toEqual({ rate: 0.75, passes: 3, fails: 1 });
  });

  it('feeds tag-filtered sub-metrics and evaluates thresholds on empty metrics as zero', () => {
    const reg = new MetricRegistry();
    defineBuiltinMetrics(reg);
    reg.define('closes', 'counter');
    reg.define('sessions', 'counter');
    reg.addThresholds('closes', parseSelector('closes'), [parseThreshold('closes', 'count==0')]);
    reg.addThresholds('closes{code:1006}', parseSelector('closes{code:1006}'), [parseThreshold('closes{code:1006}', 'count<2')]);
    reg.addThresholds('sessions', parseSelector('sessions'), [parseThreshold('sessions', 'count>0')]);
    reg.add({ metric: 'closes', value: 1, tags: { code: '1006' } });
    reg.add({ metric: 'closes', value: 1, tags: { code: '4001' } });
    reg.add({ metric: 'closes', value: 1, tags: { code: '1006', scenario: 'x' } });
    const failed = reg.evaluate(1000).map((f) => `${f.key} ${f.expr.source}`);
    expect(failed).toEqual(['closes count==0', 'closes{code:1006} count<2', 'sessions count>0']);
    expect(reg.metrics.get('closes')!.submetrics[0].sink.aggregate('count', 1000)).toBe(2);
  });

  it('refuses thresholds on unknown metrics, aggregations of another type, and type changes', () => {
    const reg = new MetricRegistry();
    defineBuiltinMetrics(reg);
    failsWith(() => reg.addThresholds('tw_nope', parseSelector('tw_nope'), [parseThreshold('tw_nope', 'count>0')]), ExitCode.InvalidConfig, /no metric named tw_nope/);
    failsWith(() => reg.addThresholds('checks', parseSelector('checks'), [parseThreshold('checks', 'p(95)<3')]), ExitCode.InvalidConfig, /p\(95\) is not an aggregation of a rate metric/);
    failsWith(() => reg.define('checks', 'counter'), ExitCode.InvalidConfig, /already a rate/);
    failsWith(() => reg.define('bad-name', 'counter'), ExitCode.InvalidConfig, /metric name/);
  });
});

describe('summary data', () => {
  it("has k6's shape: metrics with type, contains, values and thresholds; root_group checks; state; options", () => {
    const reg = new MetricRegistry();
    defineBuiltinMetrics(reg);
    reg.define('tw_rtt_ms', 'trend', 'time');
    reg.define('tw_sessions', 'counter');
    reg.addThresholds('tw_rtt_ms', parseSelector('tw_rtt_ms'), [parseThreshold('tw_rtt_ms', 'p(95)<100')]);
    reg.addThresholds('tw_sessions{code:1}', parseSelector('tw_sessions{code:1}'), [parseThreshold('tw_sessions', 'count>=0')]);
    for (const v of [1, 2, 3]) reg.add({ metric: 'tw_rtt_ms', value: v, tags: {} });
    reg.add({ metric: 'checks', value: 1, tags: { check: 'auth 200' } });
    reg.add({ metric: 'checks', value: 0, tags: { check: 'auth 200' } });
    reg.evaluate(2000);
    const data = buildSummaryData(reg, { durationMs: 2000, trendStats: ['avg', 'p(95)', 'count'], stdoutTTY: false, stderrTTY: false });
    expect(data.state).toEqual({ isStdOutTTY: false, isStdErrTTY: false, testRunDurationMs: 2000 });
    expect(data.options).toEqual({ summaryTrendStats: ['avg', 'p(95)', 'count'], summaryTimeUnit: '', noColor: false });
    expect(data.metrics.tw_rtt_ms).toEqual({ type: 'trend', contains: 'time', values: { avg: 2, 'p(95)': 2.9, count: 3 }, thresholds: { 'p(95)<100': { ok: true } } });
    expect(data.metrics.checks).toEqual({ type: 'rate', contains: 'default', values: { rate: 0.5, passes: 1, fails: 1 } });
    expect(data.metrics['tw_sessions{code:1}']).toEqual({ type: 'counter', contains: 'default', values: { count: 0, rate: 0 }, thresholds: { 'count>=0': { ok: true } } });
    // Metrics without samples or thresholds are left out, as k6 does.
    expect(data.metrics.tw_sessions).toBeUndefined();
    expect(data.metrics.http_reqs).toBeUndefined();
    expect(data.root_group).toEqual({
      name: '',
      path: '',
      id: 'd41d8cd98f00b204e9800998ecf8427e',
      groups: [],
      checks: [{ name: 'auth 200', path: '::auth 200', id: expect.stringMatching(/^[0-9a-f]{32}$/), passes: 1, fails: 1 }],
    });
  });
});

describe('options → executor plans', () => {
  it('plans the executors our scenarios use', () => {
    const smoke = planFromOptions({ scenarios: { smoke: { executor: 'constant-vus', vus: 20, duration: '30s', gracefulStop: '25s' } }, summaryTrendStats: ['avg', 'p(99)', 'count'] });
    expect(smoke.scenarios[0]).toMatchObject({ name: 'smoke', executor: 'constant-vus', vus: 20, durationMs: 30_000, gracefulStopMs: 25_000, exec: 'default', startTimeMs: 0 });
    const lobby = planFromOptions({
      scenarios: {
        idle: { executor: 'per-vu-iterations', vus: 5, iterations: 1, maxDuration: '1m30s', exec: 'idle' },
        probe: { executor: 'shared-iterations', vus: 1, iterations: 1, startTime: '35s', exec: 'probe' },
      },
    });
    expect(lobby.scenarios.map((s) => [s.name, s.executor, s.exec, s.startTimeMs, maxVUs(s)])).toEqual([
      ['idle', 'per-vu-iterations', 'idle', 0, 5],
      ['probe', 'shared-iterations', 'probe', 35_000, 1],
    ]);
    const ramp = planFromOptions({ scenarios: { c: { executor: 'ramping-vus', startVUs: 0, stages: [{ duration: '10s', target: 10 }, { duration: '5s', target: 4 }], gracefulRampDown: '5s' } } });
    expect(maxVUs(ramp.scenarios[0])).toBe(10);
    expect(planFromOptions({}).scenarios[0]).toMatchObject({ executor: 'shared-iterations', vus: 1, iterations: 1 });
  });

  it('ramps linearly through the stages', () => {
    const stages = [
      { durationMs: 10_000, target: 10 },
      { durationMs: 10_000, target: 10 },
      { durationMs: 5_000, target: 0 },
    ];
    expect([0, 5_000, 10_000, 15_000, 22_500, 25_000, 30_000].map((t) => rampTarget(0, stages, t))).toEqual([0, 5, 10, 10, 5, 0, 0]);
  });

  it('refuses executors, options and durations it cannot run, in one line', () => {
    failsWith(() => planFromOptions({ scenarios: { a: { executor: 'constant-arrival-rate', rate: 5 } } }), ExitCode.InvalidConfig, /executor "constant-arrival-rate" is not supported by this runtime.*run this script with k6/);
    failsWith(() => planFromOptions({ scenarios: { a: { executor: 'constant-vus', vus: 1, duration: '1s', tags: {} } } }), ExitCode.InvalidConfig, /option "tags" is not supported/);
    failsWith(() => planFromOptions({ noConnectionReuse: true }), ExitCode.InvalidConfig, /options.noConnectionReuse is not supported/);
    failsWith(() => planFromOptions({ scenarios: { a: { executor: 'constant-vus', duration: '10 seconds' } } }), ExitCode.InvalidConfig, /not a duration/);
    failsWith(() => planFromOptions({ summaryTrendStats: ['avg', 'p95'] }), ExitCode.InvalidConfig, /summaryTrendStats/);
  });
});

describe('VU threads', () => {
  it('gives each VU its own thread up to 64, then shares threads round-robin', () => {
    expect(MAX_VU_THREADS).toBe(64);
    expect(threadGroups(3)).toEqual([[1], [2], [3]]);
    const many = threadGroups(130);
    expect(many).toHaveLength(64);
    expect(many[0]).toEqual([1, 65, 129]);
    expect(many[63]).toEqual([64, 128]);
    expect(many.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 130 }, (_, i) => i + 1));
  });
});

describe('command line and imports', () => {
  it('takes run, -e/--env KEY=VALUE and --quiet, and refuses other flags', () => {
    expect(parseCliArgs(['run', '-q', '-e', 'A=1', '--env', 'B=x=y', '--env=C=', 's.js'])).toEqual({ script: 's.js', quiet: true, env: { A: '1', B: 'x=y', C: '' } });
    failsWith(() => parseCliArgs(['run', '--vus', '3', 's.js']), ExitCode.Usage, /flag --vus is not supported by this runtime/);
    failsWith(() => parseCliArgs(['run', '-e', 'novalue', 's.js']), ExitCode.Usage, /expects KEY=VALUE/);
    failsWith(() => parseCliArgs(['inspect', 's.js']), ExitCode.Usage, /unknown command "inspect"/);
  });

  it('reads the static imports of an esbuild bundle and refuses unknown modules and exports by name', () => {
    const code = 'import { check } from "k6";\nimport exec from "k6/execution";\nimport { Counter as Counter2, Gauge } from "k6/metrics";\nconst s = "import x from \'nope\'";';
    expect(staticImports(code)).toEqual([
      { module: 'k6', names: ['check'] },
      { module: 'k6/execution', names: ['default'] },
      { module: 'k6/metrics', names: ['Counter', 'Gauge'] },
    ]);
    expect(() => checkImports(code)).not.toThrow();
    failsWith(() => checkImports('import crypto from "k6/crypto";'), ExitCode.ScriptException, /imports "k6\/crypto", which this runtime does not implement/);
    failsWith(() => checkImports('import { group } from "k6";'), ExitCode.ScriptException, /imports "group" from "k6", which this runtime does not implement \(it has check, sleep, fail\)/);
  });
});
