/**
 * Every metric of a run: built-in and script-defined ones (the same name must always have
 * the same type, as in k6), their sinks, and the sub-metrics that thresholds select by tag
 * (`tw_unexpected_closes{code:1006}`), fed by the samples whose tags match.
 */
import { configError } from './errors.js';
import { newSink, type MetricContains, type MetricType, type Sink } from './metricSinks.js';
import { checkAggregation, compare, type MetricSelector, type ThresholdExpr } from './thresholds.js';

export interface Sample {
  metric: string;
  value: number;
  tags: Record<string, string>;
}

export interface MetricEntry {
  name: string;
  type: MetricType;
  contains: MetricContains;
  sink: Sink;
  /** Whether any sample was added (k6 lists only observed metrics, plus thresholded ones). */
  observed: boolean;
  thresholds: Array<ThresholdExpr & { ok: boolean }>;
  submetrics: SubMetric[];
}

export interface SubMetric {
  key: string;
  tags: Record<string, string>;
  sink: Sink;
  observed: boolean;
  thresholds: Array<ThresholdExpr & { ok: boolean }>;
}

/** k6's metric name rule. */
const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

export class MetricRegistry {
  readonly metrics = new Map<string, MetricEntry>();
  /** Per check name: passes and fails, in first-seen order (root_group.checks). */
  readonly checks = new Map<string, { passes: number; fails: number }>();

  define(name: string, type: MetricType, contains: MetricContains = 'default'): MetricEntry {
    if (!NAME.test(name)) throw configError(`metric name "${name}": use letters, digits and _ (at most 128, not starting with a digit)`);
    const existing = this.metrics.get(name);
    if (existing) {
      if (existing.type !== type) throw configError(`metric ${name} is already a ${existing.type}, cannot redefine it as a ${type}`);
      return existing;
    }
    const entry: MetricEntry = { name, type, contains, sink: newSink(type), observed: false, thresholds: [], submetrics: [] };
    this.metrics.set(name, entry);
    return entry;
  }

  add(s: Sample): void {
    const m = this.metrics.get(s.metric);
    if (!m) throw new Error(`sample for undefined metric ${s.metric}`);
    m.sink.add(s.value);
    m.observed = true;
    for (const sub of m.submetrics) {
      let match = true;
      for (const k in sub.tags) {
        if (s.tags[k] !== sub.tags[k]) {
          match = false;
          break;
        }
      }
      if (match) {
        sub.sink.add(s.value);
        sub.observed = true;
      }
    }
    if (s.metric === 'checks' && s.tags.check !== undefined) {
      let c = this.checks.get(s.tags.check);
      if (!c) this.checks.set(s.tags.check, (c = { passes: 0, fails: 0 }));
      if (s.value !== 0) c.passes++;
      else c.fails++;
    }
  }

  /** Attaches thresholds; the metric must exist by now (k6 refuses thresholds on unknown metrics). */
  addThresholds(key: string, selector: MetricSelector, exprs: ThresholdExpr[]): void {
    const m = this.metrics.get(selector.name);
    if (!m) throw configError(`threshold on ${key}: no metric named ${selector.name} (define it in the init context or fix the name)`);
    for (const e of exprs) checkAggregation(key, m.type, e);
    const list = exprs.map((e) => ({ ...e, ok: true }));
    if (!selector.tags) {
      m.thresholds.push(...list);
      return;
    }
    let sub = m.submetrics.find((s) => s.key === key);
    if (!sub) m.submetrics.push((sub = { key, tags: selector.tags, sink: newSink(m.type), observed: false, thresholds: [] }));
    sub.thresholds.push(...list);
  }

  /**
   * Evaluates every threshold on the data so far (a metric without samples aggregates to 0,
   * so `count>0` fails on it, as in k6). Returns the thresholds that failed.
   */
  evaluate(durationMs: number): Array<{ key: string; expr: ThresholdExpr }> {
    const failed: Array<{ key: string; expr: ThresholdExpr }> = [];
    const run = (key: string, sink: Sink, list: Array<ThresholdExpr & { ok: boolean }>) => {
      for (const t of list) {
        const v = sink.aggregate(t.aggregation, durationMs);
        t.ok = compare(Number.isNaN(v) ? 0 : v, t.operator, t.value);
        if (!t.ok) failed.push({ key, expr: t });
      }
    };
    for (const m of this.metrics.values()) {
      run(m.name, m.sink, m.thresholds);
      for (const sub of m.submetrics) run(sub.key, sub.sink, sub.thresholds);
    }
    return failed;
  }
}
