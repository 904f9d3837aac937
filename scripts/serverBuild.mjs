// The server's esbuild options, shared by `npm run build` (scripts/build.mjs) and
// `npm run dev` (scripts/dev.mjs).
import { publicEntriesPlugin } from './publicEntries.mjs';

export const serverBuildOptions = {
  // main: `npm start`; cli: the `tickwire` command (bin/tickwire.js).
  entryPoints: { main: 'server/main.ts', cli: 'server/cli.ts' },
  outdir: 'dist/server',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  // Dependencies stay in node_modules (uWS is a native addon; pino loads workers by path).
  packages: 'external',
  // Except `tickwire` itself: the example games the app hosts (server/cliModes.ts) import
  // it like an installed package; it resolves to these sources, bundled once.
  plugins: [publicEntriesPlugin],
  sourcemap: true,
  logLevel: 'warning',
};
