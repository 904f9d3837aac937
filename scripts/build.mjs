// Builds the server and the browser client with esbuild (`npm run build`, and `npm start`
// before serving). `npm run dev` (scripts/dev.mjs) is the watching variant.
import * as esbuild from 'esbuild';
import { mkdirSync, rmSync } from 'node:fs';
import { serverBuildOptions } from './serverBuild.mjs';

rmSync('dist/server', { recursive: true, force: true });
mkdirSync('dist', { recursive: true });
await esbuild.build(serverBuildOptions);
console.log('build: dist/server/main.js, dist/server/cli.js');
await import('../game-client/build.mjs');
