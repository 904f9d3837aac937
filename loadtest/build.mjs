// Bundles each k6 scenario in loadtest/scenarios/ with protocol/ and @msgpack/msgpack into
// loadtest/dist/<scenario>.js, runnable by stock k6 (which resolves no npm modules).
// Usage: node loadtest/build.mjs   (npm run loadtest:build)
import * as esbuild from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const scenarios = readdirSync(join(here, 'scenarios')).filter((f) => f.endsWith('.ts'));

rmSync(join(here, 'dist'), { recursive: true, force: true });
await esbuild.build({
  entryPoints: Object.fromEntries(scenarios.map((f) => [f.replace(/\.ts$/, ''), join(here, 'scenarios', f)])),
  outdir: join(here, 'dist'),
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  // k6 v1.8's engine (sobek) rejects `for await` (in msgpack's unused async decoder), so
  // esbuild lowers the output to ES2017: async/await stays, async iteration is rewritten.
  target: 'es2017',
  mainFields: ['module', 'main'],
  // k6's built-in modules exist only inside k6.
  external: ['k6', 'k6/*'],
  // k6 has no TextEncoder/TextDecoder; msgpack's references resolve to ours instead.
  inject: [join(here, 'lib/textCoding.ts')],
  sourcemap: false,
  logLevel: 'warning',
});
console.log(`loadtest: built ${scenarios.map((f) => `loadtest/dist/${f.replace(/\.ts$/, '.js')}`).join(', ')}`);

// The Node runtime for k6 scripts (loadtest/runtime/): its entry, the VU thread and the HTTP
// helper thread, side by side so main.js finds the other two next to itself.
await esbuild.build({
  entryPoints: ['main', 'vuWorker', 'httpWorker'].map((n) => join(here, 'runtime', `${n}.ts`)),
  outdir: join(here, 'dist', 'runtime'),
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: false,
  logLevel: 'warning',
});
console.log('loadtest: built loadtest/dist/runtime/{main,vuWorker,httpWorker}.js');
