/**
 * The tick histograms are preallocated bucket counters read at scrape time
 * (server/observability/bucketHistogram.ts) instead of prom-client Histograms. /metrics must
 * not notice: the exposition equals what prom-client's Histogram writes for the same name,
 * buckets and observations, and the exported buckets, sum and count are what was observed.
 */
import client from 'prom-client';
import { describe, expect, it } from 'vitest';
import { BucketHistogram } from '../../server/observability/bucketHistogram.js';
import { Metrics } from '../../server/observability/metrics.js';
import { prng } from '../support/prng.js';
import { parsePrometheus } from '../support/prometheus.js';

const BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 33, 66];

/** Values on, between, below and above the bounds, zero and negatives included. */
function values(n: number): number[] {
  const rnd = prng(99);
  const out = [0, -1, 66, 66.0001, 1e9, ...BUCKETS, ...BUCKETS.map((b) => b + 1e-12)];
  for (let i = 0; i < n; i++) out.push(rnd() < 0.8 ? rnd() * 3 : rnd() * 120);
  return out;
}

describe('BucketHistogram', () => {
  it("writes the same /metrics text as prom-client's Histogram for the same observations", async () => {
    const ours = new client.Registry();
    const theirs = new client.Registry();
    const a = new BucketHistogram({ name: 'x_ms', help: 'How long x took', buckets: BUCKETS, registers: [ours] });
    const b = new client.Histogram({ name: 'x_ms', help: 'How long x took', buckets: BUCKETS, registers: [theirs] });
    expect(await ours.metrics()).toBe(await theirs.metrics()); // nothing observed yet
    for (const v of values(5000)) {
      a.observe(v);
      b.observe(v);
    }
    expect(await ours.metrics()).toBe(await theirs.metrics());
    expect(await ours.getMetricsAsJSON()).toEqual(await theirs.getMetricsAsJSON());
    a.reset();
    b.reset();
    b.zero({}); // prom-client's reset drops the series until the next observe; ours keeps zeros
    expect(await ours.metrics()).toBe(await theirs.metrics());
  });

  it('exports per bucket the number of observations ≤ its bound, and their sum and count', async () => {
    const metrics = new Metrics();
    const observed = values(2000);
    for (const v of observed) metrics.tickLateness.observe(v);
    const m = parsePrometheus(await metrics.text());
    expect(m.types.get('tickwire_tick_lateness_ms')).toBe('histogram');
    for (const le of BUCKETS) expect(m.sum('tickwire_tick_lateness_ms_bucket', { le: String(le) }), `le=${le}`).toBe(observed.filter((v) => v <= le).length);
    expect(m.sum('tickwire_tick_lateness_ms_bucket', { le: '+Inf' })).toBe(observed.length);
    expect(m.sum('tickwire_tick_lateness_ms_count')).toBe(observed.length);
    expect(m.sum('tickwire_tick_lateness_ms_sum')).toBeCloseTo(observed.reduce((x, y) => x + y, 0), 6);
    // The other two tick histograms are there, untouched.
    expect(m.sum('tickwire_tick_duration_ms_count')).toBe(0);
    expect(m.types.get('tickwire_tick_wake_lateness_ms')).toBe('histogram');
  });

  it('refuses a non-finite value (as prom-client does), counting nothing', async () => {
    const r = new client.Registry();
    const h = new BucketHistogram({ name: 'y_ms', help: 'y', buckets: BUCKETS, registers: [r] });
    expect(() => h.observe(NaN)).toThrow(TypeError);
    expect(() => h.observe(Infinity)).toThrow(TypeError);
    expect(parsePrometheus(await r.metrics()).sum('y_ms_count')).toBe(0);
    // A second metric of the same name on one registry is refused, as for any prom-client metric.
    expect(() => new BucketHistogram({ name: 'y_ms', help: 'y', buckets: BUCKETS, registers: [r] })).toThrow(/already been registered/);
  });
});
