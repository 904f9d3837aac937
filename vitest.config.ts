import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Each file in its own process: uWS is a native addon and servers bind real ports.
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
