/**
 * The CLI's option table: one entry per option drives argument parsing (node:util
 * parseArgs, strict), the environment variable names, defaults, per-value validation and
 * `--help`, so they cannot disagree. docs/hosting.md carries the same table; a test checks
 * that every flag and variable appears there.
 *
 * Precedence: flag > environment variable > default. Values are checked one by one here
 * (type, range: the error names the flag or variable and the valid range), then the whole
 * config goes through validateConfig for the rules that span options.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { normalizeName } from './auth/tokens.js';
import { ConfigError, defaultConfig, validateConfig, type ServerConfig } from './config.js';
import { DEFAULT_ARENA_SETTINGS, resolveSettings } from './game/arena/state.js';
import { mergeAbuseLimits } from './limits/abuseLimits.js';
import { mergePollingLimits } from './transport/polling/pollingLimits.js';

export type Command = 'serve' | 'token';

export type OptionKind =
  | { type: 'int'; min: number; max: number }
  /** Written `500ms`, `30s`, `5m`, `1h`, `2d`; a bare number is seconds. Parsed to ms. */
  | { type: 'duration'; minMs: number; maxMs: number; offValue?: number }
  | { type: 'string' }
  | { type: 'enum'; values: readonly string[] }
  /** Present on the command line → true; env accepts true/false, 1/0, yes/no, on/off. */
  | { type: 'boolean' }
  /** A path; the value used is the file's contents. */
  | { type: 'file' }
  /** A JSON object. */
  | { type: 'json' }
  /** An integer, or `auto` for this machine's core count. */
  | { type: 'cores'; min: number; max: number };

export interface OptionSpec {
  /** Flag name without the leading dashes. */
  name: string;
  /** Environment variables, first set one wins. */
  env: readonly string[];
  kind: OptionKind;
  commands: readonly Command[];
  /** The ServerConfig field it sets (serve). */
  key?: keyof ServerConfig;
  /** Value placeholder in --help. */
  placeholder: string;
  help: string;
  /** The default as --help shows it. */
  defaultText: string;
  /** Never echoed in errors or logs. */
  secret?: boolean;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

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

export const OPTIONS: readonly OptionSpec[] = [
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
    name: 'arena',
    env: ['TICKWIRE_ARENA'],
    kind: { type: 'json' },
    commands: ['serve'],
    key: 'arena',
    placeholder: '<json>',
    help: `Arena match settings as JSON, e.g. '{"matchSeconds":300}'. Keys: ${Object.keys(DEFAULT_ARENA_SETTINGS).join(', ')}.`,
    defaultText: '{} (built-in settings)',
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

/** A usage error: the CLI prints the message as one line and exits with status 2. */
export class UsageError extends Error {}

export type Source = { from: 'flag' } | { from: 'env'; name: string } | { from: 'default' };

export interface ParsedCommand {
  command: Command | null;
  help: boolean;
  /** `tickwire --version` / `-v`. */
  version: boolean;
  /** Raw strings (or true) per option name, already resolved flag > env. */
  raw: Map<string, { value: string | boolean; source: Source }>;
}

function optionsFor(command: Command): OptionSpec[] {
  return OPTIONS.filter((o) => o.commands.includes(command));
}

/** Splits argv into the command and its options (strict: unknown flags are errors). */
export function parseCommandLine(argv: readonly string[], env: NodeJS.ProcessEnv): ParsedCommand {
  const first = argv[0];
  if (first === undefined) throw new UsageError('missing command: run `tickwire serve` (see `tickwire --help`)');
  if (first === '--help' || first === '-h' || first === 'help') return { command: null, help: true, version: false, raw: new Map() };
  if (first === '--version' || first === '-v' || first === 'version') return { command: null, help: false, version: true, raw: new Map() };
  if (first !== 'serve' && first !== 'token') {
    throw new UsageError(
      first.startsWith('-')
        ? `missing command before ${first}: run \`tickwire serve ${first} …\` (see \`tickwire --help\`)`
        : `unknown command "${first}": use \`tickwire serve\` or \`tickwire token --admin\` (see \`tickwire --help\`)`,
    );
  }
  const command: Command = first;
  const specs = optionsFor(command);
  let values: Record<string, string | boolean | undefined>;
  try {
    const parsed = parseArgs({
      args: joinNegativeValues(argv.slice(1), specs),
      strict: true,
      allowPositionals: false,
      options: {
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
        ...Object.fromEntries(specs.map((s) => [s.name, { type: s.kind.type === 'boolean' ? ('boolean' as const) : ('string' as const) }])),
      },
    });
    values = parsed.values as Record<string, string | boolean | undefined>;
  } catch (e) {
    throw new UsageError(describeParseError(e as Error & { code?: string }, command));
  }
  const raw = new Map<string, { value: string | boolean; source: Source }>();
  for (const s of specs) {
    const flag = values[s.name];
    if (flag !== undefined) {
      raw.set(s.name, { value: flag, source: { from: 'flag' } });
      continue;
    }
    const envName = s.env.find((n) => env[n] !== undefined && env[n] !== '');
    if (envName) raw.set(s.name, { value: env[envName]!, source: { from: 'env', name: envName } });
  }
  return { command, help: values.help === true, version: values.version === true, raw };
}

/**
 * `--port -1` → `--port=-1`: parseArgs takes a value that starts with a dash for another
 * option ("ambiguous"), but a negative number after an option that needs a value can only
 * be its value, and the operator should hear the option's range, not a parsing rule.
 */
function joinNegativeValues(args: readonly string[], specs: readonly OptionSpec[]): string[] {
  const takesValue = new Set(specs.filter((s) => s.kind.type !== 'boolean').map((s) => `--${s.name}`));
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const next = args[i + 1];
    if (takesValue.has(args[i]!) && next !== undefined && /^-(\d|\.\d)/.test(next)) {
      out.push(`${args[i]}=${next}`);
      i++;
    } else {
      out.push(args[i]!);
    }
  }
  return out;
}

/** parseArgs' messages suggest `--` tricks; say what an operator needs instead. */
function describeParseError(e: Error & { code?: string }, command: Command): string {
  const flag = /'(-{1,2}[^'\s]+)/.exec(e.message)?.[1] ?? '';
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${flag} for \`tickwire ${command}\`: see \`tickwire ${command} --help\``;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (/argument missing/.test(e.message)) return `option ${flag} needs a value: see \`tickwire ${command} --help\``;
      // A value that starts with a dash: parseArgs cannot tell it from the next option.
      if (/ambiguous/.test(e.message)) return `option ${flag} needs a value; to pass one that starts with a dash write ${flag}=-…`;
      return `option ${flag} takes no value: see \`tickwire ${command} --help\``;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument ${/'([^']*)'/.exec(e.message)?.[1] ?? ''}: options are written --name value (see \`tickwire ${command} --help\`)`;
    default:
      return e.message;
  }
}

