/**
 * docs/guide.md's code is real: its ```ts blocks (each starting with a `// hill/<file>`
 * line) are written out, type-checked against the repo's public entry points, counted
 * (the guide promises a mode in under 100 lines), and the mode is played on a real server.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boot, type TestServer } from '../../testing/index.js';

const run = promisify(execFile);
const root = new URL('../../', import.meta.url).pathname;
const guide = readFileSync(join(root, 'docs', 'guide.md'), 'utf8');
const dir = join(root, 'test-artifacts', `guide-${process.pid}`);
const blocks = [...guide.matchAll(/```ts\n(\/\/ (hill\/[\w.]+\.ts)\n[\s\S]*?)```/g)].map((m) => ({ file: m[2], code: m[1] }));
let t: TestServer | undefined;

beforeAll(() => {
  mkdirSync(join(dir, 'hill'), { recursive: true });
  for (const b of blocks) writeFileSync(join(dir, b.file), b.code);
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ extends: '../../tsconfig.json', include: ['hill'] }));
});
afterAll(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('docs/guide.md', () => {
  it('has the five files of the walkthrough, in under 100 lines of code', () => {
    expect(blocks.map((b) => b.file)).toEqual(['hill/wire.ts', 'hill/mode.ts', 'hill/serve.ts', 'hill/hill.test.ts', 'hill/client.ts']);
    const lines = blocks.reduce((n, b) => n + b.code.split('\n').filter((l) => l.trim() && !l.startsWith('// hill/')).length, 0);
    expect(lines).toBeLessThanOrEqual(100);
    expect(readFileSync(join(root, 'README.md'), 'utf8')).toContain('docs/guide.md');
  });

  it('type-checks against tickwire, tickwire/protocol, tickwire/client and tickwire/testing', async () => {
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    const out = await run(process.execPath, [tsc, '-p', dir], { timeout: 120_000 }).then(
      () => '',
      (e: { stdout?: string }) => e.stdout ?? String(e),
    );
    expect(out).toBe('');
  }, 150_000);

  it("the guide's mode plays on a real server: inputs move the player, the hill scores", async () => {
    const { hillMode } = await import(join(dir, 'hill', 'mode.ts'));
    const { HillInput, HillWire } = await import(join(dir, 'hill', 'wire.ts'));
    t = await boot({ modes: { hill: hillMode } });
    const { client } = await t.join('ann', 'hill');
    const me = client.welcome!.playerId;
    const row = () => HillWire.tables.players.read(client.snapshot!).find((p: { id: number }) => p.id === me)!;
    await client.waitFor(() => client.snapshot, 'a snapshot');
    // Walk toward the hill (400, 300) until standing on it scores.
    const steer = setInterval(() => {
      const p = row();
      client.input(HillInput.encode({ right: p.x < 400 * 16 - 64, left: p.x > 400 * 16 + 64, down: p.y < 300 * 16 - 64, up: p.y > 300 * 16 + 64 }));
    }, 1000 / 30);
    try {
      await client.waitFor(() => row().score > 0, 'a point on the hill', 15_000);
    } finally {
      clearInterval(steer);
    }
    expect(client.decodeErrors).toEqual([]);
  }, 30_000);
});
