/**
 * The sgops app under measurement, built in this process from createApp against the stand-ins,
 * with a Postgres schema and a Redis prefix of its own that are removed again by stop().
 */
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import type { Logger } from 'pino';
import { Redis } from 'ioredis';
import { parseConfig } from '../../src/config.ts';
import type { Config, ConfigInput } from '../../src/config.ts';
import { createApp } from '../../src/main.ts';
import type { App } from '../../src/main.ts';
import { clusterId, credentials, samplePolicy } from '../../test/helpers/test-world.ts';
import { dropSchema, testDatabaseUrl, uniqueSchema } from '../../test/helpers/pg.ts';
import type { StandIns } from './stand-ins.ts';

export const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface BenchApp {
  app: App;
  config: Config;
  schema: string;
  prefix: string;
  stop(): Promise<void>;
}

/** Settings every scenario shares; `overrides` replace whole sections. */
export function benchConfigInput(
  name: string,
  standIns: Pick<StandIns, 'cloudUrl' | 'kubeUrl'>,
  overrides: Partial<ConfigInput> = {},
): ConfigInput & {
  redis: { url: string; prefix: string };
  database: { kind: 'pg'; url: string; schema: string };
} {
  return {
    logLevel: 'silent',
    redis: { url: redisUrl, prefix: `sgops-bench-${name}-${randomBytes(4).toString('hex')}` },
    database: { kind: 'pg', url: testDatabaseUrl, schema: uniqueSchema(`bench_${name}`) },
    tencentcloud: { ...credentials, region: 'ap-guangzhou', endpoint: standIns.cloudUrl },
    kubernetes: { server: standIns.kubeUrl },
    defaults: { clusterId, namespace: 'my-namespace' },
    policy: samplePolicy,
    audit: { key: 'bench-audit-key-0123456789abcdef' },
    workflow: { stepBackoffMs: 50, pollDelayMs: 100, approvalTimeoutMs: 3_600_000 },
    ...overrides,
  } as never;
}

export async function startBenchApp(
  input: ReturnType<typeof benchConfigInput>,
  logger?: Logger,
): Promise<BenchApp> {
  const config = parseConfig(input);
  const app = await createApp(config, { logger: logger ?? pino({ level: config.logLevel }) });
  await app.start();
  return {
    app,
    config,
    schema: input.database.schema,
    prefix: input.redis.prefix,
    async stop() {
      await app.stop();
      await cleanUp(input.database.schema, input.redis.prefix);
    },
  };
}

/** Drops the schema and every Redis key under the prefix. */
export async function cleanUp(schema: string, prefix: string): Promise<void> {
  await dropSchema(testDatabaseUrl, schema);
  await deleteRedisKeys(prefix);
}

export async function deleteRedisKeys(prefix: string): Promise<void> {
  const redis = new Redis(redisUrl);
  try {
    for await (const keys of redis.scanStream({ match: `${prefix}:*`, count: 1000 }) as AsyncIterable<
      string[]
    >)
      if (keys.length > 0) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}
