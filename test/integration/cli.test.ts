/**
 * The real `tickwire` CLI as a child process (node --import tsx server/cli.ts, see
 * test/support/cliProcess.ts): --help, --version, invalid options (exit 2, one line naming
 * the option and range), port in use or taken by another tickwire, a --host that is not
 * this machine's, no native uWS (exit 1), flag/env precedence, RS256 mode, admin tokens, and the
 * graceful drain on SIGTERM (matches play on, players told, exit 0; deadline → results and
 * 4012; a second signal ends everything at once).
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server as NetServer } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import jwt from 'jsonwebtoken';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { CloseCode, Header, Phase, ServerType } from '../../protocol/index.js';
import { ADMIN_AUDIENCE } from '../../server/auth/tokens.js';
import { OPTIONS } from '../../server/cliOptions.js';
import { CliProcess, killAllCli } from '../support/cliProcess.js';
import { guest, matchmake, postJson } from '../support/api.js';
import { claims, hs256Jwt, unsignedJwt } from '../support/jwtCraft.js';
import { PlayClient } from '../support/playClient.js';

const SECRET = 'cli-test-secret-0123456789';
const ADMIN_SECRET = 'cli-admin-secret-0123456789';
const dir = mkdtempSync(join(tmpdir(), 'tickwire-cli-it-'));
const clients: PlayClient[] = [];
const blockers: NetServer[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  killAllCli();
  for (const b of blockers.splice(0)) await new Promise((r) => b.close(r));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Holds a port with a plain TCP listener so the server cannot take it. */
async function occupiedPort(): Promise<number> {
  const blocker = createServer();
  blockers.push(blocker);
  await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
  return (blocker.address() as { port: number }).port;
}

/** Starts `tickwire serve` on a free loopback port; resolves with its HTTP base URL. */
async function serve(args: string[], env: Record<string, string> = {}): Promise<{ proc: CliProcess; http: string }> {
  const proc = CliProcess.start(['serve', '--host', '127.0.0.1', '--port', '0', ...args], env);
  const port = await proc.port();
  return { proc, http: `http://127.0.0.1:${port}` };
}

/** A port that was free a moment ago (the kernel's pick for a listener we close at once). */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address() as { port: number };
  await new Promise((r) => probe.close(r));
  return port;
}

/** `serve` on a port given by number; another process may take a freed port first, so retry. */
async function serveOnFixedPort(args: string[]): Promise<{ proc: CliProcess; http: string }> {
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const proc = CliProcess.start(['serve', '--host', '127.0.0.1', '--port', String(port), ...args]);
    const started = await Promise.race([proc.port().then(() => true), proc.exitStatus().then(() => false)]);
    if (started) return { proc, http: `http://127.0.0.1:${port}` };
    if (attempt === 2) throw new Error(`tickwire did not start on a free port: ${proc.stderr}`);
  }
}

async function player(http: string, name: string) {
  const { token } = await guest(http, name);
  const mm = await matchmake(http, token);
  const client = await PlayClient.connect(mm.url, token, mm.ticket);
  clients.push(client);
  return client;
}

const SHORT_MATCH = ['--jwt-secret', SECRET, '--bot-fill-delay', 'off'];
const arena = (matchSeconds: number) => ['--arena', JSON.stringify({ map: 'open', countdownSeconds: 0, resultsSeconds: 0, minPlayers: 2, matchSeconds })];
const isDrainingLog = (l: { msg?: string }) => l.msg?.startsWith('draining: no new matches') ?? false;

/** Two players in a match that is playing. */
async function runningMatch(http: string): Promise<PlayClient[]> {
  const a = await player(http, 'Ada');
  const b = await player(http, 'Bob');
  for (const c of [a, b]) await c.waitFor(() => c.snapshot?.header[Header.Phase] === Phase.Playing, 'phase playing');
  return [a, b];
}

