/**
 * handleSummary for every scenario: a text summary on stdout (latency percentiles, bytes per
 * player, errors, closes by code, each threshold) and the same as files:
 * `<SUMMARY_DIR>/<scenario>-summary.json` (a digest plus k6's raw metrics; what our tests and
 * scripts read) and `<scenario>-summary.txt`. SUMMARY_DIR defaults to the working directory.
 */
import { envStr } from './env.js';
import { REPORTED_CLOSE_CODES } from './thresholds.js';

interface MetricData {
  type: 'counter' | 'gauge' | 'rate' | 'trend';
  contains?: string;
  values: Record<string, number>;
  thresholds?: Record<string, { ok: boolean }>;
}

export interface SummaryData {
  metrics: Record<string, MetricData>;
  state?: { testRunDurationMs?: number };
}

export interface ThresholdResult {
  metric: string;
  expression: string;
  ok: boolean;
}

export interface TrendDigest {
  p50: number;
  p95: number;
  p99: number;
  max: number;
  count: number;
}

export interface SummaryDigest {
  scenario: string;
  target: string;
  ok: boolean;
  durationSeconds: number;
  thresholds: ThresholdResult[];
  trends: Record<string, TrendDigest | null>;
  counts: Record<string, number>;
  perPlayer: { downBytesPerSecond: number | null; upBytesPerSecond: number | null };
  unexpectedClosesByCode: Record<string, number>;
  extra: Record<string, number>;
}

const TRENDS: Array<[string, string]> = [
  ['tw_auth_ms', 'guest auth ms'],
  ['tw_matchmake_ms', 'matchmake ms'],
  ['tw_connect_ms', 'connect ms'],
  ['tw_rtt_ms', 'RTT ms'],
  ['tw_input_ack_ms', 'input→ack ms'],
  ['tw_snapshot_jitter_ms', 'snapshot jitter ms'],
  ['tw_snapshot_bytes', 'snapshot bytes'],
];

const COUNTERS = [
  'tw_sessions',
  'tw_resumes',
  'tw_inputs_sent',
  'tw_snapshots',
  'tw_bytes_down',
  'tw_bytes_up',
  'tw_play_seconds',
  'tw_decode_errors',
  'tw_unexpected_closes',
  'tw_idle_connections',
];

function trend(m: MetricData | undefined): TrendDigest | null {
  if (!m || m.type !== 'trend' || !m.values.count) return null;
  return { p50: m.values.med, p95: m.values['p(95)'], p99: m.values['p(99)'], max: m.values.max, count: m.values.count };
}

function fmt(n: number | null | undefined, digits = 1): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  return n.toFixed(digits);
}

export function digest(scenario: string, data: SummaryData, extraMetrics: string[] = []): SummaryDigest {
  const thresholds: ThresholdResult[] = [];
  for (const [name, m] of Object.entries(data.metrics)) {
    for (const [expression, r] of Object.entries(m.thresholds ?? {})) thresholds.push({ metric: name, expression, ok: r.ok });
  }
  const trends: Record<string, TrendDigest | null> = {};
  for (const [name] of TRENDS) trends[name] = trend(data.metrics[name]);
  const counts: Record<string, number> = {};
  for (const name of COUNTERS) counts[name] = data.metrics[name]?.values.count ?? 0;
  const failed = data.metrics.tw_session_failed;
  counts.tw_session_failed_rate = failed?.values.rate ?? 0;
  counts.tw_session_failed = failed?.values.passes ?? 0;
  const closes: Record<string, number> = {};
  for (const code of REPORTED_CLOSE_CODES) {
    const n = data.metrics[`tw_unexpected_closes{code:${code}}`]?.values.count ?? 0;
    if (n > 0) closes[String(code)] = n;
  }
  const other = counts.tw_unexpected_closes - Object.values(closes).reduce((a, b) => a + b, 0);
  if (other > 0) closes.other = other;
  const playSeconds = counts.tw_play_seconds;
  const extra: Record<string, number> = {};
  for (const name of extraMetrics) {
    const m = data.metrics[name];
    if (m) extra[name] = m.type === 'gauge' ? m.values.value : m.type === 'counter' ? m.values.count : m.values.avg;
  }
  return {
    scenario,
    target: envStr('TARGET', 'http://localhost:8080'),
    ok: thresholds.every((t) => t.ok),
    durationSeconds: (data.state?.testRunDurationMs ?? 0) / 1000,
    thresholds,
    trends,
    counts,
    perPlayer: {
      downBytesPerSecond: playSeconds > 0 ? counts.tw_bytes_down / playSeconds : null,
      upBytesPerSecond: playSeconds > 0 ? counts.tw_bytes_up / playSeconds : null,
    },
    unexpectedClosesByCode: closes,
    extra,
  };
}

