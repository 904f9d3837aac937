/** The example's two commands refuse bad arguments with one line and exit code 2. */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

async function fails(script: string, args: string[]): Promise<{ code: number; stderr: string }> {
  return run(process.execPath, ['--import', 'tsx', here(script), ...args], { timeout: 30_000 }).then(
    () => ({ code: 0, stderr: '' }),
    (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
  );
}

describe('tag commands', () => {
  it('load: --players must be a positive number', async () => {
    const r = await fails('../load/main.ts', ['--players', 'many']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('tag load: --players must be a positive number (got "many")');
  }, 40_000);

  it('serve: --port must be a port number', async () => {
    const r = await fails('../serve.ts', ['--port', '70000']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('tag: --port must be a port number (got "70000")');
  }, 40_000);
});
