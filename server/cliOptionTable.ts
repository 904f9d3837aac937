/**
 * The CLI's option table: one entry per option drives argument parsing, the environment
 * variable names, defaults (server/cliOptions.ts), per-value validation (cliValues.ts) and
 * `--help` (cliHelp.ts), so they cannot disagree. CORE_OPTIONS are the server's own (each
 * sets a ServerConfig field, the same names createServer takes); mode plugins add their
 * options (server/cliModes.ts). docs/hosting.md carries the same table; a test checks that
 * every flag and variable appears there.
 */
import { defaultConfig, type ServerConfig } from './config.js';
import type { ModePlugin, OptionKind } from './modes/modePlugin.js';
import { BUILTIN_MODE_PLUGINS } from './cliModes.js';

export type { OptionKind } from './modes/modePlugin.js';

export type Command = 'serve' | 'token';

export interface OptionSpec {
  /** Flag name without the leading dashes. */
  name: string;
  /** Environment variables, first set one wins. */
  env: readonly string[];
  kind: OptionKind;
  commands: readonly Command[];
  /** The ServerConfig field it sets (serve). */
  key?: keyof ServerConfig;
  /** A mode plugin's option: sets that mode's settings (one key, or merges a JSON object). */
  modeSetting?: { tag: string; key?: string };
  /** Value placeholder in --help. */
  placeholder: string;
  help: string;
  /** The default as --help shows it. */
  defaultText: string;
  /** Never echoed in errors or logs. */
  secret?: boolean;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** 300000 → "5m", 1500 → "1500ms". */
export function formatMs(ms: number): string {
  const units: Array<[string, number]> = [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ];
  if (ms === 0) return '0s';
  for (const [u, n] of units) if (ms % n === 0) return `${ms / n}${u}`;
  return `${ms}ms`;
}

const d = defaultConfig;

/** The server's own options, the same set createServer accepts (keyed by `key`). */
export const CORE_OPTIONS: readonly OptionSpec[] = [
  { name: 'host', env: ['TICKWIRE_HOST'], kind: { type: 'string' }, commands: ['serve'], key: 'host', placeholder: '<address>', help: 'Interface to listen on.', defaultText: d.host },
  { name: 'port', env: ['TICKWIRE_PORT', 'PORT'], kind: { type: 'int', min: 0, max: 65535 }, commands: ['serve'], key: 'port', placeholder: '<0-65535>', help: 'TCP port for HTTP and WebSocket; 0 picks a free one.', defaultText: String(d.port) },
  {
    name: 'public-url',
    env: ['TICKWIRE_PUBLIC_URL'],
    kind: { type: 'string' },
    commands: ['serve'],
    key: 'publicUrl',
    placeholder: '<ws(s)://host[:port][/path]>',
    help: 'Where clients reach this process: the matchmaker answers <public-url>/play (behind a TLS proxy e.g. wss://eu1.example.com/p1).',
    defaultText: 'ws://<Host header of the request>',
  },
  { name: 'tick-rate', env: ['TICKWIRE_TICK_RATE'], kind: { type: 'int', min: 1, max: 240 }, commands: ['serve'], key: 'tickRate', placeholder: '<1-240>', help: 'Simulation ticks per second.', defaultText: String(d.tickRate) },
  {
    name: 'snapshot-rate',
    env: ['TICKWIRE_SNAPSHOT_RATE'],
    kind: { type: 'int', min: 1, max: 240 },
    commands: ['serve'],
    key: 'snapshotRate',
    placeholder: '<1-240>',
    help: 'Snapshots per second; must divide the tick rate.',
    defaultText: String(d.snapshotRate),
  },
  { name: 'max-matches', env: ['TICKWIRE_MAX_MATCHES'], kind: { type: 'int', min: 1, max: 100_000 }, commands: ['serve'], key: 'maxMatches', placeholder: '<1-100000>', help: 'Live matches this process hosts at most.', defaultText: String(d.maxMatches) },
  { name: 'max-players', env: ['TICKWIRE_MAX_PLAYERS'], kind: { type: 'int', min: 1, max: 64 }, commands: ['serve'], key: 'maxPlayersPerMatch', placeholder: '<1-64>', help: 'Players per match at most (the game mode may cap it lower).', defaultText: String(d.maxPlayersPerMatch) },
  {
    name: 'reconnect-grace',
    env: ['TICKWIRE_RECONNECT_GRACE'],
    kind: { type: 'duration', minMs: 0, maxMs: 3_600_000 },
    commands: ['serve'],
    key: 'reconnectGraceMs',
    placeholder: '<0s-1h>',
    help: "How long a disconnected player's seat and score are kept.",
    defaultText: formatMs(d.reconnectGraceMs),
  },
  {
    name: 'bot-fill-delay',
    env: ['TICKWIRE_BOT_FILL_DELAY'],
    kind: { type: 'duration', minMs: 0, maxMs: 3_600_000, offValue: -1 },
    commands: ['serve'],
    key: 'botFillDelayMs',
    placeholder: '<0s-1h|off>',
    help: 'Bots fill empty slots this long after the first player joins; off: no bots.',
    defaultText: formatMs(d.botFillDelayMs),
  },
  {
    name: 'min-join-time-left',
    env: ['TICKWIRE_MIN_JOIN_TIME_LEFT'],
    kind: { type: 'duration', minMs: 0, maxMs: 86_400_000 },
    commands: ['serve'],
    key: 'minJoinTimeLeftMs',
    placeholder: '<0s-1d>',
    help: 'Quick play skips matches with less play time left than this (and opens a new one if none is left); 0s: any match.',
    defaultText: formatMs(d.minJoinTimeLeftMs),
  },
  {
    name: 'jwt-secret',
    env: ['TICKWIRE_JWT_SECRET'],
    kind: { type: 'string' },
    commands: ['serve'],
    key: 'jwtSecret',
    placeholder: '<secret>',
    help: 'HS256 secret for guest tokens, 16+ characters.',
    defaultText: 'random per process (tokens die with it)',
    secret: true,
  },
  {
    name: 'jwt-public-key',
    env: ['TICKWIRE_JWT_PUBLIC_KEY_FILE'],
    kind: { type: 'file' },
    commands: ['serve'],
    key: 'jwtPublicKey',
    placeholder: '<file.pem>',
    help: "RS256 mode: verify player tokens with your identity provider's RSA public key (PEM) only; guests are off unless --allow-guest.",
    defaultText: 'none (HS256 guest tokens)',
  },
  {
    name: 'jwt-key-id',
    env: ['TICKWIRE_JWT_KEY_ID'],
    kind: { type: 'string' },
    commands: ['serve'],
    key: 'jwtKeyId',
    placeholder: '<kid>',
    help: 'RS256 mode: require this `kid` in token headers.',
    defaultText: 'any',
  },
  {
    name: 'allow-guest',
    env: ['TICKWIRE_ALLOW_GUEST'],
    kind: { type: 'boolean' },
    commands: ['serve'],
    key: 'allowGuest',
    placeholder: '',
    help: 'Keep POST /api/auth/guest (HS256 guest tokens) in RS256 mode.',
    defaultText: 'on, off with --jwt-public-key',
  },
  {
    name: 'admin-secret',
    env: ['TICKWIRE_ADMIN_SECRET'],
    kind: { type: 'string' },
    commands: ['serve', 'token'],
    key: 'adminSecret',
    placeholder: '<secret>',
    help: 'Signs and verifies admin tokens (tickwire token --admin), 16+ characters, not the JWT secret.',
    defaultText: 'none (admin API off)',
    secret: true,
  },
  { name: 'log-level', env: ['TICKWIRE_LOG_LEVEL'], kind: { type: 'enum', values: LOG_LEVELS }, commands: ['serve'], key: 'logLevel', placeholder: `<${LOG_LEVELS.join('|')}>`, help: 'JSON log verbosity (stdout).', defaultText: d.logLevel },
  {
    name: 'drain-timeout',
    env: ['TICKWIRE_DRAIN_TIMEOUT'],
    kind: { type: 'duration', minMs: 0, maxMs: 86_400_000 },
    commands: ['serve'],
    key: 'drainTimeoutMs',
    placeholder: '<0s-1d>',
    help: 'On SIGTERM/SIGINT, running matches play on this long at most, then end with their results.',
    defaultText: formatMs(d.drainTimeoutMs),
  },
  {
    name: 'stall-threshold',
    env: ['TICKWIRE_STALL_THRESHOLD'],
    kind: { type: 'duration', minMs: 50, maxMs: 600_000 },
    commands: ['serve'],
    key: 'stallThresholdMs',
    placeholder: '<50ms-10m>',
    help: '/healthz answers 503 when the event loop lags more than this.',
    defaultText: formatMs(d.stallThresholdMs),
  },
  {
    name: 'redis',
    env: ['TICKWIRE_REDIS_URL'],
    kind: { type: 'string' },
    commands: ['serve'],
    key: 'redisUrl',
    placeholder: '<redis://...>',
    help: 'Join a cluster through this Redis: shared lobby, match list, notifications and matchmaking across nodes (docs/hosting.md).',
    defaultText: 'none',
  },
  {
    name: 'workers',
    env: ['TICKWIRE_WORKERS'],
    kind: { type: 'cores', min: 1, max: 256 },
    commands: ['serve'],
    key: 'workers',
    placeholder: '<N|auto>',
    help: 'Worker processes on this machine (auto: one per core), sharing --port for REST, each serving play on its own port (--port + N); more than 1 needs --redis.',
    defaultText: '1',
  },
  {
    name: 'limits',
    env: ['TICKWIRE_LIMITS'],
    kind: { type: 'json' },
    commands: ['serve'],
    key: 'limits',
    placeholder: '<json>',
    help: 'Per-user and per-address limits as JSON, merged over the defaults, e.g. \'{"guestSignupsPerAddress":{"perMinute":600,"burst":600}}\' for a load test from one machine. Keys: guestSignupsPerAddress, matchmakesPerUser, joinCodeAttemptsPerUser, streamTicketsPerUser, invitesPerUser ({perMinute, burst}), connectionsPerUserPerNamespace, eventStreamsPerUser.',
    defaultText: 'see docs/security.md',
  },
  // Tuning for tests, load tests and unusual deployments; the defaults suit a public server.
  { name: 'ticket-ttl', env: ['TICKWIRE_TICKET_TTL'], kind: { type: 'duration', minMs: 100, maxMs: 600_000 }, commands: ['serve'], key: 'ticketTtlMs', placeholder: '<100ms-10m>', help: 'How long a seat ticket (and the seat it reserves) waits for its player to connect.', defaultText: formatMs(d.ticketTtlMs) },
  { name: 'token-ttl', env: ['TICKWIRE_TOKEN_TTL'], kind: { type: 'int', min: 60, max: 7 * 24 * 3600 }, commands: ['serve'], key: 'tokenTtlSeconds', placeholder: '<60-604800>', help: 'Guest token lifetime, seconds.', defaultText: String(d.tokenTtlSeconds) },
  { name: 'client-dir', env: ['TICKWIRE_CLIENT_DIR'], kind: { type: 'string' }, commands: ['serve'], key: 'clientDir', placeholder: '<dir>', help: 'Directory of the browser client to serve at / (index.html and assets).', defaultText: 'the built client (dist/client) if present, else a status page' },
  { name: 'max-frame-bytes', env: ['TICKWIRE_MAX_FRAME_BYTES'], kind: { type: 'int', min: 64, max: 65_536 }, commands: ['serve'], key: 'maxFrameBytes', placeholder: '<64-65536>', help: 'Largest WebSocket frame a client may send; a larger one closes the socket with 4010.', defaultText: String(d.maxFrameBytes) },
  { name: 'max-inputs-per-second', env: ['TICKWIRE_MAX_INPUTS_PER_SECOND'], kind: { type: 'int', min: 1, max: 10_000 }, commands: ['serve'], key: 'maxInputsPerSecond', placeholder: '<1-10000>', help: 'Inputs per second per player socket (sustained; an input batch counts each input it carries); a flood well over it closes the socket with 4008.', defaultText: String(d.maxInputsPerSecond) },
  { name: 'idle-timeout', env: ['TICKWIRE_IDLE_TIMEOUT'], kind: { type: 'int', min: 8, max: 960 }, commands: ['serve'], key: 'idleTimeoutSeconds', placeholder: '<8-960>', help: 'Seconds without a frame before a socket is closed (uWS pings idle sockets first).', defaultText: String(d.idleTimeoutSeconds) },
  { name: 'seed', env: ['TICKWIRE_SEED'], kind: { type: 'int', min: 0, max: 4_294_967_295 }, commands: ['serve'], key: 'seed', placeholder: '<0-4294967295>', help: 'One RNG seed for every match (replays, tests).', defaultText: 'random per match' },
  { name: 'lobby-chat-per-second', env: ['TICKWIRE_LOBBY_CHAT_PER_SECOND'], kind: { type: 'int', min: 1, max: 100 }, commands: ['serve'], key: 'lobbyChatPerSecond', placeholder: '<1-100>', help: 'Chat lines per second per socket (bursts of 3x); over it a line is refused, the socket stays.', defaultText: String(d.lobbyChatPerSecond) },
  { name: 'sse-heartbeat', env: ['TICKWIRE_SSE_HEARTBEAT'], kind: { type: 'duration', minMs: 10, maxMs: 3_600_000 }, commands: ['serve'], key: 'sseHeartbeatMs', placeholder: '<10ms-1h>', help: 'Comment line interval on idle event streams, so proxies keep them open.', defaultText: formatMs(d.sseHeartbeatMs) },
  { name: 'lobby-online-interval', env: ['TICKWIRE_LOBBY_ONLINE_INTERVAL'], kind: { type: 'duration', minMs: 10, maxMs: 600_000 }, commands: ['serve'], key: 'lobbyOnlineIntervalMs', placeholder: '<10ms-10m>', help: 'How often the lobby online count is recomputed (and pushed when it changed).', defaultText: formatMs(d.lobbyOnlineIntervalMs) },
  { name: 'send-buffer-soft', env: ['TICKWIRE_SEND_BUFFER_SOFT'], kind: { type: 'int', min: 1024, max: 16 * 1024 * 1024 }, commands: ['serve'], key: 'sendBufferSoftBytes', placeholder: '<1024-16777216>', help: 'Unsent bytes per socket above which snapshots are skipped (a keyframe follows when it drains).', defaultText: String(d.sendBufferSoftBytes) },
  { name: 'send-buffer-hard', env: ['TICKWIRE_SEND_BUFFER_HARD'], kind: { type: 'int', min: 4096, max: 64 * 1024 * 1024 }, commands: ['serve'], key: 'sendBufferHardBytes', placeholder: '<4096-67108864>', help: 'Unsent bytes per socket that close it with 4016 (slow consumer; a player keeps the seat); above send-buffer-soft.', defaultText: String(d.sendBufferHardBytes) },
  {
    name: 'request-limits',
    env: ['TICKWIRE_REQUEST_LIMITS'],
    kind: { type: 'json' },
    commands: ['serve'],
    key: 'requestLimits',
    placeholder: '<json>',
    help: 'HTTP request bounds as JSON, merged over the defaults: maxTargetBytes (256-65536, 431 over it), maxHeaderBytes (1024-65536, 431), bodyTimeoutMs (100-600000, 408).',
    defaultText: '{"maxTargetBytes":2048,"maxHeaderBytes":8192,"bodyTimeoutMs":10000}',
  },
  {
    name: 'polling',
    env: ['TICKWIRE_POLLING'],
    kind: { type: 'json' },
    commands: ['serve'],
    key: 'polling',
    placeholder: '<json>',
    help: 'Long-polling fallback bounds as JSON, merged over the defaults. Keys: holdMs (≤25000), idleMs, maxSendBytes, maxFramesPerSend, sessionsPerAddress.',
    defaultText: 'see docs/transports.md',
  },
  {
    name: 'trusted-proxy-header',
    env: ['TICKWIRE_TRUSTED_PROXY_HEADER'],
    kind: { type: 'string' },
    commands: ['serve'],
    key: 'trustedProxyHeader',
    placeholder: '<header>',
    help: 'Behind a reverse proxy: the header it sets with the client address (e.g. x-forwarded-for; the last entry is used) for per-address limits. Never set it without a proxy in front.',
    defaultText: 'none (the TCP peer address)',
  },
  { name: 'admin', env: [], kind: { type: 'boolean' }, commands: ['token'], placeholder: '', help: 'Mint an admin token (the only kind this command mints).', defaultText: 'required' },
  { name: 'name', env: [], kind: { type: 'string' }, commands: ['token'], placeholder: '<name>', help: 'Who holds the token (1-16 characters; shows in logs).', defaultText: 'admin' },
  {
    name: 'ttl',
    env: [],
    kind: { type: 'duration', minMs: 60_000, maxMs: 30 * 86_400_000 },
    commands: ['token'],
    placeholder: '<1m-30d>',
    help: 'How long the token stays valid.',
    defaultText: '1h',
  },
];

/** The full table for an app serving `plugins`: core options, then each plugin's. */
export function optionTable(plugins: readonly ModePlugin[]): OptionSpec[] {
  const table: OptionSpec[] = [...CORE_OPTIONS];
  for (const p of plugins) {
    for (const o of p.options ?? []) {
      if (table.some((t) => t.name === o.name)) throw new Error(`mode plugin "${p.tag}": option --${o.name} is already taken`);
      const { setting, ...spec } = o;
      table.push({ ...spec, commands: ['serve'], modeSetting: { tag: p.tag, key: setting } });
    }
  }
  return table;
}

/** The options of `command` for an app serving `plugins`, in table order. */
export function optionsFor(command: Command, plugins: readonly ModePlugin[]): OptionSpec[] {
  return optionTable(plugins).filter((o) => o.commands.includes(command));
}

/** Every option of the built-in app (core + the built-in modes'). */
export const OPTIONS: readonly OptionSpec[] = optionTable(BUILTIN_MODE_PLUGINS);
