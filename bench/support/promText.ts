/**
 * Just enough of the Prometheus text format to read the server's /metrics: samples by name
 * and labels, counter deltas between two scrapes, and quantiles from histogram buckets.
 */

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export function parseProm(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    if (m[2]) for (const l of m[2].matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]] = l[2];
    out.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return out;
}

function matches(s: Sample, name: string, labels: Record<string, string>): boolean {
  if (s.name !== name) return false;
  for (const [k, v] of Object.entries(labels)) if (s.labels[k] !== v) return false;
  return true;
}

/** Sum of every sample of `name` whose labels include `labels`. */
export function total(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const s of samples) if (matches(s, name, labels)) sum += s.value;
  return sum;
}

/** `after − before` for a counter (or gauge) summed over matching label sets. */
export function delta(before: Sample[], after: Sample[], name: string, labels: Record<string, string> = {}): number {
  return total(after, name, labels) - total(before, name, labels);
}

/**
 * Quantile `q` of the observations a histogram received between two scrapes, interpolated
 * linearly inside the bucket it falls in (as PromQL's histogram_quantile does). Only as
 * fine as the buckets; NaN when nothing was observed.
 */
export function histogramQuantile(before: Sample[], after: Sample[], name: string, q: number): number {
  const buckets = new Map<number, number>();
  for (const s of after) if (s.name === `${name}_bucket`) buckets.set(Number(s.labels.le === '+Inf' ? Infinity : s.labels.le), s.value);
  for (const s of before) if (s.name === `${name}_bucket`) {
    const le = Number(s.labels.le === '+Inf' ? Infinity : s.labels.le);
    buckets.set(le, (buckets.get(le) ?? 0) - s.value);
  }
  const sorted = [...buckets.entries()].sort((a, b) => a[0] - b[0]);
  const count = sorted.at(-1)?.[1] ?? 0;
  if (count <= 0) return NaN;
  const rank = q * count;
  let prevLe = 0;
  let prevCount = 0;
  for (const [le, c] of sorted) {
    if (c >= rank) {
      if (le === Infinity) return prevLe;
      return prevLe + (le - prevLe) * ((rank - prevCount) / Math.max(1e-9, c - prevCount));
    }
    prevLe = le;
    prevCount = c;
  }
  return prevLe;
}
