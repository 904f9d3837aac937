/**
 * The CLI option table: precedence (flag > env > default), per-value errors naming the
 * option and range, --help and docs/hosting.md listing every option, and the table's
 * ranges agreeing with validateConfig (the programmatic validator) at every boundary.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, defaultConfig, validateConfig, type ServerConfig } from '../../server/config.js';
import { formatMs, helpText, OPTIONS, parseCommandLine, parseValue, resolveServe, resolveToken, UsageError } from '../../server/cliOptions.js';
import { runCli } from '../../server/cliCommands.js';

const dir = mkdtempSync(join(tmpdir(), 'tickwire-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function serve(args: string[], env: NodeJS.ProcessEnv = {}) {
  return resolveServe(parseCommandLine(['serve', ...args], env));
}

function usageError(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error('expected a UsageError');
}

describe('precedence', () => {
  it('uses defaults when nothing is given', () => {
    const { config, sources } = serve([]);
    expect(config).toEqual({ ...defaultConfig, allowGuest: true });
    expect(sources).toEqual({});
  });

  it('env beats default; flag beats env; first listed env var wins', () => {
    const env = { TICKWIRE_TICK_RATE: '20', TICKWIRE_SNAPSHOT_RATE: '10', TICKWIRE_PORT: '9000', PORT: '9999', TICKWIRE_DRAIN_TIMEOUT: '90' };
    const a = serve([], env);
    expect(a.config).toMatchObject({ tickRate: 20, snapshotRate: 10, port: 9000, drainTimeoutMs: 90_000 });
    expect(a.sources).toMatchObject({ 'tick-rate': 'TICKWIRE_TICK_RATE', port: 'TICKWIRE_PORT' });
    const b = serve(['--tick-rate', '10', '--port=0', '--drain-timeout', '2m'], env);
    expect(b.config).toMatchObject({ tickRate: 10, snapshotRate: 10, port: 0, drainTimeoutMs: 120_000 });
    expect(b.sources).toMatchObject({ 'tick-rate': 'flag', port: 'flag', 'snapshot-rate': 'TICKWIRE_SNAPSHOT_RATE' });
    expect(serve([], { PORT: '9999' }).config.port).toBe(9999);
    // An empty variable counts as unset.
    expect(serve([], { TICKWIRE_PORT: '', PORT: '7000' }).config.port).toBe(7000);
  });

  it('parses durations, off, booleans and JSON', () => {
    expect(serve(['--reconnect-grace', '500ms']).config.reconnectGraceMs).toBe(500);
    expect(serve(['--reconnect-grace', '1.5']).config.reconnectGraceMs).toBe(1500);
    expect(serve(['--drain-timeout', '1h']).config.drainTimeoutMs).toBe(3_600_000);
    expect(serve(['--bot-fill-delay', 'off']).config.botFillDelayMs).toBe(-1);
    expect(serve([], { TICKWIRE_ALLOW_GUEST: 'false' }).config.allowGuest).toBe(false);
    expect(serve(['--arena', '{"matchSeconds":30,"map":"open"}']).modes.arena?.settings).toEqual({ matchSeconds: 30, map: 'open' });
  });

  it('redacts secrets in the effective configuration', () => {
    const s = serve(['--jwt-secret', 'jwt-secret-0123456789', '--admin-secret', 'admin-secret-0123456789', '--redis', 'redis://ops:hunter2@cache:6379/0']);
    expect(s.config.jwtSecret).toBe('jwt-secret-0123456789');
    expect(s.display['jwt-secret']).toBe('[redacted]');
    expect(s.display['admin-secret']).toBe('[redacted]');
    expect(s.display.redis).toBe('redis://ops:***@cache:6379/0');
    expect(JSON.stringify(s.display)).not.toMatch(/0123456789|hunter2/);
    expect(s.display['drain-timeout']).toBe('5m');
  });
});

describe('RS256 configuration', () => {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
  const pub = join(dir, 'idp.pem');
  const priv = join(dir, 'idp.key');
  const junk = join(dir, 'junk.pem');
  writeFileSync(pub, publicKey);
  writeFileSync(priv, privateKey);
  writeFileSync(junk, 'hello');

  it('reads the key file and turns guests off unless allowed', () => {
    const s = serve(['--jwt-public-key', pub]);
    expect(s.config.jwtPublicKey).toBe(publicKey);
    expect(s.config.allowGuest).toBe(false);
    expect(s.display['jwt-public-key']).toBe(pub);
    expect(serve(['--jwt-public-key', pub, '--allow-guest']).config.allowGuest).toBe(true);
    expect(serve(['--jwt-key-id', 'k1'], { TICKWIRE_JWT_PUBLIC_KEY_FILE: pub }).config.jwtKeyId).toBe('k1');
  });

  it('refuses unreadable files, non-keys, private keys, and a kid without a key', () => {
    expect(usageError(() => serve(['--jwt-public-key', join(dir, 'missing.pem')]))).toBe(`invalid --jwt-public-key ${join(dir, 'missing.pem')}: cannot read the file (no such file)`);
    expect(usageError(() => serve(['--jwt-public-key', dir]))).toMatch(/cannot read the file \(is a directory\)/);
    expect(usageError(() => serve(['--jwt-public-key', junk]))).toMatch(/^invalid --jwt-public-key .*junk\.pem: must be a PEM-encoded RSA public key/);
    expect(usageError(() => serve(['--jwt-public-key', priv]))).toMatch(/is a private key: give the public key/);
    expect(usageError(() => serve(['--jwt-key-id', 'k1']))).toBe('invalid --jwt-key-id k1: needs --jwt-public-key');
  });
});

describe('errors name the option and the valid range', () => {
  it.each([
    [['--port', '70000'], {}, 'invalid --port 70000: must be an integer from 0 to 65535'],
    [['--port', '80.5'], {}, 'invalid --port 80.5: must be an integer from 0 to 65535'],
    [['--tick-rate', '0'], {}, 'invalid --tick-rate 0: must be an integer from 1 to 240'],
    // A negative number is the option's value (out of range), not a missing value.
    [['--port', '-1'], {}, 'invalid --port -1: must be an integer from 0 to 65535'],
    [['--tick-rate', '-5'], {}, 'invalid --tick-rate -5: must be an integer from 1 to 240'],
    [['--max-players', '-0.5'], {}, 'invalid --max-players -0.5: must be an integer from 1 to 64'],
    [['--drain-timeout', '-5s'], {}, 'invalid --drain-timeout -5s: must be a duration from 0s to 1d, like 500ms, 30s or 5m'],
    [[], { TICKWIRE_TICK_RATE: 'fast' }, 'invalid TICKWIRE_TICK_RATE=fast (--tick-rate): must be an integer from 1 to 240'],
    [[], { PORT: '-1' }, 'invalid PORT=-1 (--port): must be an integer from 0 to 65535'],
    [['--tick-rate', '20'], {}, 'invalid --snapshot-rate (default 15): must divide the tick rate 20 (got 15)'],
    [['--drain-timeout', 'soon'], {}, 'invalid --drain-timeout soon: must be a duration from 0s to 1d, like 500ms, 30s or 5m'],
    [['--reconnect-grace', '2h'], {}, 'invalid --reconnect-grace 2h: must be a duration from 0s to 1h, like 500ms, 30s or 5m'],
    [['--bot-fill-delay', 'never'], {}, 'invalid --bot-fill-delay never: must be a duration from 0s to 1h or off, like 500ms, 30s or 5m'],
    [['--log-level', 'loud'], {}, 'invalid --log-level loud: must be one of fatal, error, warn, info, debug, trace, silent'],
    [['--jwt-secret', 'short'], {}, 'invalid --jwt-secret: must be at least 16 characters'],
    [['--admin-secret', 'same-secret-0123456789', '--jwt-secret', 'same-secret-0123456789'], {}, 'invalid --admin-secret: must differ from the JWT secret'],
    [['--public-url', 'http://x'], {}, 'invalid --public-url http://x: must start with ws:// or wss:// (got http://x)'],
    [['--redis', 'localhost:6379'], {}, 'invalid --redis localhost:6379: must start with redis:// or rediss://'],
    [['--arena', '[1]'], {}, `invalid --arena [1]: must be a JSON object, like '{"matchSeconds":300}'`],
    [['--arena', '{"matchSeconds":-1}'], {}, 'invalid --arena {"matchSeconds":-1}: "matchSeconds" is out of range or of the wrong type (got -1)'],
    [[], { TICKWIRE_ALLOW_GUEST: 'maybe' }, 'invalid TICKWIRE_ALLOW_GUEST=maybe (--allow-guest): must be true or false'],
    [['--host', ' '], {}, 'invalid --host  : must not be empty'],
  ] as Array<[string[], Record<string, string>, string]>)('%j %j', (args, env, message) => {
    expect(usageError(() => serve(args, env))).toBe(message);
  });

  it('turns parseArgs errors into one plain line', () => {
    expect(usageError(() => parseCommandLine(['serve', '--bogus'], {}))).toBe('unknown option --bogus for `tickwire serve`: see `tickwire serve --help`');
    expect(usageError(() => parseCommandLine(['serve', '--port'], {}))).toBe('option --port needs a value: see `tickwire serve --help`');
    expect(usageError(() => parseCommandLine(['serve', '--allow-guest=no'], {}))).toBe('option --allow-guest takes no value: see `tickwire serve --help`');
    // A value starting with a dash that is not a number stays ambiguous: say how to pass it.
    expect(usageError(() => parseCommandLine(['serve', '--jwt-secret', '-abc'], {}))).toBe('option --jwt-secret needs a value; to pass one that starts with a dash write --jwt-secret=-…');
    expect(serve(['--jwt-secret=-abcdefghijklmnop']).config.jwtSecret).toBe('-abcdefghijklmnop');
    // A flag that takes no value keeps the next argument as an argument.
    expect(usageError(() => parseCommandLine(['serve', '--allow-guest', '-1'], {}))).toMatch(/^unknown option -1/);
    expect(usageError(() => parseCommandLine(['serve', 'extra'], {}))).toMatch(/^unexpected argument extra/);
    expect(usageError(() => parseCommandLine(['token', '--port', '1'], {}))).toBe('unknown option --port for `tickwire token`: see `tickwire token --help`');
    expect(usageError(() => parseCommandLine(['launch'], {}))).toMatch(/^unknown command "launch"/);
    expect(usageError(() => parseCommandLine(['--port', '1'], {}))).toMatch(/^missing command before --port/);
    expect(usageError(() => parseCommandLine([], {}))).toMatch(/^missing command/);
    for (const m of [usageError(() => parseCommandLine(['serve', '--bogus'], {}))]) expect(m).not.toMatch(/\n/);
  });
});

describe('token', () => {
  it('needs --admin and the admin secret from a flag or the environment', () => {
    expect(resolveToken(parseCommandLine(['token', '--admin'], { TICKWIRE_ADMIN_SECRET: 'admin-secret-0123456789' }))).toEqual({ adminSecret: 'admin-secret-0123456789', name: 'admin', ttlSeconds: 3600 });
    expect(resolveToken(parseCommandLine(['token', '--admin', '--admin-secret', 'admin-secret-0123456789', '--name', 'ops', '--ttl', '2d'], {}))).toEqual({ adminSecret: 'admin-secret-0123456789', name: 'ops', ttlSeconds: 172_800 });
    expect(usageError(() => resolveToken(parseCommandLine(['token'], { TICKWIRE_ADMIN_SECRET: 'admin-secret-0123456789' })))).toMatch(/pass --admin/);
    expect(usageError(() => resolveToken(parseCommandLine(['token', '--admin'], {})))).toMatch(/needs the admin secret: pass --admin-secret or set TICKWIRE_ADMIN_SECRET/);
    expect(usageError(() => resolveToken(parseCommandLine(['token', '--admin', '--admin-secret', 'short'], {})))).toBe('invalid --admin-secret: must be at least 16 characters');
    expect(usageError(() => resolveToken(parseCommandLine(['token', '--admin', '--admin-secret', 'admin-secret-0123456789', '--ttl', '90d'], {})))).toBe(
      'invalid --ttl 90d: must be a duration from 1m to 30d, like 5m, 1h or 7d',
    );
  });

  it('every duration error suggests only values the option accepts', () => {
    for (const spec of OPTIONS.filter((o) => o.kind.type === 'duration')) {
      const message = (() => {
        try {
          parseValue(spec, 'nonsense');
        } catch (e) {
          return (e as Error).message;
        }
        throw new Error(`${spec.name} accepted nonsense`);
      })();
      const examples = /, like (.*)$/.exec(message)![1]!.split(/, | or /);
      expect(examples.length, spec.name).toBe(3);
      for (const ex of examples) expect(() => parseValue(spec, ex), `--${spec.name} ${ex}`).not.toThrow();
    }
  });

  it('runCli prints the token and returns 0; usage errors return 2 with one stderr line', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (t: string) => out.push(t), err: (t: string) => err.push(t) };
    expect(await runCli(['token', '--admin', '--admin-secret', 'admin-secret-0123456789'], {}, io)).toBe(0);
    expect(out[0]).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(await runCli(['serve', '--port', 'x'], {}, io)).toBe(2);
    expect(err).toEqual(['tickwire: invalid --port x: must be an integer from 0 to 65535']);
    expect(await runCli(['--help'], {}, io)).toBe(0);
  });

  it('--version and -v print the package version', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    for (const flag of ['--version', '-v', 'serve --version', 'token -v']) {
      const out: string[] = [];
      const io = { out: (t: string) => out.push(t), err: (t: string) => out.push(`ERR ${t}`) };
      expect(await runCli(flag.split(' '), {}, io)).toBe(0);
      expect(out).toEqual([`tickwire ${version}`]);
    }
  });
});

describe('one table for parsing, help and docs', () => {
  const docs = readFileSync(new URL('../../docs/hosting.md', import.meta.url), 'utf8');

  it('--help lists every option with its variables and default', () => {
    const all = helpText(null);
    for (const o of OPTIONS) {
      const text = helpText(o.commands[0]);
      expect(text).toContain(`--${o.name}`);
      for (const e of o.env) expect(text).toContain(e);
      expect(text).toContain(`Default: ${o.defaultText}.`);
      expect(all).toContain(`--${o.name}`);
    }
  });

  it('docs/hosting.md has a table row for every flag with its variables and default', () => {
    for (const o of OPTIONS) {
      const rows = docs.split('\n').filter((l) => l.startsWith(`| \`--${o.name}`) && (l.startsWith(`| \`--${o.name}\``) || l.startsWith(`| \`--${o.name} `)));
      expect(rows.length, `--${o.name}`).toBeGreaterThanOrEqual(1);
      for (const row of rows) {
        for (const e of o.env) expect(row, `${o.name}: ${e}`).toContain(`\`${e}\``);
        expect(row, `${o.name} default`).toContain(` ${o.defaultText} |`);
      }
    }
  });

  it('table ranges match validateConfig at every boundary', () => {
    const check = (o: (typeof OPTIONS)[number], value: number): string | null => {
      const c: ServerConfig = { ...defaultConfig, [o.key!]: value };
      // snapshot-rate's upper bound is the tick rate; give it the largest tick rate.
      if (o.key === 'snapshotRate') c.tickRate = 240;
      if (o.key === 'tickRate') c.snapshotRate = 1;
      // send-buffer-hard must stay above send-buffer-soft: give each the other's extreme.
      if (o.key === 'sendBufferSoftBytes') c.sendBufferHardBytes = 64 * 1024 * 1024;
      if (o.key === 'sendBufferHardBytes') c.sendBufferSoftBytes = 1024;
      try {
        validateConfig(c);
        return null;
      } catch (e) {
        return e instanceof ConfigError ? e.option : String(e);
      }
    };
    let checked = 0;
    for (const o of OPTIONS) {
      if (!o.key) continue;
      const k = o.kind;
      const range = k.type === 'int' ? [k.min, k.max] : k.type === 'duration' ? [k.minMs, k.maxMs] : null;
      if (!range) continue;
      const [min, max] = range;
      expect(check(o, min), `${o.name} min`).toBeNull();
      expect(check(o, max), `${o.name} max`).toBeNull();
      expect(check(o, max + 1), `${o.name} above max`).toBe(o.name);
      // bot-fill-delay: any negative value means "off" (the table's `off`).
      if (o.key !== 'botFillDelayMs') expect(check(o, min - 1), `${o.name} below min`).toBe(o.name);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(9);
  });

  it('formats durations the way operators write them', () => {
    expect([0, 500, 1000, 90_000, 300_000, 3_600_000, 86_400_000].map(formatMs)).toEqual(['0s', '500ms', '1s', '90s', '5m', '1h', '1d']);
  });
});

describe('--polling', () => {
  it('merges over the defaults and refuses unknown keys and bad values with one line', () => {
    expect(serve(['--polling', '{"holdMs":1000,"idleMs":5000}']).config.polling).toEqual({ ...defaultConfig.polling, holdMs: 1000, idleMs: 5000 });
    expect(serve([], { TICKWIRE_POLLING: '{"sessionsPerAddress":5}' }).config.polling.sessionsPerAddress).toBe(5);
    expect(usageError(() => serve(['--polling', '{"hold":1}']))).toMatch(/unknown key "hold"/);
    expect(usageError(() => serve(['--polling', '{"holdMs":30000}']))).toMatch(/holdMs: must be an integer from 100 to 25000/);
    expect(usageError(() => serve(['--polling', '{"idleMs":1000}']))).toMatch(/idleMs: must be an integer above holdMs/);
  });

  it('defaults: 25 s hold, 35 s idle, 32 KiB and 32 frames per send, 64 sessions per address', () => {
    expect(defaultConfig.polling).toEqual({ holdMs: 25_000, idleMs: 35_000, maxSendBytes: 32 * 1024, maxFramesPerSend: 32, sessionsPerAddress: 64 });
  });
});
