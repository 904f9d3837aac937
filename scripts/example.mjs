// `npm run example:<name>` → `node scripts/example.mjs <name> [--port N]`: bundles the
// example's browser client (examples/<name>/client/main.ts + index.html) into
// examples/<name>/dist/ and starts its server entry (examples/<name>/serve.ts) with tsx,
// which serves that folder. Inside this repo `tickwire`, `tickwire/client`… resolve to the
// sources (scripts/publicEntries.mjs); a game outside it bundles its client its own way.
import * as esbuild from 'esbuild';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { publicEntriesPlugin } from './publicEntries.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Bundles examples/<name>/client into `outdir` (default examples/<name>/dist). */
export async function buildExampleClient(name, outdir = join(root, 'examples', name, 'dist')) {
  const dir = join(root, 'examples', name, 'client');
  if (!existsSync(join(dir, 'main.ts'))) throw new Error(`no example client at examples/${name}/client/main.ts`);
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  await esbuild.build({
    entryPoints: { main: join(dir, 'main.ts') },
    outdir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022'],
    minify: true,
    sourcemap: 'linked',
    plugins: [publicEntriesPlugin],
    logLevel: 'warning',
  });
  copyFileSync(join(dir, 'index.html'), join(outdir, 'index.html'));
  return outdir;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [name, ...rest] = process.argv.slice(2);
  if (!name || !/^[a-z0-9-]+$/.test(name) || !existsSync(join(root, 'examples', name, 'serve.ts'))) {
    console.error(`example: no such example ${JSON.stringify(name ?? '')}: use one of the folders in examples/ (e.g. npm run example:tag)`);
    process.exit(1);
  }
  await buildExampleClient(name);
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'examples', name, 'serve.ts'), ...rest], { stdio: 'inherit', cwd: root });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(signal ? 0 : (code ?? 0)));
}
