import { defineConfig } from 'vitest/config';

// Integration tests share one machine's Redis/Postgres but isolate by prefix and schema,
// so files can run in parallel; timeouts are generous for a 2-core box.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
