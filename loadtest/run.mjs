// Runs one k6 scenario: `npm run loadtest -- <scenario> [-e KEY=VALUE]… [-q]`.
// Builds loadtest/dist/ when a source is newer than the bundle, then runs the bundle with
// real k6 when `k6` is on PATH, otherwise with our Node runtime (loadtest/runtime/: a
// runtime for CI and for users without k6, not a k6 replacement), and says which.
// The exit code is the runner's: 0 passed, 99 thresholds failed, other non-zero errors.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const scenarios = readdirSync(join(here, 'scenarios'))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.replace(/\.ts$/, ''))
  .sort();

const [scenario, ...args] = process.argv.slice(2);
if (!scenario || !scenarios.includes(scenario)) {
  console.error(`loadtest: ${scenario ? `unknown scenario "${scenario}"` : 'no scenario given'}; choose one of ${scenarios.join(', ')} (npm run loadtest -- smoke -e TARGET=http://host:8080)`);
  process.exit(2);
}

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else if (/\.(ts|mjs|js)$/.test(entry.name)) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

const bundle = join(here, 'dist', `${scenario}.js`);
const runtime = join(here, 'dist', 'runtime', 'main.js');
const sources = Math.max(...['lib', 'scenarios', 'runtime'].map((d) => newestMtime(join(here, d))), newestMtime(join(root, 'protocol')), statSync(join(here, 'build.mjs')).mtimeMs);
if (!existsSync(bundle) || !existsSync(runtime) || statSync(bundle).mtimeMs < sources || statSync(runtime).mtimeMs < sources) {
  const built = spawnSync(process.execPath, [join(here, 'build.mjs')], { stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

const k6 = spawnSync('k6', ['version'], { encoding: 'utf8' });
const script = relative(process.cwd(), bundle) || bundle;
let child;
if (!k6.error && k6.status === 0) {
  console.error(`loadtest: running ${scenario} with ${k6.stdout.split('\n')[0].trim()} (k6 found on PATH)`);
  // K6_NO_USAGE_REPORT: k6 otherwise reports usage to its vendor; set it to false to allow that.
  child = spawn('k6', ['run', ...args, script], { stdio: 'inherit', env: { K6_NO_USAGE_REPORT: 'true', ...process.env } });
} else {
  console.error(`loadtest: running ${scenario} with the Node runtime in loadtest/runtime (no k6 on PATH; a runtime for CI and users without k6, not k6 itself)`);
  child = spawn(process.execPath, [runtime, 'run', ...args, script], { stdio: 'inherit' });
}
// Ctrl-C reaches the runner from the terminal itself (same process group): wait for it to
// write its summary instead of forwarding a second SIGINT, which would make it quit at once.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => child.kill('SIGTERM'));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
