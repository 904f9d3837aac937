/**
 * `tickwire/client` stays renderer-free and game-free: nothing in client/ imports Pixi, the
 * server, the arena shell (game-client/) or names the arena game, and it touches no DOM
 * globals (browser-only pieces check `typeof Worker` instead). Only protocol/ may be imported
 * from outside the folder.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../client');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : name.endsWith('.ts') ? [path] : [];
  });
}

describe('client/ layout', () => {
  const files = sources(ROOT);

  it('has the barrel, and the import scan sees its re-exports', () => {
    expect(files.map((f) => f.slice(ROOT.length + 1))).toContain('index.ts');
    const barrel = readFileSync(join(ROOT, 'index.ts'), 'utf8');
    expect([...barrel.matchAll(/^(?:import|export)\s[^;]*?from '([^']+)';/gm)].length).toBeGreaterThan(10);
  });

  it.each(files.map((f) => [f.slice(ROOT.length + 1), f]))('%s imports only client/ and protocol/, and no renderer, DOM or game', (_name, file) => {
    const text = readFileSync(file, 'utf8');
    const imports = [...text.matchAll(/^(?:import|export)\s[^;]*?from '([^']+)';/gm)].map((m) => m[1]);
    for (const spec of imports) {
      expect(spec.startsWith('.'), `${spec} is a package import`).toBe(true);
      const resolved = join(file, '..', spec);
      expect(resolved.startsWith(ROOT) || resolved.startsWith(join(ROOT, '../protocol/')), `${spec} leaves client/ and protocol/`).toBe(true);
    }
    expect(text).not.toMatch(/\b(window|document|localStorage)\./);
    expect(text.toLowerCase()).not.toContain('arena');
  });
});
