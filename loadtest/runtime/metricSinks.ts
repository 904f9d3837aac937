/**
 * Aggregation of metric samples as k6 does it: counters sum, gauges keep the last value
 * (and min/max), rates count non-zero vs zero samples, trends keep their values for
 * percentiles (k6's linear interpolation between the two nearest ranks).
 *
 * A trend keeps at most TREND_RESERVOIR values; beyond that it keeps a uniform random
 * sample of them (reservoir sampling, seeded so runs repeat), so percentiles become
 * estimates while count, min, max and avg stay exact. Memory per metric is bounded.
 */

export type MetricType = 'counter' | 'gauge' | 'rate' | 'trend';
export type MetricContains = 'default' | 'time' | 'data';

/** Values kept exactly per trend metric before sampling starts (8 MB of float64). */
export const TREND_RESERVOIR = 1_000_000;

export interface Sink {
  add(value: number): void;
  /** k6's `values` object for the summary, trend stats as listed. */
  values(durationMs: number, trendStats: string[]): Record<string, number>;
  /** One aggregation (count, rate, value, avg, min, max, med, p(N)); NaN if not one of this type's. */
  aggregate(aggregation: string, durationMs: number): number;
}

export class CounterSink implements Sink {
  count = 0;
  add(v: number): void {
    this.count += v;
  }
  values(durationMs: number): Record<string, number> {
    return { count: this.count, rate: durationMs > 0 ? this.count / (durationMs / 1000) : 0 };
  }
  aggregate(a: string, durationMs: number): number {
    return this.values(durationMs)[a] ?? NaN;
  }
}

export class GaugeSink implements Sink {
  value = 0;
  min = 0;
  max = 0;
  private seen = false;
  add(v: number): void {
    this.value = v;
    this.min = this.seen ? Math.min(this.min, v) : v;
    this.max = this.seen ? Math.max(this.max, v) : v;
    this.seen = true;
  }
  values(): Record<string, number> {
    return { value: this.value, min: this.min, max: this.max };
  }
  aggregate(a: string): number {
    return a === 'value' ? this.value : NaN;
  }
}

export class RateSink implements Sink {
  passes = 0;
  fails = 0;
  add(v: number): void {
    if (v !== 0) this.passes++;
    else this.fails++;
  }
  get rate(): number {
    const n = this.passes + this.fails;
    return n === 0 ? 0 : this.passes / n;
  }
  values(): Record<string, number> {
    return { rate: this.rate, passes: this.passes, fails: this.fails };
  }
  aggregate(a: string): number {
    return a === 'rate' ? this.rate : NaN;
  }
}

/** mulberry32: deterministic sampling decisions. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class TrendSink implements Sink {
  count = 0;
  sum = 0;
  min = 0;
  max = 0;
  private kept: Float64Array = new Float64Array(1024);
  private keptLen = 0;
  private sorted = true;
  private readonly random = prng(0x6b36);

  constructor(private readonly reservoir = TREND_RESERVOIR) {}

  add(v: number): void {
    this.min = this.count === 0 ? v : Math.min(this.min, v);
    this.max = this.count === 0 ? v : Math.max(this.max, v);
    this.count++;
    this.sum += v;
    if (this.keptLen < this.reservoir) {
      if (this.keptLen === this.kept.length) {
        const grown = new Float64Array(Math.min(this.reservoir, this.kept.length * 2));
        grown.set(this.kept);
        this.kept = grown;
      }
      this.kept[this.keptLen++] = v;
      this.sorted = false;
      return;
    }
    // Algorithm R: the n-th value replaces a random kept one with probability reservoir/n.
    const j = Math.floor(this.random() * this.count);
    if (j < this.reservoir) {
      this.kept[j] = v;
      this.sorted = false;
    }
  }

  /** k6's percentile: linear interpolation at rank pct·(n−1) of the sorted values. */
  percentile(pct: number): number {
    const n = this.keptLen;
    if (n === 0) return 0;
    if (!this.sorted) {
      this.kept.subarray(0, n).sort();
      this.sorted = true;
    }
    if (n === 1) return this.kept[0];
    const i = (pct / 100) * (n - 1);
    const lo = this.kept[Math.floor(i)];
    const hi = this.kept[Math.ceil(i)];
    return lo + (hi - lo) * (i - Math.floor(i));
  }

  aggregate(a: string): number {
    switch (a) {
      case 'avg':
        return this.count === 0 ? 0 : this.sum / this.count;
      case 'min':
        return this.min;
      case 'max':
        return this.max;
      case 'med':
        return this.percentile(50);
      case 'count':
        return this.count;
      default: {
        const p = /^p\((\d+(?:\.\d+)?)\)$/.exec(a);
        return p ? this.percentile(Number(p[1])) : NaN;
      }
    }
  }

  values(_durationMs: number, trendStats: string[]): Record<string, number> {
    const out: Record<string, number> = {};
    for (const stat of trendStats) out[stat] = this.aggregate(stat.replace(/\s+/g, ''));
    return out;
  }
}

export function newSink(type: MetricType): Sink {
  switch (type) {
    case 'counter':
      return new CounterSink();
    case 'gauge':
      return new GaugeSink();
    case 'rate':
      return new RateSink();
    case 'trend':
      return new TrendSink();
  }
}

/** Trend stats k6 accepts in summaryTrendStats (as this runtime computes them). */
export function isTrendStat(stat: string): boolean {
  return /^(avg|min|med|max|count|p\(\d+(\.\d+)?\))$/.test(stat.replace(/\s+/g, ''));
}
