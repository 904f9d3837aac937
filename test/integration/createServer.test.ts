/**
 * The library entry, `createServer` (docs/hosting.md, "As a library"): its settings are
 * exactly the CLI's core options, each validated the same way; modes are registered by tag
 * with their own settings and the first is the default; auth and room hooks, the metrics
 * registry and the handle's lifecycle.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import client from 'prom-client';
import { CORE_OPTIONS, OPTIONS } from '../../server/cliOptions.js';
import { ConfigError, defaultConfig } from '../../server/config.js';
import { arenaMode } from '../../server/game/arena/arenaMode.js';
import { createServer, defineMode, type TickwireServer } from '../../server/index.js';
import { guest, postJson } from '../support/api.js';
import { TEST_SECRET } from '../support/testServer.js';

const quiet = { host: '127.0.0.1', port: 0, jwtSecret: TEST_SECRET, logLevel: 'silent' as const, botFillDelayMs: -1 };

describe('createServer settings are the CLI option table', () => {
  it('every ServerConfig field has exactly one core option, and every core serve option sets one', () => {
    const keys = CORE_OPTIONS.filter((o) => o.commands.includes('serve')).map((o) => o.key);
    expect(keys.every((k) => k !== undefined)).toBe(true);
    expect(new Set(keys).size).toBe(keys.length);
    expect(new Set(keys)).toEqual(new Set(Object.keys(defaultConfig)));
    // Mode plugins' options set a mode's settings, never a server field.
    for (const o of OPTIONS.filter((x) => !CORE_OPTIONS.includes(x))) expect(o.key).toBeUndefined();
  });

  const ranged = CORE_OPTIONS.flatMap((o) => {
    const k = o.kind;
    if (!o.key) return [];
    if (k.type === 'int') return [{ name: o.name, key: o.key, below: k.min - 1, above: k.max + 1 }];
    if (k.type === 'duration') return [{ name: o.name, key: o.key, below: k.offValue === undefined ? k.minMs - 1 : null, above: k.maxMs + 1 }];
    return [];
  });

  it.each(ranged)('$key out of range throws a ConfigError naming --$name', ({ name, key, below, above }) => {
    for (const bad of [below, above]) {
      if (bad === null) continue;
      const settings = { [key]: bad, ...(key === 'snapshotRate' ? { tickRate: 240 } : {}), ...(key === 'tickRate' ? { snapshotRate: 1 } : {}) };
      let err: unknown;
      try {
        createServer({ modes: { arena: arenaMode }, ...settings });
      } catch (e) {
        err = e;
      }
      expect(err, `${key}=${bad}`).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).option).toBe(name);
    }
  });

  it('leaves --workers to the CLI', () => {
    expect(() => createServer({ modes: { arena: arenaMode }, workers: 2, redisUrl: 'redis://127.0.0.1:1' })).toThrow(/workers: is for `tickwire serve`/);
  });

  it('refuses modes it cannot serve, with one line naming the fix', () => {
    expect(() => createServer({ modes: {} })).toThrow(/register at least one game mode/);
    expect(() => createServer({ modes: { 'Bad Tag': arenaMode } })).toThrow(/not a valid mode tag/);
    expect(() => createServer({ modes: { x: {} as never } })).toThrow(/"x" is not a GameMode/);
    expect(() => createServer({ modes: { arena: { mode: arenaMode, settings: { matchSecs: 3 } } } })).toThrow(/modes\.arena\.settings: unknown key "matchSecs"/);
  });

  it('the handle says what needs listen() first, and closes before listening', async () => {
    const s = createServer({ modes: { arena: arenaMode }, ...quiet });
    expect(() => s.port).toThrow(/after listen\(\)/);
    expect(() => s.rooms).toThrow(/after listen\(\)/);
    expect(s.defaultMode).toBe('arena');
    await s.close();
    await expect(s.listen()).rejects.toThrow(/after close/);
  });
});

describe('a server hosting two modes', () => {
  const soloSettings: Array<Record<string, unknown> | undefined> = [];
  // A second game: the arena's rules under another tag, recording what it was created with.
  const solo = defineMode({ ...arenaMode, name: 'solo', create: (o) => (soloSettings.push(o.settings), arenaMode.create(o)) });
  const created: string[] = [];
  let server: TickwireServer;
  let http: string;

  beforeAll(async () => {
    server = createServer({
      ...quiet,
      maxMatches: 7,
      modes: { solo: { mode: solo, settings: { matchSeconds: 99 } }, arena: { mode: arenaMode, settings: { map: 'open' } } },
      auth: { verifyPlayer: (token) => (token.startsWith('idp:') ? { ok: true, user: { id: `idp_${token.slice(4)}`, name: token.slice(4), roles: [] } } : null) },
      hooks: {
        onCreate: (room) => created.push(room.mode.name),
        // Runs inside every seat reservation (quick play too): unguarded, it would fail them.
        onReserve: () => {
          throw new Error('host bug');
        },
      },
    });
    const { port } = await server.listen();
    http = `http://127.0.0.1:${port}`;
  });
  afterEach(() => server.rooms.disposeAll());
  afterAll(() => server?.close());

  it('the first registered mode is the default, with its own settings only', async () => {
    const g = await guest(http, 'Ada');
    const r = await postJson(`${http}/api/matchmake`, {}, g.token);
    expect(r.status).toBe(200);
    expect(server.rooms.get(r.body.matchId)?.mode.name).toBe('solo');
    expect(soloSettings.at(-1)).toEqual({ matchSeconds: 99 });
    const a = await postJson(`${http}/api/matches`, { mode: 'arena', private: true }, (await guest(http, 'Bo')).token);
    expect(a.status).toBe(201);
    expect(server.rooms.get(a.body.matchId)?.mode.name).toBe('arena');
    expect(soloSettings).toHaveLength(1);
    expect(created).toEqual(['solo', 'arena']);
  });

  it('readiness counts new matches with the default mode and maxMatches', async () => {
    const r = await fetch(`${http}/readyz`);
    const body = (await r.json()) as { maxMatches: number; seats: { free: number } };
    expect(body.maxMatches).toBe(7);
    expect(body.seats.free).toBe(7 * Math.min(defaultConfig.maxPlayersPerMatch, solo.maxPlayers));
  });

  it('auth.verifyPlayer accepts the host issuer’s tokens and falls through for the rest', async () => {
    const mine = await postJson(`${http}/api/matchmake`, { mode: 'solo' }, 'idp:carol');
    expect(mine.status).toBe(200);
    expect(server.rooms.get(mine.body.matchId)?.seatOf('idp_carol')).toBeTruthy();
    expect((await postJson(`${http}/api/matchmake`, { mode: 'solo' }, 'not-a-token')).status).toBe(401);
    expect((await postJson(`${http}/api/matchmake`, { mode: 'solo' }, (await guest(http, 'Dee')).token)).status).toBe(200);
  });

  it('a throwing host hook is logged and skipped: the seat is still reserved', () => {
    const room = server.rooms.create('solo')!;
    expect(room.reserve('u1', 'Eve')).toBeTruthy();
    expect(room.seatOf('u1')).toBeTruthy();
  });

  it('metrics.registry is the prom-client registry behind /metrics', async () => {
    const c = new client.Counter({ name: 'mygame_rounds_total', help: 'rounds', registers: [server.metrics.registry] });
    c.inc(3);
    expect(await (await fetch(`${http}/metrics`)).text()).toMatch(/^mygame_rounds_total 3$/m);
  });
});
