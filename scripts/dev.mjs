// `npm run dev`: rebuilds server and client on every change and restarts the server so it
// serves the new files (static files are read once at start). Ctrl-C stops everything.
import * as esbuild from 'esbuild';
import { spawn } from 'node:child_process';
import { buildClient } from '../game-client/bundle.mjs';
import { buildExampleClient } from './example.mjs';
import { serverBuildOptions } from './serverBuild.mjs';

let child = null;
let restartTimer = null;
let stopping = false;
/** Both first builds done: before that, rebuild notifications do not start anything. */
let ready = false;

function start() {
  child = spawn(process.execPath, ['--enable-source-maps', 'dist/server/main.js'], { stdio: 'inherit', env: process.env });
  const me = child;
  me.on('exit', (code, signal) => {
    if (me === child) child = null;
    if (!stopping && signal === null && code !== 0) console.log(`dev: server exited with ${code}; waiting for the next change`);
  });
}

/**
 * Stops a server: SIGTERM drains, a second SIGTERM ends running matches at once (players
 * get a close code and reconnect to the new process), SIGKILL if it still hangs.
 */
function stopServer(proc, then) {
  const timers = [setTimeout(() => proc.kill('SIGTERM'), 1000), setTimeout(() => proc.kill('SIGKILL'), 4000)];
  proc.once('exit', () => {
    timers.forEach(clearTimeout);
    then?.();
  });
  proc.kill('SIGTERM');
}

/** Debounced: one save often rebuilds server and client together. */
function restart() {
  if (!ready) return;
  clearTimeout(restartTimer);
  restartTimer = setTimeout(() => {
    const old = child;
    if (!old) return start();
    stopServer(old, start);
  }, 150);
}

const server = await esbuild.context({
  ...serverBuildOptions,
  plugins: [...serverBuildOptions.plugins, { name: 'restart', setup: (b) => b.onEnd((r) => r.errors.length === 0 && restart()) }],
});
await server.watch();
const client = await buildClient({ watch: true, minify: false, quiet: true, onRebuild: () => restart() });
// Tag's client (served at /tag/) is built once, not watched: `npm run example:tag` is its dev loop.
await buildExampleClient('tag', 'dist/client/tag');
ready = true;
start();
console.log('dev: watching server/, client/, game-client/ and protocol/; the server restarts after each rebuild');

const stop = async () => {
  stopping = true;
  clearTimeout(restartTimer);
  await Promise.all([server.dispose(), client.dispose()]);
  if (child) stopServer(child, () => process.exit(0));
  else process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
