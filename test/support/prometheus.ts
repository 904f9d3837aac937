/**
 * A strict parser for the Prometheus text exposition format (v0.0.4), enough to prove
 * /metrics is well-formed and to read values: every line must be a comment, a HELP/TYPE
 * line or a sample, or parsing throws naming the line.
 */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Exposition {
  samples: Sample[];
  types: Map<string, string>;
  /** Sum of every sample of `name` whose labels include `labels`. */
  sum(name: string, labels?: Record<string, string>): number;
  has(name: string): boolean;
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL = '[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\[\\\\"n])*"';
const SAMPLE = new RegExp(`^(${NAME})(?:\\{((?:${LABEL})(?:,${LABEL})*,?)?\\})? (\\S+)(?: (-?\\d+))?$`);
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

/** Go's ParseFloat rules, as Prometheus reads them: NaN and Inf in any letter case (prom-client writes "Nan"). */
function parseNumber(s: string): number {
  const lower = s.toLowerCase();
  if (lower === '+inf' || lower === 'inf') return Infinity;
  if (lower === '-inf') return -Infinity;
  if (lower === 'nan') return NaN;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) throw new Error(`bad sample value ${s}`);
  return Number(s);
}

export function parsePrometheus(text: string): Exposition {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  text.split('\n').forEach((line, i) => {
    if (line === '') return;
    if (line.startsWith('#')) {
      const m = new RegExp(`^# (HELP|TYPE) (${NAME}) ?(.*)$`).exec(line);
      if (!m) {
        if (/^# (HELP|TYPE)/.test(line)) throw new Error(`line ${i + 1}: bad ${line}`);
        return; // plain comment
      }
      if (m[1] === 'TYPE') {
        if (!TYPES.has(m[3])) throw new Error(`line ${i + 1}: unknown type ${m[3]}`);
        types.set(m[2], m[3]);
      }
      return;
    }
    const m = SAMPLE.exec(line);
    if (!m) throw new Error(`line ${i + 1}: not a sample: ${line}`);
    const labels: Record<string, string> = {};
    if (m[2]) {
      for (const l of m[2].matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"/g)) labels[l[1]] = l[2].replace(/\\n/g, '\n').replace(/\\(["\\])/g, '$1');
    }
    let value: number;
    try {
      value = parseNumber(m[3]);
    } catch (e) {
      throw new Error(`line ${i + 1}: ${(e as Error).message}`);
    }
    samples.push({ name: m[1], labels, value });
  });
  return {
    samples,
    types,
    sum(name, want = {}) {
      let total = 0;
      for (const s of samples) {
        if (s.name !== name) continue;
        if (Object.entries(want).every(([k, v]) => s.labels[k] === v)) total += s.value;
      }
      return total;
    },
    has(name) {
      return samples.some((s) => s.name === name);
    },
  };
}
