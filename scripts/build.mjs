// Builds the server and the browser clients with esbuild (`npm run build`, and `npm start`
// before serving): the arena's into dist/client/, tag's into dist/client/tag/ (served at
// /tag/; the arena build leaves subfolders alone). `npm run dev` (scripts/dev.mjs) is the watching variant.
import * as esbuild from 'esbuild';
import { mkdirSync, rmSync } from 'node:fs';
import { buildExampleClient } from './example.mjs';
import { serverBuildOptions } from './serverBuild.mjs';

rmSync('dist/server', { recursive: true, force: true });
mkdirSync('dist', { recursive: true });
await esbuild.build(serverBuildOptions);
console.log('build: dist/server/main.js, dist/server/cli.js');
await import('../game-client/build.mjs');
await buildExampleClient('tag', 'dist/client/tag');
console.log('build: dist/client/tag/ (tag client)');
