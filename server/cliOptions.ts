/**
 * Parsing the command line against the option table (server/cliOptionTable.ts): node:util
 * parseArgs (strict), environment variables, and the `serve` and `token` settings built
 * from them. Each value is parsed by its kind in cliValues.ts; `--help` is cliHelp.ts.
 *
 * Precedence: flag > environment variable > default. Values are checked one by one
 * (type, range: the error names the flag or variable and the valid range), then the whole
 * config goes through validateConfig for the rules that span options, and each mode's
 * settings through its checkSettings.
 */
import { parseArgs } from 'node:util';
import { normalizeName } from './auth/tokens.js';
import { ConfigError, defaultConfig, validateConfig, type ServerConfig } from './config.js';
import type { ModeRegistration } from './modes/modeRegistry.js';
import type { ModePlugin } from './modes/modePlugin.js';
import { BUILTIN_MODE_PLUGINS } from './cliModes.js';
import { formatMs, optionsFor, type Command, type OptionSpec } from './cliOptionTable.js';
import { parseValue } from './cliValues.js';

export { CORE_OPTIONS, formatMs, OPTIONS, optionTable, type Command, type OptionKind, type OptionSpec } from './cliOptionTable.js';
export { durationExamples, parseValue } from './cliValues.js';
export { helpText } from './cliHelp.js';

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
  /** The modes being served, in order; their options are part of the command line. */
  plugins: readonly ModePlugin[];
}

/** Splits argv into the command and its options (strict: unknown flags are errors). */
export function parseCommandLine(argv: readonly string[], env: NodeJS.ProcessEnv, plugins: readonly ModePlugin[] = BUILTIN_MODE_PLUGINS): ParsedCommand {
  const first = argv[0];
  if (first === undefined) throw new UsageError('missing command: run `tickwire serve` (see `tickwire --help`)');
  if (first === '--help' || first === '-h' || first === 'help') return { command: null, help: true, version: false, raw: new Map(), plugins };
  if (first === '--version' || first === '-v' || first === 'version') return { command: null, help: false, version: true, raw: new Map(), plugins };
  if (first !== 'serve' && first !== 'token') {
    throw new UsageError(
      first.startsWith('-')
        ? `missing command before ${first}: run \`tickwire serve ${first} …\` (see \`tickwire --help\`)`
        : `unknown command "${first}": use \`tickwire serve\` or \`tickwire token --admin\` (see \`tickwire --help\`)`,
    );
  }
  const command: Command = first;
  const specs = optionsFor(command, plugins);
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
  return { command, help: values.help === true, version: values.version === true, raw, plugins };
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

export interface ServeSettings {
  config: ServerConfig;
  /** The effective configuration by option name, secrets redacted: logged once at start. */
  display: Record<string, unknown>;
  /** Where each non-default value came from ('flag' or the variable's name). */
  sources: Record<string, string>;
  /** The plugins' modes with the settings their options gave, for createServer. */
  modes: Record<string, ModeRegistration>;
}

/** Builds the validated server config for `serve`; throws UsageError naming the option. */
export function resolveServe(parsed: ParsedCommand, base: Partial<ServerConfig> = {}): ServeSettings {
  const config: ServerConfig = { ...defaultConfig, ...base };
  const display: Record<string, unknown> = {};
  const sources: Record<string, string> = {};
  const specs = optionsFor('serve', parsed.plugins);
  const modeSettings = new Map<string, Record<string, unknown>>(parsed.plugins.map((p) => [p.tag, {}]));
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
      const ms = spec.modeSetting && modeSettings.get(spec.modeSetting.tag);
      if (ms && spec.modeSetting?.key) ms[spec.modeSetting.key] = value;
      else if (ms) Object.assign(ms, value as Record<string, unknown>);
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
  const modes: Record<string, ModeRegistration> = {};
  for (const p of parsed.plugins) {
    const settings = modeSettings.get(p.tag)!;
    // A mode falls back to defaults on bad settings; an operator's typo should fail loudly.
    const bad = p.mode.checkSettings?.(settings);
    if (bad) {
      const spec = specs.find((s) => s.modeSetting?.tag === p.tag && given(s.name)) ?? specs.find((s) => s.modeSetting?.tag === p.tag);
      const r = spec && given(spec.name);
      throw new UsageError(spec ? `invalid ${describeSource(spec, r?.value, r?.source ?? { from: 'default' })}: ${bad}` : `invalid ${p.tag} settings: ${bad}`);
    }
    modes[p.tag] = { mode: p.mode, settings };
  }
  for (const spec of specs) {
    if (spec.key) display[spec.name] = displayValue(spec, config[spec.key], given(spec.name)?.value);
    else if (spec.modeSetting) display[spec.name] = modeSettings.get(spec.modeSetting.tag)?.[spec.modeSetting.key ?? ''] ?? (spec.modeSetting.key ? null : modeSettings.get(spec.modeSetting.tag));
  }
  return { config, display, sources, modes };
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
  const specs = optionsFor('token', parsed.plugins);
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
