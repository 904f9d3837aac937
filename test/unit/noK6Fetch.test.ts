/**
 * The Go module of k6 is AGPL-licensed: nothing in the repository may fetch or build it (no
 * Go toolchain step that installs k6, no reference to its module path in scripts, docs or
 * CI). Greps every tracked file. The needles are assembled from parts so this file does not match itself.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const MODULE_PATH = ['go', 'k6', 'io/k6'].join('.');
const GO_INSTALL_K6 = new RegExp(['go', '\\s+', 'install', '\\b[^\\n]*', 'k6'].join(''), 'i');

function trackedFiles(): string[] {
  return execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
}

describe('no file fetches or builds the k6 Go module', () => {
  it('the needles are what they say', () => {
    expect(MODULE_PATH).toBe('go' + '.k6.io/k6');
    expect(GO_INSTALL_K6.test('GOBIN=x go' + ' install ' + 'go' + '.k6.io/k6@v1.8.1')).toBe(true);
    expect(GO_INSTALL_K6.test('go test ./... # k6 not involved')).toBe(false);
  });

  it('no tracked file names the module path or installs k6 with the Go toolchain', () => {
    const files = trackedFiles();
    expect(files.length).toBeGreaterThan(50);
    const hits: string[] = [];
    for (const file of files) {
      let text: string;
      try {
        text = readFileSync(resolve(ROOT, file), 'utf8');
      } catch {
        continue; // deleted in the work tree but still tracked
      }
      text.split('\n').forEach((line, i) => {
        if (line.includes(MODULE_PATH) || GO_INSTALL_K6.test(line)) hits.push(`${file}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(hits).toEqual([]);
  });
});