describe('tickwire --help', () => {
  it('lists every option with its environment variables and default, exit 0', async () => {
    for (const args of [['--help'], ['serve', '--help'], ['token', '-h']]) {
      const proc = CliProcess.start(args);
      expect(await proc.exitStatus()).toEqual({ code: 0, signal: null });
      expect(proc.stderr).toBe('');
      expect(proc.stdout).toMatch(/^tickwire: authoritative multiplayer game server/);
      const command = args[0] === '--help' ? null : args[0];
      for (const o of OPTIONS.filter((x) => command === null || x.commands.includes(command as 'serve' | 'token'))) {
        expect(proc.stdout, o.name).toContain(`--${o.name}`);
        for (const e of o.env) expect(proc.stdout).toContain(e);
        expect(proc.stdout).toContain(`Default: ${o.defaultText}.`);
      }
    }
  });
});

describe('invalid options', () => {
  it.each([
    ['port 70000', ['serve', '--port', '70000'], {}, /^tickwire: invalid --port 70000: must be an integer from 0 to 65535$/],
    ['tick rate 0', ['serve', '--tick-rate', '0'], {}, /^tickwire: invalid --tick-rate 0: must be an integer from 1 to 240$/],
    ['tick rate 0 from env', ['serve'], { TICKWIRE_TICK_RATE: '0' }, /^tickwire: invalid TICKWIRE_TICK_RATE=0 \(--tick-rate\): must be an integer from 1 to 240$/],
    ['port -1', ['serve', '--port', '-1'], {}, /^tickwire: invalid --port -1: must be an integer from 0 to 65535$/],
    ['tick rate -5', ['serve', '--tick-rate', '-5'], {}, /^tickwire: invalid --tick-rate -5: must be an integer from 1 to 240$/],
    ['token ttl 10s', ['token', '--admin', '--admin-secret', ADMIN_SECRET, '--ttl', '10s'], {}, /^tickwire: invalid --ttl 10s: must be a duration from 1m to 30d, like 5m, 1h or 7d$/],
    ['unreadable key file', ['serve', '--jwt-public-key', '/nonexistent/idp.pem'], {}, /^tickwire: invalid --jwt-public-key \/nonexistent\/idp\.pem: cannot read the file \(no such file\)$/],
    ['unknown flag', ['serve', '--colour', 'blue'], {}, /^tickwire: unknown option --colour for `tickwire serve`: see `tickwire serve --help`$/],
    ['bad duration', ['serve', '--drain-timeout', 'forever'], {}, /^tickwire: invalid --drain-timeout forever: must be a duration from 0s to 1d, like 500ms, 30s or 5m$/],
    ['unknown command', ['start'], {}, /^tickwire: unknown command "start"/],
  ] as Array<[string, string[], Record<string, string>, RegExp]>)('%s → exit 2 with one line', async (_what, args, env, message) => {
    const proc = CliProcess.start(args, env);
    expect(await proc.exitStatus()).toEqual({ code: 2, signal: null });
    expect(proc.stdout).toBe('');
    expect(proc.stderr.endsWith('\n')).toBe(true);
    expect(proc.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(proc.stderr.trimEnd()).toMatch(message);
  });

  it('port in use → exit 1 with one line', async () => {
    const port = await occupiedPort();
    const proc = CliProcess.start(['serve', '--host', '127.0.0.1', '--port', String(port), '--jwt-secret', SECRET]);
    expect(await proc.exitStatus()).toEqual({ code: 1, signal: null });
    expect(proc.stderr).toBe(`tickwire: port ${port} on 127.0.0.1 is already in use: stop the other process or pass another --port\n`);
  });
});

describe('one server per port', () => {
  it('a second tickwire on a taken port exits 1 with one line; the first keeps serving', async () => {
    // The first server must bind a port by number: Linux never shares a port bound as 0
    // (ephemeral) through SO_REUSEPORT, so `--port 0` would not show the difference.
    const first = await serveOnFixedPort(['--jwt-secret', SECRET]);
    const port = new URL(first.http).port;
    const second = CliProcess.start(['serve', '--host', '127.0.0.1', '--port', port, '--jwt-secret', 'another-secret-0123456789']);
    expect(await second.exitStatus()).toEqual({ code: 1, signal: null });
    expect(second.stderr).toBe(`tickwire: port ${port} on 127.0.0.1 is already in use: stop the other process or pass another --port\n`);
    expect(second.logs.some((l) => l.msg?.startsWith('tickwire listening'))).toBe(false);
    // Every request still reaches the first process: its secret verifies every token.
    for (let i = 0; i < 20; i++) {
      const { token } = await guest(first.http, `P${i}`);
      const res = await fetch(`${first.http}/api/matchmake`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{"mode":"arena"}' });
      expect(res.status).toBe(200);
    }
    expect(first.proc.exit).toBeNull();
  });

  it('--host with an address that is not this machine says so, exit 1', async () => {
    // A documentation address (RFC 5737) that none of this machine's interfaces has (VMs
    // and containers do use these ranges, so check).
    const mine = new Set(Object.values(networkInterfaces()).flat().map((i) => i?.address));
    const host = ['198.51.100.7', '203.0.113.7', '192.0.2.7'].find((a) => !mine.has(a))!;
    const proc = CliProcess.start(['serve', '--host', host, '--port', '0', '--jwt-secret', SECRET]);
    expect(await proc.exitStatus()).toEqual({ code: 1, signal: null });
    expect(proc.stderr.endsWith('\n')).toBe(true);
    expect(proc.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(proc.stderr.startsWith(`tickwire: cannot listen on ${host}: not an address of this machine (this machine has `)).toBe(true);
    expect(proc.stderr).toMatch(/\(this machine has [^)]*127\.0\.0\.1[^)]*\); pass one of this machine's addresses to --host, or 0\.0\.0\.0 for all of them\n$/);
    expect(proc.stderr).not.toContain('in use');
  });
});

describe('uWebSockets.js', () => {
  it('refuses to run on the JS fallback: exit 1 with one line naming the fix, nothing else printed', async () => {
    const proc = CliProcess.start(['serve', '--host', '127.0.0.1', '--port', '0', '--jwt-secret', SECRET], { UWS_USE_FALLBACK: '1' });
    expect(await proc.exitStatus()).toEqual({ code: 1, signal: null });
    expect(proc.stderr).toMatch(/^tickwire: UWS_USE_FALLBACK is set, but Tickwire runs only on native uWebSockets\.js.*: unset UWS_USE_FALLBACK\n$/);
    // No uWS banner or warning on stdout either: only our JSON log lines.
    expect(proc.stdout.split('\n').filter((l) => l && !l.startsWith('{'))).toEqual([]);
  });

  it('logs which native build it chose', async () => {
    const { proc } = await serve(['--jwt-secret', SECRET]);
    const listening = proc.logs.find((l) => l.msg?.startsWith('tickwire listening'))!;
    expect(listening.uws).toMatch(/^uWS v20\.(57|30) /);
    expect(proc.stderr).toBe('');
  });
});

describe('tickwire --version', () => {
  it('--version and -v print the version, exit 0', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    for (const flag of ['--version', '-v']) {
      const proc = CliProcess.start([flag]);
      expect(await proc.exitStatus()).toEqual({ code: 0, signal: null });
      expect(proc.stdout).toBe(`tickwire ${version}\n`);
      expect(proc.stderr).toBe('');
    }
  });
});

describe('configuration precedence', () => {
  it('a flag beats its environment variable, which beats the default; secrets are redacted', async () => {
    const busy = await occupiedPort();
    // TICKWIRE_PORT names a busy port: the server only starts because --port 0 wins.
    const env = { TICKWIRE_PORT: String(busy), TICKWIRE_TICK_RATE: '20', TICKWIRE_SNAPSHOT_RATE: '10', TICKWIRE_JWT_SECRET: SECRET, TICKWIRE_ADMIN_SECRET: ADMIN_SECRET };
    const { proc, http } = await serve(['--tick-rate', '10'], env);
    const effective = proc.logs.find((l) => l.msg === 'effective configuration')!;
    expect(effective.config).toMatchObject({ port: 0, 'tick-rate': 10, 'snapshot-rate': 10, 'max-players': 8, 'drain-timeout': '5m', 'jwt-secret': '[redacted]', 'admin-secret': '[redacted]' });
    expect(effective.from).toMatchObject({ port: 'flag', 'tick-rate': 'flag', 'snapshot-rate': 'TICKWIRE_SNAPSHOT_RATE', 'jwt-secret': 'TICKWIRE_JWT_SECRET' });
    expect(proc.logs.filter((l) => l.msg === 'effective configuration')).toHaveLength(1);
    expect(proc.stdout).not.toContain(SECRET);
    expect(proc.stdout).not.toContain(ADMIN_SECRET);
    // The value reaches the match: clients are told the flag's tick rate.
    const a = await player(http, 'Ada');
    await a.waitFor(() => a.welcome, 'welcome');
    expect(a.welcome!.config.tickRate).toBe(10);
  });

  it('the environment applies when no flag is given', async () => {
    const { proc, http } = await serve([], { TICKWIRE_TICK_RATE: '20', TICKWIRE_SNAPSHOT_RATE: '10', TICKWIRE_JWT_SECRET: SECRET });
    expect(proc.logs.find((l) => l.msg === 'effective configuration')!.config).toMatchObject({ 'tick-rate': 20 });
    const a = await player(http, 'Ada');
    await a.waitFor(() => a.welcome, 'welcome');
    expect(a.welcome!.config.tickRate).toBe(20);
    expect(a.welcome!.config.snapshotRate).toBe(10);
  });
});

describe('RS256 mode', () => {
  it('accepts tokens signed by the identity provider key and refuses HS256, none and other keys', async () => {
    const idp = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
    const keyFile = join(dir, 'idp.pem');
    writeFileSync(keyFile, idp.publicKey);
    const { proc, http } = await serve(['--jwt-public-key', keyFile, '--jwt-secret', SECRET]);
    expect(proc.logs.some((l) => l.msg?.startsWith('RS256 mode') && l.guests === false)).toBe(true);

    const good = jwt.sign(claims('idp|alice', 'Alice'), idp.privateKey, { algorithm: 'RS256' });
    const mm = await matchmake(http, good);
    const alice = await PlayClient.connect(mm.url, good, mm.ticket);
    clients.push(alice);
    await alice.waitFor(() => alice.welcome, 'welcome');

    const refused = {
      'HS256 with the configured JWT secret': hs256Jwt(claims('idp|eve', 'Eve'), SECRET),
      'HS256 keyed with the public key': hs256Jwt(claims('idp|eve', 'Eve'), idp.publicKey),
      none: unsignedJwt(claims('idp|eve', 'Eve')),
      'RS256 from another key': jwt.sign(claims('idp|eve', 'Eve'), stranger.privateKey, { algorithm: 'RS256' }),
    };
    for (const [what, token] of Object.entries(refused)) {
      const r = await postJson(`${http}/api/matchmake`, { mode: 'arena' }, token);
      expect(r.status, what).toBe(401);
      // The WebSocket upgrade refuses them too, before upgrading.
      await expect(PlayClient.connect(mm.url, token, mm.ticket), what).rejects.toMatchObject({ status: 401 });
    }
    expect((await postJson(`${http}/api/auth/guest`, { name: 'Gus' })).status).toBe(404);
  });
});

describe('admin tokens', () => {
  it('`tickwire token --admin` prints a token the server accepts on /api/admin/matches', async () => {
    const mint = CliProcess.start(['token', '--admin', '--name', 'ops'], { TICKWIRE_ADMIN_SECRET: ADMIN_SECRET });
    expect(await mint.exitStatus()).toEqual({ code: 0, signal: null });
    const token = mint.stdout.trim();
    const decoded = jwt.verify(token, ADMIN_SECRET, { algorithms: ['HS256'], audience: ADMIN_AUDIENCE }) as jwt.JwtPayload;
    expect(decoded).toMatchObject({ sub: 'admin:ops', roles: ['admin'] });
    expect(decoded.exp! - decoded.iat!).toBe(3600);

    const { http } = await serve(['--admin-secret', ADMIN_SECRET, '--jwt-secret', SECRET]);
    const res = await fetch(`${http}/api/admin/matches`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ draining: false, drainMsLeft: null, matches: [] });
  });
});

