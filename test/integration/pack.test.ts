/**
 * The package as a user installs it: `npm pack` → the tarball unpacked as
 * node_modules/tickwire of a temp project (its dependencies symlinked from this repo's
 * node_modules: no network) → the tag example, copied there with no paths or aliases,
 * type-checks against the tarball's .d.ts and its entry points import at run time. Also:
 * the tarball holds the four entry points and none of the sources, tests or examples.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = new URL('../../', import.meta.url).pathname;
const tmp = mkdtempSync(join(tmpdir(), 'tickwire-pack-'));
const project = join(tmp, 'project');
let files: string[] = [];

beforeAll(async () => {
  // The app build (dist/) is made by `npm run build`/prepare, which the suite relies on already.
  await run(process.execPath, ['scripts/buildLib.mjs'], { cwd: root, timeout: 120_000 });
  const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], {
    cwd: root,
    env: { ...process.env, npm_config_loglevel: 'error' },
    timeout: 60_000,
  });
  const [packed] = JSON.parse(stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
  files = packed.files.map((f) => f.path);
  const pkgDir = join(project, 'node_modules', 'tickwire');
  mkdirSync(pkgDir, { recursive: true });
  await run('tar', ['-xzf', join(tmp, packed.filename), '-C', pkgDir, '--strip-components=1']);
  for (const dep of readdirSync(join(root, 'node_modules'))) {
    if (dep !== '.bin' && dep !== 'tickwire') symlinkSync(join(root, 'node_modules', dep), join(project, 'node_modules', dep));
  }
  cpSync(join(root, 'examples', 'tag'), join(project, 'tag'), { recursive: true, filter: (src) => !src.includes(`${'/'}dist`) });
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'my-tag-game', private: true, type: 'module' }));
  writeFileSync(
    join(project, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        lib: ['ES2022', 'DOM', 'DOM.Iterable'],
        types: ['node'],
        strict: true,
        skipLibCheck: true,
        noEmit: true,
      },
      include: ['tag'],
    }),
  );
}, 180_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('npm pack', () => {
  it('ships the four entry points with types, the app build and the CLI', () => {
    for (const entry of ['index', 'protocol', 'client', 'testing']) expect(files).toContain(`lib/${entry}.js`);
    for (const dir of ['server', 'protocol', 'client', 'testing']) expect(files).toContain(`lib/types/${dir}/index.d.ts`);
    expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'bin/tickwire.js', 'dist/server/cli.js']));
  });

  it('leaves out sources, tests, examples and tooling', () => {
    const stray = files.filter(
      (f) => /^(test|examples|bench|probe|loadtest|scripts|server|protocol|client|testing|game-client|docs)\//.test(f) || /\.test\.|(?<!\.d)\.ts$/.test(f),
    );
    expect(stray).toEqual([]);
  });

  it('type-checks the tag example against the tarball', async () => {
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    const result = await run(process.execPath, [tsc, '-p', project], { timeout: 120_000 }).then(
      () => '',
      (e: { stdout?: string }) => e.stdout ?? String(e),
    );
    expect(result).toBe('');
  }, 120_000);

  it('imports every entry point from the installed package', async () => {
    const script = [
      "const server = await import('tickwire');",
      "const protocol = await import('tickwire/protocol');",
      "const client = await import('tickwire/client');",
      "const testing = await import('tickwire/testing');",
      'console.log(JSON.stringify([typeof server.defineMode, typeof protocol.defineSnapshotSchema, Object.keys(client).length > 0, typeof testing.boot]));',
    ].join('\n');
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: project, timeout: 30_000 });
    expect(JSON.parse(stdout)).toEqual(['function', 'function', true, 'function']);
  }, 60_000);
});