/** "--port 70000" or "TICKWIRE_PORT=70000 (--port)"; secrets never echo their value. */
export function describeSource(spec: OptionSpec, value: string | boolean | undefined, source: Source): string {
  const shown = spec.secret || value === undefined || typeof value === 'boolean' ? '' : value;
  if (source.from === 'env') return `${source.name}${shown ? `=${shown}` : ''} (--${spec.name})`;
  if (source.from === 'default') return `--${spec.name} (default ${spec.defaultText})`;
  return `--${spec.name}${shown ? ` ${shown}` : ''}`;
}

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/;

/** Three example durations inside [minMs, maxMs], so an error never suggests a value it refuses. */
export function durationExamples(minMs: number, maxMs: number): string {
  const candidates = [500, 30_000, 300_000, 3_600_000, 7 * 86_400_000, 30 * 86_400_000];
  const inRange = candidates.filter((ms) => ms >= minMs && ms <= maxMs);
  const picked = inRange.length >= 3 ? inRange.slice(0, 3) : [...new Set([minMs, ...inRange, maxMs])];
  const text = picked.map(formatMs);
  return text.length > 1 ? `${text.slice(0, -1).join(', ')} or ${text[text.length - 1]}` : text[0]!;
}
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses one raw value by its kind; throws a message (without the option name) on error. */
export function parseValue(spec: OptionSpec, raw: string | boolean): unknown {
  const k = spec.kind;
  switch (k.type) {
    case 'int': {
      const range = `must be an integer from ${k.min} to ${k.max}`;
      if (typeof raw !== 'string' || !/^[+-]?\d+$/.test(raw.trim())) throw new Error(range);
      const n = Number(raw);
      if (n < k.min || n > k.max) throw new Error(range);
      return n;
    }
    case 'duration': {
      const off = k.offValue !== undefined;
      const range = `must be a duration from ${formatMs(k.minMs)} to ${formatMs(k.maxMs)}${off ? ' or off' : ''}, like ${durationExamples(k.minMs, k.maxMs)}`;
      if (typeof raw !== 'string') throw new Error(range);
      const text = raw.trim().toLowerCase();
      if (off && text === 'off') return k.offValue;
      const m = DURATION.exec(text);
      if (!m) throw new Error(range);
      const ms = Math.round(Number(m[1]) * UNIT_MS[m[2] ?? 's']);
      if (ms < k.minMs || ms > k.maxMs) throw new Error(range);
      return ms;
    }
    case 'string':
      if (typeof raw !== 'string' || raw.trim() === '') throw new Error('must not be empty');
      return raw.trim();
    case 'enum':
      if (typeof raw !== 'string' || !k.values.includes(raw.trim())) throw new Error(`must be one of ${k.values.join(', ')}`);
      return raw.trim();
    case 'boolean': {
      if (typeof raw === 'boolean') return raw;
      const v = raw.trim().toLowerCase();
      if (['1', 'true', 'yes', 'on'].includes(v)) return true;
      if (['0', 'false', 'no', 'off'].includes(v)) return false;
      throw new Error('must be true or false');
    }
    case 'file': {
      if (typeof raw !== 'string' || raw.trim() === '') throw new Error('needs a file path');
      try {
        return readFileSync(raw.trim(), 'utf8');
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : (code ?? 'unreadable');
        throw new Error(`cannot read the file (${why})`);
      }
    }
    case 'cores': {
      const range = `must be auto or an integer from ${k.min} to ${k.max}`;
      if (typeof raw !== 'string') throw new Error(range);
      if (raw.trim().toLowerCase() === 'auto') return Math.min(k.max, Math.max(k.min, availableParallelism()));
      if (!/^[+-]?\d+$/.test(raw.trim()) || Number(raw) < k.min || Number(raw) > k.max) throw new Error(range);
      return Number(raw);
    }
    case 'json': {
      let v: unknown;
      try {
        v = JSON.parse(String(raw));
      } catch {
        throw new Error(`must be a JSON object, like '{"matchSeconds":300}'`);
      }
      if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`must be a JSON object, like '{"matchSeconds":300}'`);
      if (spec.key === 'arena') checkArenaSettings(v as Record<string, unknown>);
      if (spec.key === 'limits') return mergeAbuseLimits(v as Record<string, unknown>);
      if (spec.key === 'polling') return mergePollingLimits(v as Record<string, unknown>);
      return v;
    }
  }
}

