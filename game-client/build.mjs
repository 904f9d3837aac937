// Builds the browser client into dist/client (see bundle.mjs); `--watch` rebuilds on change.
// scripts/build.mjs runs this after the server build, so `npm start` serves a fresh client.
import { buildClient } from './bundle.mjs';

const watch = process.argv.includes('--watch');
await buildClient({ watch, minify: !watch });
if (watch) console.log('build: watching game-client/, client/ and protocol/ for changes');
