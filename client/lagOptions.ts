/**
 * `?lag=150&jitter=30`: simulated network latency inside the client, so anyone can watch
 * the netcode work without a bad network. `lag` is the added round-trip time in ms, split
 * evenly between the two directions (the net graph's RTT then reads ≈ lag on loopback);
 * `jitter` is the spread of each frame's delay (±jitter/2 per direction). Order is kept.
 */
export interface LagOptions {
  /** Added round-trip time, ms. */
  lagMs: number;
  /** Per-frame spread, ms. */
  jitterMs: number;
}

const MAX_LAG_MS = 5000;

/** Reads lag options from a query string; null when neither is set or both are 0. */
export function parseLagOptions(search: string): LagOptions | null {
  const q = new URLSearchParams(search);
  const read = (name: string): number => {
    const raw = q.get(name);
    if (raw === null || raw.trim() === '') return 0;
    const n = Number(raw);
    return Number.isFinite(n) ? Math.min(MAX_LAG_MS, Math.max(0, n)) : 0;
  };
  const lagMs = read('lag');
  const jitterMs = read('jitter');
  if (lagMs === 0 && jitterMs === 0) return null;
  return { lagMs, jitterMs };
}