describe('graceful drain', () => {
  it('SIGTERM: readyz 503, players told, the match plays to its end, then exit 0', async () => {
    const { proc, http } = await serve([...SHORT_MATCH, ...arena(4), '--drain-timeout', '1m']);
    const players = await runningMatch(http);
    proc.signal('SIGTERM');
    await proc.waitForLog(isDrainingLog, 'the draining log line');

    const ready = await fetch(`${http}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'draining' });

    for (const c of players) {
      const notice = await c.waitFor(() => c.of(ServerType.Notice).find((n) => n.kind === 'draining'), 'draining notice');
      expect(notice.text).toMatch(/shutting down/);
    }
    const tick = players[0].snapshot!.tick;
    await players[0].waitFor(() => players[0].snapshot!.tick >= tick + 15, 'the match to keep ticking after the notice');
    expect(players[0].closed).toBeNull();

    for (const c of players) {
      expect((await c.waitForClose(10_000)).code).toBe(CloseCode.MatchEnded);
      expect(c.of(ServerType.Results)).toEqual([]);
    }
    expect(await proc.exitStatus()).toEqual({ code: 0, signal: null });
    expect(proc.logs.find((l) => l.msg === 'stopped')).toMatchObject({ status: 0, matchesEndedAtDeadline: 0 });
    expect(proc.stderr).toBe('');
  });

  it('the drain timeout ends a running match with its results and close code 4012, exit 0', async () => {
    const { proc, http } = await serve([...SHORT_MATCH, ...arena(600), '--drain-timeout', '1s']);
    const players = await runningMatch(http);
    proc.signal('SIGTERM');
    for (const c of players) {
      const closed = await c.waitForClose(10_000);
      expect(closed.code).toBe(CloseCode.ServerDraining);
      expect(c.of(ServerType.Notice).some((n) => n.kind === 'draining')).toBe(true);
      const [results] = c.of(ServerType.Results);
      expect(results.reason).toBe('draining');
      expect(results.players.map((p) => p.name).sort()).toEqual(['Ada', 'Bob']);
    }
    expect(await proc.exitStatus()).toEqual({ code: 0, signal: null });
    expect(proc.logs.find((l) => l.msg === 'stopped')).toMatchObject({ status: 0, matchesEndedAtDeadline: 1 });
  });

  it('a second signal ends every match at once and exits with 128+signal', async () => {
    const { proc, http } = await serve([...SHORT_MATCH, ...arena(600), '--drain-timeout', '10m']);
    const players = await runningMatch(http);
    proc.signal('SIGTERM');
    await proc.waitForLog(isDrainingLog, 'the draining log line');
    for (const c of players) await c.waitFor(() => c.of(ServerType.Notice).length > 0, 'draining notice');
    proc.signal('SIGINT');
    // Far below the 10 minute drain timeout: the second signal does not wait for it.
    expect(await proc.exitStatus(5000)).toEqual({ code: 130, signal: null });
    for (const c of players) {
      expect((await c.waitForClose()).code).toBe(CloseCode.ServerDraining);
      expect(c.of(ServerType.Results)).toHaveLength(1);
    }
  });
});
