/**
 * The bounds of the HTTP long-polling transport (server/transport/polling/), one object in
 * the server config. The per-session queue bound is the WebSocket send-buffer hard bound
 * (`sendBufferHardBytes`) and the per-user session count is the `/play` connection limit, so
 * a player gets the same limits whichever transport carries them.
 */
export interface PollingLimits {
  /** How long a receive request is held open when nothing is queued, ms (≤ 25 s: proxies cut longer requests). */
  holdMs: number;
  /**
   * A session with no receive request outstanding for this long expires, ms: the room sees a
   * detach (close 4017) and keeps the seat for the reconnection grace. Above `holdMs`.
   */
  idleMs: number;
  /** Largest send body, bytes (413 above it). */
  maxSendBytes: number;
  /** Most frames in one send (413 above it). */
  maxFramesPerSend: number;
  /** Open polling sessions per client address (429 above it). */
  sessionsPerAddress: number;
}

export const DEFAULT_POLLING_LIMITS: PollingLimits = {
  holdMs: 25_000,
  idleMs: 35_000,
  maxSendBytes: 32 * 1024,
  maxFramesPerSend: 32,
  sessionsPerAddress: 64,
};

/** The first invalid field as "field: why", or null. */
export function invalidPollingLimit(l: PollingLimits): string | null {
  const intIn = (v: number, min: number, max: number) => Number.isInteger(v) && v >= min && v <= max;
  if (!intIn(l.holdMs, 100, 25_000)) return 'holdMs: must be an integer from 100 to 25000';
  if (!intIn(l.idleMs, l.holdMs + 1, 600_000)) return `idleMs: must be an integer above holdMs (${l.holdMs}) and at most 600000`;
  if (!intIn(l.maxSendBytes, 1024, 1024 * 1024)) return 'maxSendBytes: must be an integer from 1024 to 1048576';
  if (!intIn(l.maxFramesPerSend, 1, 1024)) return 'maxFramesPerSend: must be an integer from 1 to 1024';
  if (!intIn(l.sessionsPerAddress, 1, 1_000_000)) return 'sessionsPerAddress: must be an integer from 1 to 1000000';
  return null;
}

/** Operator JSON merged over the defaults; unknown keys and bad values throw one clear line. */
export function mergePollingLimits(v: Record<string, unknown>): PollingLimits {
  for (const key of Object.keys(v)) {
    if (!Object.hasOwn(DEFAULT_POLLING_LIMITS, key)) throw new Error(`unknown key "${key}" (known: ${Object.keys(DEFAULT_POLLING_LIMITS).join(', ')})`);
  }
  const merged = { ...DEFAULT_POLLING_LIMITS, ...v } as PollingLimits;
  const bad = invalidPollingLimit(merged);
  if (bad) throw new Error(bad);
  return merged;
}
