/**
 * The object k6 passes to handleSummary(data), built from the registry:
 *   { root_group: {name, path, id, groups, checks:[{name, path, id, passes, fails}]},
 *     options: {summaryTrendStats, summaryTimeUnit, noColor},
 *     state: {isStdOutTTY, isStdErrTTY, testRunDurationMs},
 *     metrics: {<name>: {type, contains, values, thresholds?: {<expr>: {ok}}}} }
 * Metrics appear when they got samples or carry thresholds; tag-filtered sub-metrics appear
 * under their threshold key, as in k6.
 */
import { createHash } from 'node:crypto';
import type { MetricRegistry } from './metricRegistry.js';

export const DEFAULT_TREND_STATS = ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)'];

export interface SummaryMetric {
  type: string;
  contains: string;
  values: Record<string, number>;
  thresholds?: Record<string, { ok: boolean }>;
}

export interface SummaryData {
  root_group: {
    name: string;
    path: string;
    id: string;
    groups: unknown[];
    checks: Array<{ name: string; path: string; id: string; passes: number; fails: number }>;
  };
  options: { summaryTrendStats: string[]; summaryTimeUnit: string; noColor: boolean };
  state: { isStdOutTTY: boolean; isStdErrTTY: boolean; testRunDurationMs: number };
  metrics: Record<string, SummaryMetric>;
  setup_data?: unknown;
}

/** k6 ids groups and checks by the MD5 of their path. */
function md5(text: string): string {
  return createHash('md5').update(text).digest('hex');
}

export function buildSummaryData(
  registry: MetricRegistry,
  o: { durationMs: number; trendStats: string[]; stdoutTTY: boolean; stderrTTY: boolean; setupData?: unknown },
): SummaryData {
  const metrics: Record<string, SummaryMetric> = {};
  const thresholdMap = (list: Array<{ source: string; ok: boolean }>) => {
    const out: Record<string, { ok: boolean }> = {};
    for (const t of list) out[t.source] = { ok: t.ok };
    return out;
  };
  for (const m of registry.metrics.values()) {
    if (m.observed || m.thresholds.length > 0) {
      metrics[m.name] = { type: m.type, contains: m.contains, values: m.sink.values(o.durationMs, o.trendStats) };
      if (m.thresholds.length > 0) metrics[m.name].thresholds = thresholdMap(m.thresholds);
    }
    for (const sub of m.submetrics) {
      metrics[sub.key] = { type: m.type, contains: m.contains, values: sub.sink.values(o.durationMs, o.trendStats) };
      if (sub.thresholds.length > 0) metrics[sub.key].thresholds = thresholdMap(sub.thresholds);
    }
  }
  const checks = [...registry.checks].map(([name, c]) => ({ name, path: `::${name}`, id: md5(`::${name}`), passes: c.passes, fails: c.fails }));
  const data: SummaryData = {
    root_group: { name: '', path: '', id: md5(''), groups: [], checks },
    options: { summaryTrendStats: o.trendStats, summaryTimeUnit: '', noColor: false },
    state: { isStdOutTTY: o.stdoutTTY, isStdErrTTY: o.stderrTTY, testRunDurationMs: o.durationMs },
    metrics,
  };
  if (o.setupData !== undefined) data.setup_data = o.setupData;
  return data;
}

function fmt(v: number, contains: string): string {
  if (contains === 'time') return `${v.toFixed(2)}ms`;
  return Number.isInteger(v) ? String(v) : v.toFixed(4);
}

/** The end-of-test text when the script has no handleSummary (shorter than k6's, same facts). */
export function defaultSummaryText(data: SummaryData): string {
  const lines: string[] = [`\n  test run: ${(data.state.testRunDurationMs / 1000).toFixed(1)} s (loadtest runtime, not k6)\n`];
  for (const c of data.root_group.checks) lines.push(`  ${c.fails === 0 ? '✓' : '✗'} ${c.name}: ${c.passes} passed, ${c.fails} failed`);
  if (data.root_group.checks.length) lines.push('');
  for (const name of Object.keys(data.metrics).sort()) {
    const m = data.metrics[name];
    const vals = Object.entries(m.values)
      .map(([k, v]) => `${k}=${fmt(v, k === 'count' || k === 'passes' || k === 'fails' || k === 'rate' ? 'default' : m.contains)}`)
      .join(' ');
    lines.push(`  ${name.padEnd(36)} ${vals}`);
    for (const [expr, r] of Object.entries(m.thresholds ?? {})) lines.push(`    ${r.ok ? '✓' : '✗'} ${expr}`);
  }
  return lines.join('\n') + '\n';
}
