import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    // Child processes, not worker threads: each test file gets its own WASM instances and a clean heap.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
