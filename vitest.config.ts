import { defineConfig } from 'vitest/config';
import { publicAliases } from './scripts/publicEntries.mjs';

export default defineConfig({
  // `tickwire`, `tickwire/protocol`… resolve to the repo's sources (scripts/publicEntries.mjs).
  resolve: { alias: publicAliases() },
  test: {
    include: ['test/**/*.test.ts', 'examples/**/*.test.ts'],
    // Each file in its own process: uWS is a native addon and servers bind real ports.
    pool: 'forks',
    // One file at a time: the browser, k6 and load tests each need the whole 2-core machine,
    // and timing-sensitive thresholds (k6 RTT, jitter) must not depend on what runs beside them.
    fileParallelism: false,
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
