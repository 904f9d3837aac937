/**
 * `npm install` must not rewrite package-lock.json: a newcomer's first `git status` after
 * installing should be clean. It once was not: the lock was generated before package.json
 * had its `bin` entry, so every install added `"bin": {"tickwire": …}` to the lock.
 *
 * npm resolves the tree from package.json + package-lock.json only (`--package-lock-only`,
 * offline, an empty cache, in a temp copy): nothing is downloaded and node_modules is not
 * touched, yet any disagreement between the two files shows up as a changed lock.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = new URL('../../', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'tickwire-lock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('package-lock.json', () => {
  it('is what npm install would write for package.json (no diff after an install)', async () => {
    for (const f of ['package.json', 'package-lock.json']) copyFileSync(join(root, f), join(dir, f));
    const before = readFileSync(join(dir, 'package-lock.json'), 'utf8');
    await run('npm', ['install', '--package-lock-only', '--ignore-scripts', '--offline', '--no-audit', '--no-fund', '--cache', join(dir, '.npm-cache')], {
      cwd: dir,
      env: { ...process.env, npm_config_loglevel: 'error' },
      timeout: 60_000,
    });
    const after = readFileSync(join(dir, 'package-lock.json'), 'utf8');
    expect(after).toBe(before);
  }, 90_000);

  it('records the bin entry exactly as npm normalizes package.json', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { bin: Record<string, string>; engines: unknown };
    const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, { bin?: Record<string, string>; engines?: unknown }> };
    // npm writes bin paths without a leading "./"; write package.json the same way.
    expect(lock.packages['']!.bin).toEqual(Object.fromEntries(Object.entries(pkg.bin).map(([k, v]) => [k, v.replace(/^\.\//, '')])));
    expect(Object.values(pkg.bin).every((v) => !v.startsWith('./'))).toBe(true);
    expect(lock.packages['']!.engines).toEqual(pkg.engines);
  });
});