export function renderText(d: SummaryDigest, extraLines: string[] = []): string {
  const lines: string[] = [];
  lines.push(`tickwire ${d.scenario} against ${d.target}: ${fmt(d.durationSeconds)} s, ${d.ok ? 'PASSED' : 'FAILED'}`);
  lines.push('');
  lines.push(`${'metric'.padEnd(20)}${'p50'.padStart(10)}${'p95'.padStart(10)}${'p99'.padStart(10)}${'max'.padStart(10)}${'count'.padStart(10)}`);
  for (const [name, label] of TRENDS) {
    const t = d.trends[name];
    if (!t) continue;
    lines.push(`${label.padEnd(20)}${fmt(t.p50).padStart(10)}${fmt(t.p95).padStart(10)}${fmt(t.p99).padStart(10)}${fmt(t.max).padStart(10)}${String(t.count).padStart(10)}`);
  }
  const c = d.counts;
  lines.push('');
  if (c.tw_idle_connections > 0 && c.tw_sessions === 0) {
    // lobby-idle: nobody played, so session and bandwidth lines would only say zero.
    lines.push(`failed connections ${c.tw_session_failed} (${fmt(c.tw_session_failed_rate * 100, 2)} %), decode errors ${c.tw_decode_errors}`);
  } else lines.push(
    `sessions ${c.tw_sessions} (resumed ${c.tw_resumes}), failed sessions ${c.tw_session_failed} (${fmt(c.tw_session_failed_rate * 100, 2)} %), ` +
      `inputs sent ${c.tw_inputs_sent}, snapshots ${c.tw_snapshots}, decode errors ${c.tw_decode_errors}`,
  );
  if (d.perPlayer.downBytesPerSecond !== null && c.tw_sessions > 0) {
    lines.push(
      `per player: ${fmt(d.perPlayer.downBytesPerSecond! / 1024, 2)} KB/s down, ${fmt(d.perPlayer.upBytesPerSecond! / 1024, 2)} KB/s up ` +
        `(payload bytes over ${fmt(c.tw_play_seconds, 0)} player-seconds)`,
    );
  }
  const closes = Object.entries(d.unexpectedClosesByCode);
  lines.push(`unexpected closes: ${closes.length === 0 ? 'none' : closes.map(([code, n]) => `${code}×${n}`).join(', ')}`);
  lines.push(...extraLines);
  lines.push('');
  const shown = d.thresholds.filter((t) => !(t.expression === 'count>=0' && t.metric.includes('{code:')));
  lines.push(`thresholds: ${shown.filter((t) => t.ok).length}/${shown.length} passed`);
  for (const t of shown) lines.push(`  ${t.ok ? '✓' : '✗'} ${t.metric} ${t.expression}`);
  return lines.join('\n') + '\n';
}

/** The handleSummary export of a scenario. */
export function summaryHandler(
  scenario: string,
  opts: { extraMetrics?: string[]; extraLines?: (d: SummaryDigest) => string[] } = {},
): (data: SummaryData) => Record<string, string> {
  return (data) => {
    const d = digest(scenario, data, opts.extraMetrics);
    const text = renderText(d, opts.extraLines?.(d) ?? []);
    const dir = envStr('SUMMARY_DIR', '.').replace(/\/+$/, '');
    return {
      stdout: `\n${text}`,
      [`${dir}/${scenario}-summary.txt`]: text,
      [`${dir}/${scenario}-summary.json`]: JSON.stringify({ ...d, k6: data.metrics }, null, 2),
    };
  };
}
