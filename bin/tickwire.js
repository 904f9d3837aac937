#!/usr/bin/env node
// The `tickwire` command (package.json "bin"): runs the built CLI, dist/server/cli.js.
// `npm install` builds it (the "prepare" script); a source checkout without a build gets
// one line saying how to make it.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../dist/server/cli.js', import.meta.url));
if (!existsSync(cli)) {
  process.stderr.write('tickwire: the server is not built yet: run `npm run build` (or `npm install`) in the tickwire directory\n');
  process.exit(1);
}
await import(new URL('../dist/server/cli.js', import.meta.url).href);