/** The arena silently falls back on bad settings; an operator's typo should fail loudly instead. */
function checkArenaSettings(v: Record<string, unknown>): void {
  const resolved = resolveSettings(v) as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(v)) {
    if (!Object.hasOwn(DEFAULT_ARENA_SETTINGS, key)) {
      throw new Error(`unknown key "${key}" (known: ${Object.keys(DEFAULT_ARENA_SETTINGS).join(', ')})`);
    }
    if (resolved[key] !== value) throw new Error(`"${key}" is out of range or of the wrong type (got ${JSON.stringify(value)})`);
  }
}

export interface ServeSettings {
  config: ServerConfig;
  /** The effective configuration by option name, secrets redacted: logged once at start. */
  display: Record<string, unknown>;
  /** Where each non-default value came from ('flag' or the variable's name). */
  sources: Record<string, string>;
}

/** Builds the validated server config for `serve`; throws UsageError naming the option. */
export function resolveServe(parsed: ParsedCommand, base: Partial<ServerConfig> = {}): ServeSettings {
  const config: ServerConfig = { ...defaultConfig, ...base };
  const display: Record<string, unknown> = {};
  const sources: Record<string, string> = {};
  const specs = optionsFor('serve');
  const given = (name: string) => parsed.raw.get(name);
  for (const spec of specs) {
    const r = given(spec.name);
    if (r) {
      let value: unknown;
      try {
        value = parseValue(spec, r.value);
      } catch (e) {
        throw new UsageError(`invalid ${describeSource(spec, r.value, r.source)}: ${(e as Error).message}`);
      }
      if (spec.key) (config as unknown as Record<string, unknown>)[spec.key] = value;
      sources[spec.name] = r.source.from === 'env' ? r.source.name : 'flag';
    }
  }
  // Guests default to off when an identity provider signs player tokens.
  if (!given('allow-guest')) config.allowGuest = config.jwtPublicKey === null;
  try {
    validateConfig(config);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    const spec = specs.find((s) => s.name === e.option);
    if (!spec) throw new UsageError(`invalid ${e.message}`);
    const r = given(spec.name);
    const msg = e.message.slice(e.option.length + 2);
    throw new UsageError(`invalid ${describeSource(spec, r?.value, r?.source ?? { from: 'default' })}: ${msg}`);
  }
  for (const spec of specs) {
    if (!spec.key) continue;
    display[spec.name] = displayValue(spec, config[spec.key], given(spec.name)?.value);
  }
  return { config, display, sources };
}

