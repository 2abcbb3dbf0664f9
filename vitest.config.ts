import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    environment: 'node',
    // Child processes, not worker threads: each test file gets its own WASM instances and a clean heap.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // The threat store of every gateway started by a test lives in a fresh directory, not the user's state dir.
    // And no update check against the npm registry.
    env: { KINDLY_GUARD_STATE_DIR: mkdtempSync(join(tmpdir(), 'kg-test-state-')), KINDLY_GUARD_NO_UPDATE_CHECK: '1' },
  },
});
