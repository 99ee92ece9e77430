import { randomBytes } from 'node:crypto';
import { testDatabaseUrl } from './pg.ts';

/**
 * What every in-process world configures alike: quiet logs, a BullMQ prefix of its own on the
 * shared Redis, its own Postgres schema, a test audit key, fast steps and no scheduled drift sweeps.
 */
export function worldConfigBase(name: string, schema: string) {
  return {
    logLevel: process.env.SGOPS_TEST_LOG_LEVEL ?? 'silent',
    redis: {
      url: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
      prefix: `sgops-test-${name}-${randomBytes(4).toString('hex')}`,
    },
    database: { kind: 'pg', url: testDatabaseUrl, schema },
    audit: { key: 'test-audit-key-0123456789abcdef' },
    workflow: { stepBackoffMs: 50, pollDelayMs: 100, approvalTimeoutMs: 600_000, shutdownGraceMs: 3000 },
    // Tests that count calls must not meet a sweep at a random moment: they sweep when they mean to.
    drift: { sweepMs: 0 },
  };
}
