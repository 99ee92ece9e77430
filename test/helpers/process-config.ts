/**
 * The YAML config of a real `sgops start` process for tests that kill or share processes: one
 * Postgres schema, one Redis prefix, the test's emulator and simulator, a console with bearer
 * tokens for alice and bob, and the workflow timings the test needs.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stringify as toYaml } from 'yaml';
import { clusterId, credentials, samplePolicy } from './test-world.ts';
import { freePort } from '../../src/sandbox/free-port.ts';
import { testDatabaseUrl } from './pg.ts';

export interface ProcessConfigOptions {
  dir: string;
  name: string;
  redisUrl: string;
  /** Default: the shared test database. */
  databaseUrl?: string;
  prefix: string;
  schema: string;
  cloudUrl: string;
  kubeUrl: string;
  auditKey: string;
  tokens: { alice: string; bob: string };
  /** The namespaces alice may request for (bob approves). */
  namespaces: string[];
  workflow: Record<string, number>;
  /** Sections laid over the generated ones (each merged one level deep; other values replace). */
  overrides?: Record<string, unknown>;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function overlay(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const under = out[key];
    out[key] = isPlainObject(under) && isPlainObject(value) ? { ...under, ...value } : value;
  }
  return out;
}

export async function writeProcessConfig(
  options: ProcessConfigOptions,
): Promise<{ configPath: string; url: string }> {
  const port = await freePort();
  const configPath = path.join(options.dir, `${options.name}.yaml`);
  await writeFile(
    configPath,
    toYaml(
      overlay(
        {
          logLevel: 'warn',
          redis: { url: options.redisUrl, prefix: options.prefix },
          database: { kind: 'pg', url: options.databaseUrl ?? testDatabaseUrl, schema: options.schema },
          tencentcloud: {
            ...credentials,
            region: 'ap-guangzhou',
            endpoint: options.cloudUrl,
            // Tests count each grant's calls: shared cluster reads are opted into where tested.
            readCacheTtlMs: 0,
          },
          kubernetes: { server: options.kubeUrl },
          http: { host: '127.0.0.1', port },
          console: {
            mode: 'token',
            tokens: [
              { token: options.tokens.alice, person: 'alice' },
              { token: options.tokens.bob, person: 'bob' },
            ],
          },
          defaults: { clusterId, namespace: 'my-namespace' },
          policy: { ...samplePolicy, rules: [{ ...samplePolicy.rules[0]!, namespaces: options.namespaces }] },
          audit: { key: options.auditKey },
          workflow: options.workflow,
        },
        options.overrides ?? {},
      ),
    ),
  );
  return { configPath, url: `http://127.0.0.1:${port}` };
}
