/**
 * Server configuration: one validated object built from defaults and environment
 * variables (the CLI adds flags on top). Everything tunable lives here so tests can start
 * a server with short timers instead of sleeping.
 */
export interface ServerConfig {
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  /** What clients are told to connect to; defaults to ws://host:port. */
  publicUrl: string | null;
  tickRate: number;
  /** Snapshots per second; must divide the tick rate. */
  snapshotRate: number;
  maxMatches: number;
  maxPlayersPerMatch: number;
  /** How long a disconnected player's seat, score and entity are kept, ms. */
  reconnectGraceMs: number;
  /** Seat ticket lifetime, ms. */
  ticketTtlMs: number;
  /** HS256 secret; null → random per process (tokens die with the process). */
  jwtSecret: string | null;
  /** Guest token lifetime, seconds. */
  tokenTtlSeconds: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Directory with the built browser client; null → the built-in status page. */
  clientDir: string | null;
  /** Per-socket limits. */
  maxFrameBytes: number;
  maxInputsPerSecond: number;
  /** uWS idle timeout, seconds (uWS pings automatically; a dead peer is closed after this). */
  idleTimeoutSeconds: number;
  /** Bots join a match this long after its first human, ms; negative disables bots. */
  botFillDelayMs: number;
  /** Game-mode settings passed through to the arena (durations, map…). */
  arena: Record<string, unknown>;
  /** Seed for match RNGs; null → random per match. */
  seed: number | null;
}

export const defaultConfig: ServerConfig = {
  host: '0.0.0.0',
  port: 8080,
  publicUrl: null,
  tickRate: 30,
  snapshotRate: 15,
  maxMatches: 1000,
  maxPlayersPerMatch: 8,
  reconnectGraceMs: 20_000,
  ticketTtlMs: 15_000,
  jwtSecret: null,
  tokenTtlSeconds: 12 * 3600,
  logLevel: 'info',
  clientDir: null,
  maxFrameBytes: 1024,
  maxInputsPerSecond: 60,
  idleTimeoutSeconds: 32,
  botFillDelayMs: 500,
  arena: {},
  seed: null,
};

export class ConfigError extends Error {
  constructor(
    readonly option: string,
    message: string,
  ) {
    super(`${option}: ${message}`);
  }
}

function intIn(option: string, v: number, min: number, max: number): void {
  if (!Number.isInteger(v) || v < min || v > max) throw new ConfigError(option, `must be an integer from ${min} to ${max} (got ${v})`);
}

/** Throws ConfigError naming the first invalid option. */
export function validateConfig(c: ServerConfig): ServerConfig {
  intIn('port', c.port, 0, 65535);
  intIn('tick-rate', c.tickRate, 1, 240);
  intIn('snapshot-rate', c.snapshotRate, 1, c.tickRate);
  if (c.tickRate % c.snapshotRate !== 0) {
    throw new ConfigError('snapshot-rate', `must divide the tick rate ${c.tickRate} (got ${c.snapshotRate})`);
  }
  intIn('max-matches', c.maxMatches, 1, 100_000);
  intIn('max-players', c.maxPlayersPerMatch, 1, 64);
  intIn('reconnect-grace', c.reconnectGraceMs, 0, 3_600_000);
  intIn('ticket-ttl', c.ticketTtlMs, 100, 600_000);
  intIn('max-frame-bytes', c.maxFrameBytes, 64, 65536);
  intIn('max-inputs-per-second', c.maxInputsPerSecond, 1, 10_000);
  intIn('idle-timeout', c.idleTimeoutSeconds, 8, 960);
  if (c.jwtSecret !== null && c.jwtSecret.length < 16) throw new ConfigError('jwt-secret', 'must be at least 16 characters');
  if (c.publicUrl !== null && !/^wss?:\/\/[^\s/]+/.test(c.publicUrl)) {
    throw new ConfigError('public-url', `must start with ws:// or wss:// (got ${c.publicUrl})`);
  }
  return c;
}

/** Defaults ← environment (TICKWIRE_*, PORT) ← overrides. */
export function loadConfig(env: NodeJS.ProcessEnv, overrides: Partial<ServerConfig> = {}): ServerConfig {
  const fromEnv: Partial<ServerConfig> = {};
  const num = (name: string, option: string): number | undefined => {
    const raw = env[name];
    if (raw === undefined || raw === '') return undefined;
    const n = Number(raw);
    if (!Number.isFinite(n)) throw new ConfigError(option, `${name} must be a number (got ${raw})`);
    return n;
  };
  const port = num('TICKWIRE_PORT', 'port') ?? num('PORT', 'port');
  if (port !== undefined) fromEnv.port = port;
  if (env.TICKWIRE_HOST) fromEnv.host = env.TICKWIRE_HOST;
  if (env.TICKWIRE_PUBLIC_URL) fromEnv.publicUrl = env.TICKWIRE_PUBLIC_URL;
  if (env.TICKWIRE_JWT_SECRET) fromEnv.jwtSecret = env.TICKWIRE_JWT_SECRET;
  if (env.TICKWIRE_LOG_LEVEL) fromEnv.logLevel = env.TICKWIRE_LOG_LEVEL as ServerConfig['logLevel'];
  const tick = num('TICKWIRE_TICK_RATE', 'tick-rate');
  if (tick !== undefined) fromEnv.tickRate = tick;
  const snap = num('TICKWIRE_SNAPSHOT_RATE', 'snapshot-rate');
  if (snap !== undefined) fromEnv.snapshotRate = snap;
  return validateConfig({ ...defaultConfig, ...fromEnv, ...overrides });
}