function displayValue(spec: OptionSpec, value: unknown, raw: string | boolean | undefined): unknown {
  if (value === null || value === undefined) return null;
  if (spec.secret) return '[redacted]';
  if (spec.kind.type === 'file') return typeof raw === 'string' ? raw : '[set]';
  if (spec.kind.type === 'duration') return typeof value === 'number' && value < 0 ? 'off' : formatMs(value as number);
  if (spec.name === 'redis') return redactUrl(String(value));
  return value;
}

/** redis://user:pass@host → redis://user:***@host */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '[unparseable URL]';
  }
}

export interface TokenSettings {
  adminSecret: string;
  name: string;
  ttlSeconds: number;
}

export function resolveToken(parsed: ParsedCommand): TokenSettings {
  const specs = optionsFor('token');
  const values: Record<string, unknown> = {};
  for (const spec of specs) {
    const r = parsed.raw.get(spec.name);
    if (!r) continue;
    try {
      values[spec.name] = parseValue(spec, r.value);
    } catch (e) {
      throw new UsageError(`invalid ${describeSource(spec, r.value, r.source)}: ${(e as Error).message}`);
    }
  }
  if (values.admin !== true) throw new UsageError('`tickwire token` mints admin tokens only: pass --admin');
  const adminSecret = values['admin-secret'] as string | undefined;
  if (!adminSecret) throw new UsageError('token --admin needs the admin secret: pass --admin-secret or set TICKWIRE_ADMIN_SECRET');
  if (adminSecret.length < 16) throw new UsageError('invalid --admin-secret: must be at least 16 characters');
  const name = normalizeName(values.name ?? 'admin');
  if (!name) throw new UsageError('invalid --name: must be 1 to 16 printable characters');
  const ttlMs = (values.ttl as number | undefined) ?? 3_600_000;
  return { adminSecret, name, ttlSeconds: Math.round(ttlMs / 1000) };
}

// ---- help ------------------------------------------------------------------------------

function optionLines(command: Command): string[] {
  const lines: string[] = [];
  for (const s of optionsFor(command)) {
    const flag = `  --${s.name}${s.placeholder ? ` ${s.placeholder}` : ''}`;
    const env = s.env.join(', ');
    lines.push(env ? `${flag.padEnd(40)} ${env}` : flag);
    lines.push(`      ${s.help} Default: ${s.defaultText}.`);
  }
  return lines;
}

export function helpText(command: Command | null): string {
  const usage = [
    'tickwire: authoritative multiplayer game server',
    '',
    'Usage:',
    '  tickwire serve [options]          run a dedicated server',
    '  tickwire token --admin [options]  print an admin token for /api/admin',
    '  tickwire <command> --help         the options of one command',
    '  tickwire --version                print the version (also -v)',
    '',
  ];
  const serve = [
    'Options of `tickwire serve` (a flag wins over its environment variable, which wins over the default):',
    ...optionLines('serve'),
    '',
    'Durations are written 500ms, 30s, 5m, 1h or 2d; a bare number is seconds.',
    'Endpoints: /healthz (liveness), /readyz (readiness), /metrics (Prometheus), /api/admin/matches (admin token).',
    'SIGTERM or SIGINT drains (see --drain-timeout); a second signal ends every match and exits at once.',
    'Exit status: 0 after a drain, 1 when the server cannot start (port in use), 2 for invalid options.',
    '',
  ];
  const token = ['Options of `tickwire token`:', ...optionLines('token'), '', 'Prints the token on stdout. Send it as `Authorization: Bearer <token>`.', ''];
  if (command === 'serve') return [...usage, ...serve].join('\n');
  if (command === 'token') return [...usage, ...token].join('\n');
  return [...usage, ...serve, ...token].join('\n');
}
