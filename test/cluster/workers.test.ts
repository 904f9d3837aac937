/**
 * `tickwire serve --workers`: refused without Redis; with Redis, two workers on this machine
 * share the REST port, both host matches and serve players (and their bots), a killed
 * worker is restarted by the primary, and SIGTERM drains them all.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { availableParallelism } from 'node:os';
import { ClientType, ServerType } from '../../protocol/index.js';
import { parseCommandLine, resolveServe } from '../../server/cliOptions.js';
import { guest, matchmake } from '../support/api.js';
import { CliProcess, killAllCli } from '../support/cliProcess.js';
import { PlayClient } from '../support/playClient.js';
import { RedisServer } from '../support/redisServer.js';
import { TEST_SECRET } from '../support/testServer.js';

let redis: RedisServer;
const open: Array<{ close(): void }> = [];

beforeAll(async () => {
  redis = await RedisServer.start();
});

afterEach(() => {
  for (const c of open.splice(0)) c.close();
  killAllCli();
});

afterAll(async () => {
  killAllCli();
  await redis?.stop();
});

describe('--workers option', () => {
  it('auto is the core count; more than one worker needs --redis (one line, exit 2)', async () => {
    const auto = resolveServe(parseCommandLine(['serve', '--workers', 'auto', '--redis', 'redis://127.0.0.1:6379'], {}));
    expect(auto.config.workers).toBe(availableParallelism());
    expect(() => resolveServe(parseCommandLine(['serve', '--workers', 'many'], {}))).toThrow('invalid --workers many: must be auto or an integer from 1 to 256');
    const proc = CliProcess.start(['serve', '--host', '127.0.0.1', '--port', '0', '--workers', '2'], { TICKWIRE_JWT_SECRET: TEST_SECRET });
    expect((await proc.exitStatus()).code).toBe(2);
    expect(proc.stderr).toBe('tickwire: invalid --workers 2: more than one worker needs --redis: each worker owns its own matches, and only a shared Redis gives them one lobby, match list and matchmaking\n');
  });
});

describe('two workers and Redis', () => {
  it('serve a bot load through both workers; a killed worker is restarted; SIGTERM drains all', async () => {
    const proc = CliProcess.start(
      ['serve', '--host', '127.0.0.1', '--port', '0', '--workers', '2', '--redis', redis.url, '--bot-fill-delay', '200ms', '--drain-timeout', '0', '--log-level', 'info'],
      { TICKWIRE_JWT_SECRET: TEST_SECRET },
    );
    const readyLine = await proc.waitForLog((l) => typeof l.msg === 'string' && l.msg.startsWith('tickwire workers ready'), 'workers ready', 30_000);
    const http = `http://127.0.0.1:${readyLine.port as number}`;
    const workerLines = proc.logs.filter((l) => l.msg === 'worker ready');
    expect(workerLines).toHaveLength(2);
    const urls = new Set(workerLines.map((l) => `${l.url as string}/play`));

    // 4 players, one at a time: least-loaded placement alternates, so both workers host matches.
    const players: PlayClient[] = [];
    const used = new Set<string>();
    for (let i = 0; i < 4; i++) {
      const u = await guest(http, `w${i}`);
      const created = await fetch(`${http}/api/matches`, { method: 'POST', headers: { authorization: `Bearer ${u.token}`, 'content-type': 'application/json' }, body: '{"mode":"arena"}' }).then((r) => r.json());
      expect(urls.has(created.url)).toBe(true);
      used.add(created.url);
      const p = await PlayClient.connect(created.url, u.token, created.ticket);
      open.push(p);
      players.push(p);
    }
    expect(used.size).toBe(2);
    // Every player plays against bots: inputs go in, snapshots with the bots come out, on both workers.
    for (const p of players) {
      await p.waitFor(() => p.welcome, 'welcome');
      for (let s = 1; s <= 5; s++) p.send({ type: ClientType.Input, seq: s, buttons: 1, aim: 0, ackTick: 0 });
      await p.waitFor(() => p.of(ServerType.Roster).some((r) => r.players.some((x) => x.bot)), 'bots in the roster', 10_000);
      await p.waitFor(() => p.of(ServerType.Snapshot).length >= 5, 'snapshots', 10_000);
    }
    // Quick play through the shared port works whichever worker the kernel hands the request to.
    const q = await guest(http, 'Quick');
    expect(urls.has((await matchmake(http, q.token)).url)).toBe(true);

    // kill -9 one worker: the primary starts it again.
    const victim = workerLines[0];
    process.kill(victim.pid as number, 'SIGKILL');
    await proc.waitForLog((l) => l.msg === 'worker exited unexpectedly; restarting it' && l.worker === victim.worker, 'restart notice');
    await proc.waitFor(() => proc.logs.filter((l) => l.msg === 'worker ready' && l.worker === victim.worker).length === 2, 'worker ready again', 20_000);

    proc.signal('SIGTERM');
    const exit = await proc.exitStatus(20_000);
    expect(exit, JSON.stringify(proc.logs.slice(-12))).toEqual({ code: 0, signal: null });
    expect(proc.logs.filter((l) => l.msg === 'worker stopped').map((l) => l.code)).toEqual([0, 0]);
  }, 60_000);
});
