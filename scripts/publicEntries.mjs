// The package's public entry points and the source file behind each. Inside this repo,
// `tickwire`, `tickwire/protocol`… resolve to these sources (vitest aliases, tsconfig
// `paths`, the example bundler) so examples run without a library build; an installed
// package resolves them through package.json `exports` to the built lib/ instead.
// test/unit/publicEntries.test.ts checks that tsconfig.json, package.json and this agree.
import { fileURLToPath } from 'node:url';

export const PUBLIC_ENTRIES = {
  tickwire: 'server/index.ts',
  'tickwire/protocol': 'protocol/index.ts',
  'tickwire/client': 'client/index.ts',
  'tickwire/testing': 'testing/index.ts',
};

const root = fileURLToPath(new URL('..', import.meta.url));

/** Vite/vitest `resolve.alias` entries (exact matches: `tickwire` must not catch `tickwire/x`). */
export function publicAliases() {
  return Object.entries(PUBLIC_ENTRIES).map(([name, file]) => ({
    find: new RegExp(`^${name.replace('/', '\\/')}$`),
    replacement: root + file,
  }));
}

/** An esbuild plugin resolving the public entry points to the repo's sources. */
export const publicEntriesPlugin = {
  name: 'tickwire-public-entries',
  setup(build) {
    build.onResolve({ filter: /^tickwire(\/(protocol|client|testing))?$/ }, (args) => ({ path: root + PUBLIC_ENTRIES[args.path] }));
  },
};
