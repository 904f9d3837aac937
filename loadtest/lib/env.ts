/**
 * Reading k6 `-e NAME=value` options. A bad value stops the script in the init context with
 * one line naming the option, instead of a run with a silently wrong setting.
 */

export function envStr(name: string, fallback: string): string {
  const v = __ENV[name];
  return v === undefined || v === '' ? fallback : v;
}

export function envNum(name: string, fallback: number): number {
  const raw = __ENV[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`-e ${name}=${raw}: expected a number ≥ 0`);
  return n;
}

/** "500ms", "20s", "5m", "1h", "1m30s" or plain seconds → milliseconds. */
export function parseDurationMs(text: string): number | null {
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
  let total = 0;
  let consumed = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    total += Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
    consumed += m[0].length;
  }
  return consumed === text.length && consumed > 0 ? total : null;
}

export function envDurationMs(name: string, fallback: string): number {
  const raw = envStr(name, fallback);
  const ms = parseDurationMs(raw);
  if (ms === null) throw new Error(`-e ${name}=${raw}: expected a duration like 30s, 5m or 1h`);
  return ms;
}

/** A duration option passed through to k6 (validated, kept as text). */
export function envDuration(name: string, fallback: string): string {
  envDurationMs(name, fallback);
  return envStr(name, fallback);
}

export interface Target {
  /** http(s)://host:port, no trailing slash. */
  http: string;
  /** ws(s)://host:port, no trailing slash. */
  ws: string;
}

/** `-e TARGET=http://host:8080` (default http://localhost:8080). */
export function target(): Target {
  const raw = envStr('TARGET', 'http://localhost:8080').replace(/\/+$/, '');
  const m = /^(https?):\/\/([^/\s]+)$/.exec(raw);
  if (!m) throw new Error(`-e TARGET=${raw}: expected http://host:port or https://host:port`);
  return { http: raw, ws: `${m[1] === 'https' ? 'wss' : 'ws'}://${m[2]}` };
}
