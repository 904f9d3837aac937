// Builds the server (and, once it exists, the browser client) with esbuild.
// Usage: node scripts/build.mjs [--watch]
import * as esbuild from 'esbuild';
import { existsSync, mkdirSync, rmSync } from 'node:fs';

const watch = process.argv.includes('--watch');

const serverOptions = {
  // main: `npm start`; cli: the `tickwire` command (bin/tickwire.js).
  entryPoints: { main: 'server/main.ts', cli: 'server/cli.ts' },
  outdir: 'dist/server',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  // Dependencies stay in node_modules (uWS is a native addon; pino loads workers by path).
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
};

rmSync('dist/server', { recursive: true, force: true });
mkdirSync('dist', { recursive: true });
if (watch) {
  const ctx = await esbuild.context(serverOptions);
  await ctx.watch();
  console.log('build: watching server/ for changes');
} else {
  await esbuild.build(serverOptions);
  console.log('build: dist/server/main.js, dist/server/cli.js');
}
if (existsSync('game-client/build.mjs')) await import('../game-client/build.mjs');
