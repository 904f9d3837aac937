/**
 * `tickwire serve` hosts two games (server/cliModes.ts): the arena (first: the quick-play
 * default) and tag (examples/tag, a plugin on the public API). Through the real CLI
 * process: --help lists --tag; quick play with no mode lands in the arena, with mode 'tag'
 * in tag (the welcome names the mode, /api/matches lists both); a private tag match opens;
 * --tag settings reach the match; a bad --tag value exits 2 with one line; the tag client
 * is served at /tag/ (and /tag redirects there) beside the arena's page at /.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ServerType } from '../../protocol/index.js';
import { TagWire } from '../../examples/tag/shared/tagWire.js';
import { buildExampleClient } from '../../scripts/example.mjs';
import { CliProcess, killAllCli } from '../support/cliProcess.js';
import { guest, matchmake, postJson } from '../support/api.js';
import { PlayClient } from '../support/playClient.js';

const SECRET = 'serve-modes-secret-0123456789';
// A client dir like dist/client: the arena's page at the root (a stand-in: its build is not
// under test here), tag's real build in tag/ (what scripts/build.mjs puts there).
const clientDir = mkdtempSync(join(tmpdir(), 'tickwire-serve-modes-'));
const ARENA_PAGE = '<!doctype html><title>arena stand-in</title>';
const clients: PlayClient[] = [];

beforeAll(async () => {
  writeFileSync(join(clientDir, 'index.html'), ARENA_PAGE);
  await buildExampleClient('tag', join(clientDir, 'tag'));
}, 60_000);
afterEach(() => {
  for (const c of clients.splice(0)) c.close();
  killAllCli();
});
afterAll(() => rmSync(clientDir, { recursive: true, force: true }));

async function serve(args: string[] = []): Promise<{ proc: CliProcess; http: string }> {
  const proc = CliProcess.start(['serve', '--host', '127.0.0.1', '--port', '0', '--jwt-secret', SECRET, '--bot-fill-delay', 'off', '--client-dir', clientDir, ...args]);
  const port = await proc.port();
  return { proc, http: `http://127.0.0.1:${port}` };
}

async function joinMatch(http: string, name: string, body: unknown, schema = TagWire.schema): Promise<PlayClient> {
  const { token } = await guest(http, name);
  const seat = await matchmake(http, token, body);
  const client = await PlayClient.connect(seat.url, token, seat.ticket, { schema });
  clients.push(client);
  await client.waitFor(() => client.welcome, 'welcome');
  return client;
}

describe('tickwire serve hosts arena and tag', () => {
  it('lists the --tag option in --help, with its variable', async () => {
    const proc = CliProcess.start(['serve', '--help']);
    expect(await proc.exitStatus()).toEqual({ code: 0, signal: null });
    expect(proc.stdout).toMatch(/--arena <json>/);
    expect(proc.stdout).toMatch(/--tag <json>/);
    expect(proc.stdout).toMatch(/TICKWIRE_TAG/);
  });

  it('quick-plays into the arena by default and into tag by mode; both are listed', async () => {
    const { http } = await serve();
    const arena = await joinMatch(http, 'Ada', {}, undefined);
    expect(arena.welcome!.config.mode).toBe('arena');
    const tag = await joinMatch(http, 'Tig', { mode: 'tag' });
    expect(tag.welcome!.config.mode).toBe('tag');
    await tag.waitFor(() => tag.of(ServerType.Snapshot).length > 0, 'a tag snapshot');
    expect(TagWire.tables.players.read(tag.snapshot!).map((r) => r.id)).toContain(tag.welcome!.playerId);

    const listed = await fetch(`${http}/api/matches`).then((r) => r.json() as Promise<{ matches: { mode: string }[] }>);
    expect(listed.matches.map((m) => m.mode).sort()).toEqual(['arena', 'tag']);
  });

  it('opens a private tag match and passes --tag settings to it', async () => {
    const { http, proc } = await serve(['--tag', '{"matchSeconds":120,"map":"open"}']);
    await proc.waitForLog((l) => l.msg === 'effective configuration', 'the configuration log');
    const { token } = await guest(http, 'Host');
    const r = await postJson(`${http}/api/matches`, { mode: 'tag', private: true }, token);
    expect(r.status).toBe(201);
    expect(r.body.code).toMatch(/^[A-Z0-9]{6}$/);
    const client = await PlayClient.connect(r.body.url, token, r.body.ticket, { schema: TagWire.schema });
    clients.push(client);
    await client.waitFor(() => client.welcome, 'welcome');
    expect(client.welcome!.config.mode).toBe('tag');
    // The open map has no blocks; the yard has some.
    expect(client.welcome!.config.map.walls).toEqual([]);
    const config = proc.logs.find((l) => l.msg === 'effective configuration') as unknown as { config: Record<string, unknown> };
    expect(config.config.tag).toEqual({ matchSeconds: 120, map: 'open' });
  });

  it('refuses a bad --tag value: exit 2, one line naming the option', async () => {
    for (const [value, why] of [
      ['{"matchSeconds":2}', /"matchSeconds"/],
      ['[1]', /must be a JSON object/],
    ] as const) {
      const proc = CliProcess.start(['serve', '--port', '0', '--tag', value]);
      expect(await proc.exitStatus()).toEqual({ code: 2, signal: null });
      const lines = proc.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^tickwire: invalid --tag /);
      expect(lines[0]).toMatch(why);
    }
  });

  it('serves the tag client at /tag/ beside the arena page at /', async () => {
    const { http } = await serve();
    const root = await fetch(`${http}/`);
    expect(await root.text()).toBe(ARENA_PAGE);
    const page = await fetch(`${http}/tag/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const html = await page.text();
    expect(html).toMatch(/<title>Tag/);
    const src = /<script type="module" src="([^"]+)"/.exec(html)![1]!;
    expect(src).toBe('main.js'); // relative: resolves to /tag/main.js
    const js = await fetch(`${http}/tag/${src}`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    expect((await js.text()).length).toBeGreaterThan(10_000);
    const bare = await fetch(`${http}/tag`, { redirect: 'manual' });
    expect(bare.status).toBe(308);
    expect(bare.headers.get('location')).toBe('/tag/');
    expect((await fetch(`${http}/nothing/`)).status).toBe(404);
  });
});
