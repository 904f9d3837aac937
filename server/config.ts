import { createPublicKey } from 'node:crypto';
import { defaultAbuseLimits, invalidAbuseLimit, type AbuseLimits } from './limits/abuseLimits.js';
import { DEFAULT_REQUEST_LIMITS, type RequestLimits } from './http/requestLimits.js';
import { DEFAULT_POLLING_LIMITS, invalidPollingLimit, type PollingLimits } from './transport/polling/pollingLimits.js';

/**
 * Server configuration: one validated object, built by the CLI from defaults, environment
 * variables and flags (server/cliOptionTable.ts). Everything tunable lives here so tests can start
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
  /** Quick play never places a player in a match with less play time left than this, ms. */
  minJoinTimeLeftMs: number;
  /** Seed for match RNGs; null → random per match. */
  seed: number | null;
  /**
   * PEM RSA public key of the operator's identity provider. Set → RS256 mode: player tokens
   * are verified with this key only (RS256 pinned); guest tokens only when allowGuest.
   */
  jwtPublicKey: string | null;
  /** RS256 mode: when set, a token's `kid` header must equal it. */
  jwtKeyId: string | null;
  /** Whether POST /api/auth/guest issues tokens (the CLI turns it off in RS256 mode). */
  allowGuest: boolean;
  /** HS256 secret for admin tokens (`tickwire token --admin`); null → admin API disabled. */
  adminSecret: string | null;
  /** On SIGTERM/SIGINT, running matches may play this long before they are ended, ms. */
  drainTimeoutMs: number;
  /** /healthz reports the event loop stalled when a timer fires this late, ms. */
  stallThresholdMs: number;
  /** redis:// URL: join a cluster (server/cluster/); null → one standalone process. */
  redisUrl: string | null;
  /** `tickwire serve --workers`: processes on this machine (1 = this process serves). Needs redisUrl above 1. */
  workers: number;
  /** Lobby chat lines per second per socket (bursts of 3× allowed); over it a line is refused. */
  lobbyChatPerSecond: number;
  /** Heartbeat comment interval on SSE streams, ms (keeps proxies from closing idle streams). */
  sseHeartbeatMs: number;
  /**
   * Per-socket send-buffer bounds, bytes (unsent bytes queued in the server): above the soft
   * one a socket skips snapshots and gets a keyframe when it drains; a frame that would take
   * it past the hard one closes it with 4016 (slow consumer; a player keeps the seat).
   */
  sendBufferSoftBytes: number;
  sendBufferHardBytes: number;
  /** Per-user and per-address limits (server/limits/abuseLimits.ts). */
  limits: AbuseLimits;
  /**
   * Lower-case name of the header a trusted reverse proxy sets with the client address
   * (e.g. x-forwarded-for; its last entry is used). null → the TCP peer address; never set
   * it without a proxy in front, or clients choose their own address.
   */
  trustedProxyHeader: string | null;
  /** HTTP request target/header sizes (431) and the body deadline (408). */
  requestLimits: RequestLimits;
  /** How often the lobby's online count is recomputed and pushed when it changed, ms. */
  lobbyOnlineIntervalMs: number;
  /** The HTTP long-polling fallback transport's bounds (server/transport/polling/pollingLimits.ts). */
  polling: PollingLimits;
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
  minJoinTimeLeftMs: 30_000,
  seed: null,
  jwtPublicKey: null,
  jwtKeyId: null,
  allowGuest: true,
  adminSecret: null,
  drainTimeoutMs: 5 * 60_000,
  stallThresholdMs: 1000,
  redisUrl: null,
  workers: 1,
  lobbyChatPerSecond: 1,
  sseHeartbeatMs: 15_000,
  lobbyOnlineIntervalMs: 2_000,
  sendBufferSoftBytes: 64 * 1024,
  sendBufferHardBytes: 512 * 1024,
  limits: defaultAbuseLimits,
  trustedProxyHeader: null,
  requestLimits: DEFAULT_REQUEST_LIMITS,
  polling: DEFAULT_POLLING_LIMITS,
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
  // Guest tokens must fit under the lifetime cap every token is checked against.
  intIn('token-ttl', c.tokenTtlSeconds, 60, 7 * 24 * 3600);
  intIn('max-frame-bytes', c.maxFrameBytes, 64, 65536);
  intIn('max-inputs-per-second', c.maxInputsPerSecond, 1, 10_000);
  intIn('send-buffer-soft', c.sendBufferSoftBytes, 1024, 16 * 1024 * 1024);
  intIn('send-buffer-hard', c.sendBufferHardBytes, 4096, 64 * 1024 * 1024);
  if (c.sendBufferHardBytes <= c.sendBufferSoftBytes) {
    throw new ConfigError('send-buffer-hard', `must be above send-buffer-soft ${c.sendBufferSoftBytes} (got ${c.sendBufferHardBytes})`);
  }
  const badLimit = invalidAbuseLimit(c.limits);
  if (badLimit) throw new ConfigError('limits', badLimit);
  if (c.trustedProxyHeader !== null && !/^[a-z0-9-]{1,64}$/.test(c.trustedProxyHeader)) {
    throw new ConfigError('trusted-proxy-header', `must be a lower-case header name such as x-forwarded-for (got ${c.trustedProxyHeader})`);
  }
  intIn('request-limits.maxTargetBytes', c.requestLimits.maxTargetBytes, 256, 65_536);
  intIn('request-limits.maxHeaderBytes', c.requestLimits.maxHeaderBytes, 1024, 65_536);
  intIn('request-limits.bodyTimeoutMs', c.requestLimits.bodyTimeoutMs, 100, 600_000);
  intIn('idle-timeout', c.idleTimeoutSeconds, 8, 960);
  const badPolling = invalidPollingLimit(c.polling);
  if (badPolling) throw new ConfigError('polling', badPolling);
  if (c.seed !== null) intIn('seed', c.seed, 0, 4_294_967_295);
  intIn('lobby-chat-per-second', c.lobbyChatPerSecond, 1, 100);
  intIn('sse-heartbeat', c.sseHeartbeatMs, 10, 3_600_000);
  intIn('lobby-online-interval', c.lobbyOnlineIntervalMs, 10, 600_000);
  // Negative means "no bots".
  if (c.botFillDelayMs >= 0) intIn('bot-fill-delay', c.botFillDelayMs, 0, 3_600_000);
  intIn('min-join-time-left', c.minJoinTimeLeftMs, 0, 86_400_000);
  if (c.jwtSecret !== null && c.jwtSecret.length < 16) throw new ConfigError('jwt-secret', 'must be at least 16 characters');
  if (c.publicUrl !== null && !/^wss?:\/\/[^\s/]+/.test(c.publicUrl)) {
    throw new ConfigError('public-url', `must start with ws:// or wss:// (got ${c.publicUrl})`);
  }
  intIn('drain-timeout', c.drainTimeoutMs, 0, 86_400_000);
  intIn('stall-threshold', c.stallThresholdMs, 50, 600_000);
  if (c.adminSecret !== null) {
    if (c.adminSecret.length < 16) throw new ConfigError('admin-secret', 'must be at least 16 characters');
    // Distinct secrets keep a leaked player-token secret from minting admin tokens.
    if (c.adminSecret === c.jwtSecret) throw new ConfigError('admin-secret', 'must differ from the JWT secret');
  }
  if (c.jwtPublicKey !== null) {
    // createPublicKey would happily derive a public key from a private one; a game server
    // should never hold the identity provider's signing key.
    if (c.jwtPublicKey.includes('PRIVATE KEY')) throw new ConfigError('jwt-public-key', 'is a private key: give the public key (BEGIN PUBLIC KEY)');
    let type: string | undefined;
    try {
      type = createPublicKey(c.jwtPublicKey).asymmetricKeyType;
    } catch {
      type = undefined;
    }
    if (type !== 'rsa') throw new ConfigError('jwt-public-key', 'must be a PEM-encoded RSA public key (BEGIN PUBLIC KEY)');
  }
  if (c.jwtKeyId !== null && c.jwtPublicKey === null) throw new ConfigError('jwt-key-id', 'needs --jwt-public-key');
  if (c.redisUrl !== null && !/^rediss?:\/\/[^\s]+$/.test(c.redisUrl)) {
    throw new ConfigError('redis', 'must start with redis:// or rediss://');
  }
  intIn('workers', c.workers, 1, 256);
  if (c.workers > 1 && c.redisUrl === null) {
    throw new ConfigError('workers', 'more than one worker needs --redis: each worker owns its own matches, and only a shared Redis gives them one lobby, match list and matchmaking');
  }
  return c;
}

// Flags and environment variables are read by the CLI's option table (server/cliOptionTable.ts),
// the one place that names them.
