/**
 * k6 threshold expressions: `<aggregation> <operator> <number>`, e.g. `p(95)<200`,
 * `rate>0.99`, `count==0`, `avg <= 150.5`. The aggregations valid for each metric type are
 * k6's: counter count/rate, gauge value, rate rate, trend avg/min/max/med/p(N). Anything
 * else is a config error with one line, as in k6.
 */
import { configError } from './errors.js';
import type { MetricType } from './metricSinks.js';

export type Operator = '<' | '<=' | '>' | '>=' | '==' | '===' | '!=';

export interface ThresholdExpr {
  /** The expression as written (the key in the summary's `thresholds`). */
  source: string;
  aggregation: string;
  operator: Operator;
  value: number;
  abortOnFail: boolean;
  delayAbortEvalMs: number;
}

const EXPR = /^\s*(count|rate|value|avg|min|max|med|p\(\s*\d+(?:\.\d+)?\s*\))\s*(<=|>=|===|==|!=|<|>)\s*(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s*$/i;

export const AGGREGATIONS: Record<MetricType, (agg: string) => boolean> = {
  counter: (a) => a === 'count' || a === 'rate',
  gauge: (a) => a === 'value',
  rate: (a) => a === 'rate',
  trend: (a) => a === 'avg' || a === 'min' || a === 'max' || a === 'med' || a.startsWith('p('),
};

export function parseThreshold(metric: string, source: string, opts: { abortOnFail?: boolean; delayAbortEvalMs?: number } = {}): ThresholdExpr {
  const m = EXPR.exec(source);
  if (!m) {
    throw configError(
      `threshold "${source}" on ${metric}: this runtime understands "<aggregation> <op> <number>" with count, rate, value, avg, min, max, med or p(N) and <, <=, >, >=, ==, ===, !=`,
    );
  }
  const aggregation = m[1].toLowerCase().replace(/\s+/g, '');
  const pct = /^p\((.+)\)$/.exec(aggregation);
  if (pct && (Number(pct[1]) < 0 || Number(pct[1]) > 100)) throw configError(`threshold "${source}" on ${metric}: percentile must be 0–100`);
  return {
    source,
    aggregation,
    operator: m[2] as Operator,
    value: Number(m[3]),
    abortOnFail: opts.abortOnFail ?? false,
    delayAbortEvalMs: opts.delayAbortEvalMs ?? 0,
  };
}

export function compare(left: number, op: Operator, right: number): boolean {
  switch (op) {
    case '<':
      return left < right;
    case '<=':
      return left <= right;
    case '>':
      return left > right;
    case '>=':
      return left >= right;
    case '==':
    case '===':
      return left === right;
    case '!=':
      return left !== right;
  }
}

/** Checks that `expr`'s aggregation exists for a metric of this type (k6 refuses others at start). */
export function checkAggregation(metric: string, type: MetricType, expr: ThresholdExpr): void {
  if (!AGGREGATIONS[type](expr.aggregation)) {
    throw configError(`threshold "${expr.source}" on ${metric}: ${expr.aggregation} is not an aggregation of a ${type} metric`);
  }
}

/** A metric name with an optional tag filter: `name` or `name{tag:value,other:value}`. */
export interface MetricSelector {
  name: string;
  tags: Record<string, string> | null;
}

export function parseSelector(key: string): MetricSelector {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:\{(.*)\})?$/.exec(key.trim());
  if (!m) throw configError(`threshold key "${key}": expected a metric name, optionally with {tag:value} filters`);
  if (m[2] === undefined) return { name: m[1], tags: null };
  const tags: Record<string, string> = {};
  for (const part of m[2].split(',')) {
    const kv = /^\s*([^:\s]+)\s*:\s*(.*?)\s*$/.exec(part);
    if (!kv || kv[2] === '') throw configError(`threshold key "${key}": tag filters are written {tag:value,tag2:value2}`);
    tags[kv[1]] = kv[2].replace(/^["']|["']$/g, '');
  }
  return { name: m[1], tags };
}

/** Parses options.thresholds: `{ key: [expr | {threshold, abortOnFail, delayAbortEval}] }`. */
export function parseThresholdOptions(
  thresholds: unknown,
  parseDurationMs: (text: string, what: string) => number,
): Array<{ key: string; selector: MetricSelector; exprs: ThresholdExpr[] }> {
  if (thresholds === undefined) return [];
  if (!thresholds || typeof thresholds !== 'object' || Array.isArray(thresholds)) throw configError('options.thresholds must be an object');
  const out: Array<{ key: string; selector: MetricSelector; exprs: ThresholdExpr[] }> = [];
  for (const [key, raw] of Object.entries(thresholds as Record<string, unknown>)) {
    const list = Array.isArray(raw) ? raw : [raw];
    const exprs = list.map((item) => {
      if (typeof item === 'string') return parseThreshold(key, item);
      if (item && typeof item === 'object' && typeof (item as { threshold?: unknown }).threshold === 'string') {
        const o = item as { threshold: string; abortOnFail?: unknown; delayAbortEval?: unknown };
        for (const k of Object.keys(o)) {
          if (!['threshold', 'abortOnFail', 'delayAbortEval'].includes(k)) throw configError(`threshold on ${key}: unknown field "${k}"`);
        }
        return parseThreshold(key, o.threshold, {
          abortOnFail: o.abortOnFail === true,
          delayAbortEvalMs: typeof o.delayAbortEval === 'string' ? parseDurationMs(o.delayAbortEval, `delayAbortEval of ${key}`) : 0,
        });
      }
      throw configError(`threshold on ${key}: expected a string or {threshold, abortOnFail, delayAbortEval}`);
    });
    out.push({ key, selector: parseSelector(key), exprs });
  }
  return out;
}
