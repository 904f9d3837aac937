// Bundles the browser client (game-client/ + client/ + protocol/ + PixiJS) with esbuild into
// content-hashed files plus an index.html that references them:
//   dist/client/index.html            never cached (it names the current hashes)
//   dist/client/main-<HASH>.js/.css   cached for a year (the server's static handler)
// One script, no code splitting: Pixi's index pulls in nearly everything statically, so
// splitting only turned one request into two dozen for the same bytes.
// Prints each file's size and gzipped size.
import * as esbuild from 'esbuild';
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');

function options(outdir, minify) {
  return {
    absWorkingDir: root,
    entryPoints: { main: 'game-client/main.ts' },
    outdir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022', 'chrome110', 'firefox110', 'safari16'],
    entryNames: '[name]-[hash]',
    assetNames: '[name]-[hash]',
    minify,
    sourcemap: 'linked',
    metafile: true,
    legalComments: 'eof',
    logLevel: 'warning',
  };
}

/** Writes index.html for a build's outputs and removes files of earlier builds. */
function finish(result, outdir, quiet) {
  const outputs = Object.entries(result.metafile.outputs);
  const entry = outputs.find(([, o]) => o.entryPoint === 'game-client/main.ts');
  if (!entry) throw new Error('client build produced no entry file');
  const js = basename(entry[0]);
  const css = entry[1].cssBundle ? basename(entry[1].cssBundle) : null;
  const template = readFileSync(join(here, 'index.html'), 'utf8');
  const html = template
    .replace('<!-- tickwire:css -->', css ? `<link rel="stylesheet" href="/${css}" />` : '')
    .replace('<!-- tickwire:js -->', `<script type="module" src="/${js}"></script>`);
  writeFileSync(join(outdir, 'index.html'), html);

  const keep = new Set([...outputs.map(([p]) => relative(outdir, join(root, p))), 'index.html']);
  // Files only: a subfolder is another client served beside this one (dist/client/tag/).
  for (const name of readdirSync(outdir)) if (!keep.has(name) && !statSync(join(outdir, name)).isDirectory()) rmSync(join(outdir, name), { force: true });

  if (quiet) return { js, css };
  const rows = [...keep]
    .filter((n) => !n.endsWith('.map'))
    .map((n) => {
      const body = readFileSync(join(outdir, n));
      return { n, size: statSync(join(outdir, n)).size, gz: gzipSync(body).length };
    })
    .sort((a, b) => b.size - a.size);
  const kb = (b) => `${(b / 1024).toFixed(1)} kB`.padStart(9);
  console.log(`build: ${relative(process.cwd(), outdir) || '.'}/ (client)`);
  for (const r of rows) console.log(`  ${r.n.padEnd(24)} ${kb(r.size)}  gzip ${kb(r.gz)}`);
  const sum = (k) => rows.reduce((s, r) => s + r[k], 0);
  console.log(`  ${'page total'.padEnd(24)} ${kb(sum('size'))}  gzip ${kb(sum('gz'))}  (source maps beside them)`);
  return { js, css };
}

/**
 * Builds the client. `watch` keeps rebuilding on changes and calls `onRebuild` after each
 * successful build. Returns the entry file names (and, when watching, a `dispose`).
 */
export async function buildClient({ outdir = join(root, 'dist/client'), watch = false, minify = true, quiet = false, onRebuild } = {}) {
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  if (!watch) {
    const result = await esbuild.build(options(outdir, minify));
    return finish(result, outdir, quiet);
  }
  let first;
  const ready = new Promise((resolve) => (first = resolve));
  const ctx = await esbuild.context({
    ...options(outdir, minify),
    plugins: [
      {
        name: 'tickwire-index',
        setup(build) {
          build.onEnd((result) => {
            if (result.errors.length > 0) return;
            const names = finish(result, outdir, quiet);
            first(names);
            onRebuild?.(names);
          });
        },
      },
    ],
  });
  await ctx.watch();
  const names = await ready;
  return { ...names, dispose: () => ctx.dispose() };
}
