/**
 * `npm run loadtest -- <scenario>` (loadtest/run.mjs): picks real k6 when `k6` is on PATH
 * (here a stand-in script that records how it was called), the Node runtime otherwise, says
 * which, and passes the runner's exit code through. Unknown scenarios get one line.
 */
import { execFile, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
let dir: string;

function runner(args: string[], path: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: path };
    delete env.K6_NO_USAGE_REPORT;
    const child = spawn(process.execPath, [join(ROOT, 'loadtest/run.mjs'), ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolvePromise({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  await promisify(execFile)(process.execPath, ['loadtest/build.mjs'], { cwd: ROOT });
  dir = mkdtempSync(join(tmpdir(), 'tickwire-runner-'));
  const fakeK6 = join(dir, 'bin', 'k6');
  mkdirSync(join(dir, 'bin'));
  writeFileSync(
    fakeK6,
    '#!/bin/sh\nif [ "$1" = version ]; then echo "k6 v1.2.3 (stand-in)"; exit 0; fi\necho "ARGS $*"\necho "USAGE_REPORT=$K6_NO_USAGE_REPORT"\nexit 42\n',
  );
  chmodSync(fakeK6, 0o755);
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('npm run loadtest', () => {
  it('refuses an unknown scenario with one line listing the valid ones', async () => {
    const r = await runner(['smok'], process.env.PATH ?? '');
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      'loadtest: unknown scenario "smok"; choose one of capacity, lobby-idle, smoke, soak, spike (npm run loadtest -- smoke -e TARGET=http://host:8080)',
    );
  });

  it('runs real k6 when it is on PATH, with the arguments given, and passes its exit code through', async () => {
    const r = await runner(['spike', '-e', 'TARGET=http://127.0.0.1:9', '-q'], `${join(dir, 'bin')}:${process.env.PATH}`);
    expect(r.stderr).toContain('loadtest: running spike with k6 v1.2.3 (stand-in) (k6 found on PATH)');
    expect(r.stdout).toContain('ARGS run -e TARGET=http://127.0.0.1:9 -q loadtest/dist/spike.js');
    expect(r.stdout).toContain('USAGE_REPORT=true');
    expect(r.code).toBe(42);
  });

  it('runs the Node runtime when k6 is not on PATH, and says so', async () => {
    // Nothing listens on port 9 (discard): every session fails, so the thresholds fail: 99.
    const r = await runner(['smoke', '-q', '-e', 'TARGET=http://127.0.0.1:9', '-e', 'VUS=1', '-e', 'DURATION=1s', '-e', 'SESSION=1s', '-e', `SUMMARY_DIR=${dir}`], '/nonexistent');
    expect(r.stderr).toContain('loadtest: running smoke with the Node runtime in loadtest/runtime (no k6 on PATH');
    expect(r.stdout).toContain('tickwire smoke against http://127.0.0.1:9');
    expect(r.stderr).toMatch(/thresholds on metrics '.*tw_sessions.*' have been crossed/);
    expect(r.code).toBe(99);
  }, 60_000);
});
