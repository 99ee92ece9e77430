/**
 * The only reader of process.env and config files. Everything else receives a validated Config.
 * Precedence: environment variables over the YAML file named by SGOPS_CONFIG (or --config).
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { AppError } from './errors.ts';
import { policyConfigSchema } from './policy/policy-config.ts';

const durationMs = z.number().int().positive();

export const configSchema = z.object({
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  redis: z
    .object({
      url: z.string().url().default('redis://127.0.0.1:6379'),
      prefix: z.string().min(1).default('sgops'),
    })
    .prefault({}),
  database: z
    .discriminatedUnion('kind', [
      z.object({ kind: z.literal('pg'), url: z.string().min(1), schema: z.string().optional() }),
      z.object({ kind: z.literal('pglite'), path: z.string().optional() }),
    ])
    .default({ kind: 'pglite' }),
  tencentcloud: z.object({
    secretId: z.string().min(1),
    secretKey: z.string().min(1),
    token: z.string().optional(),
    region: z.string().min(1),
    /** For the emulator or a private endpoint; default is Tencent Cloud's public endpoints. */
    endpoint: z.string().url().optional(),
    clusterGroupNameTemplate: z.string().default('tke-worker-security-for-{clusterId}'),
    /** Stay under each action's documented requests/second, shared by every replica through Redis. */
    rateLimit: z
      .object({ enabled: z.boolean().default(true), maxWaitMs: durationMs.default(10_000) })
      .prefault({}),
    /** Single-call retries (reads on any retryable error, writes only when throttled). */
    callRetries: z
      .object({
        attempts: z.number().int().min(1).default(6),
        baseDelayMs: durationMs.default(200),
        maxDelayMs: durationMs.default(5_000),
      })
      .prefault({}),
    addonName: z.string().default('securitygrouppolicy'),
  }),
  kubernetes: z.object({
    server: z.string().url().optional(),
    token: z.string().optional(),
    kubeconfig: z.string().optional(),
  }),
  http: z
    .object({
      host: z.string().default('127.0.0.1'),
      /** 0 picks a free port; absent means no HTTP server (workers only). */
      port: z.number().int().min(0).max(65535).optional(),
    })
    .prefault({}),
  /**
   * The web console and its chat API. `sandbox` trusts the person named in each request (loopback
   * sandbox only); `token` takes the person from a bearer token; `off` serves nothing.
   */
  console: z
    .object({
      mode: z.enum(['off', 'sandbox', 'token']).default('off'),
      tokens: z.array(z.object({ token: z.string().min(24), person: z.string().min(1) })).default([]),
    })
    .prefault({}),
  /** Slack (HTTP events, slash command /sgops, interactivity at /slack/events); off when absent. */
  slack: z
    .object({
      signingSecret: z.string().min(1),
      botToken: z.string().min(1),
      botUserId: z.string().min(1),
      botId: z.string().min(1),
      /** Web API base, e.g. a fake's `http://127.0.0.1:PORT/api/`; Slack's own by default. */
      apiUrl: z.string().url().optional(),
    })
    .optional(),
  /** WeCom self-built app (callback at /wecom/callback); off when absent. */
  wecom: z
    .object({
      corpId: z.string().min(1),
      corpSecret: z.string().min(1),
      agentId: z.union([z.string().min(1), z.number().int()]),
      token: z.string().min(1),
      encodingAESKey: z.string().length(43),
      apiBaseUrl: z.string().url().optional(),
    })
    .optional(),
  defaults: z.object({ clusterId: z.string().min(1), namespace: z.string().min(1).default('default') }),
  policy: policyConfigSchema,
  audit: z.object({
    key: z.string().min(16, 'the audit key must be at least 16 characters'),
    /** Where the chain head's keyed checkpoint is written, outside the database; ship it to write-once storage too. */
    checkpointPath: z.string().optional(),
  }),
  workflow: z
    .object({
      approvalTimeoutMs: durationMs.default(24 * 3600 * 1000),
      stepAttempts: z.number().int().min(1).default(8),
      stepBackoffMs: durationMs.default(1000),
      pollDelayMs: durationMs.default(1000),
      /** How long one run of a waiting step watches before it re-arms; keep it well under the lock duration. */
      rolloutWaitMs: durationMs.default(20_000),
      stepConcurrency: z.number().int().min(1).default(8),
      lockDurationMs: durationMs.default(30_000),
      stalledIntervalMs: durationMs.default(30_000),
      outboxSweepMs: durationMs.default(5_000),
      /** How often open requests are checked for jobs lost from Redis (FLUSHALL, a replaced instance). */
      reconcileMs: durationMs.default(30_000),
      /** On SIGTERM, how long running steps may take to finish before the process leaves anyway. */
      shutdownGraceMs: durationMs.default(10_000),
    })
    .prefault({}),
});

export type Config = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;

/** Reads the environment (and the YAML file it names) into a validated Config, or says exactly what is wrong. */
export function loadConfig(
  env: NodeJS.ProcessEnv,
  readFile: (path: string) => string = (p) => readFileSync(p, 'utf8'),
): Config {
  const file = env.SGOPS_CONFIG ? (parseYaml(readFile(env.SGOPS_CONFIG)) as Record<string, unknown>) : {};
  const merged = structuredClone(file ?? {}) as Record<string, Record<string, unknown>>;
  const set = (section: string, key: string, value: string | undefined) => {
    if (value === undefined || value === '') return;
    merged[section] = { ...(merged[section] ?? {}), [key]: value };
  };
  set('redis', 'url', env.REDIS_URL);
  if (env.DATABASE_URL) merged.database = { kind: 'pg', url: env.DATABASE_URL };
  set('tencentcloud', 'secretId', env.TENCENTCLOUD_SECRET_ID);
  set('tencentcloud', 'secretKey', env.TENCENTCLOUD_SECRET_KEY);
  set('tencentcloud', 'token', env.TENCENTCLOUD_SESSION_TOKEN);
  set('tencentcloud', 'region', env.TENCENTCLOUD_REGION);
  set('tencentcloud', 'endpoint', env.TENCENTCLOUD_ENDPOINT);
  set('kubernetes', 'kubeconfig', env.KUBECONFIG);
  set('audit', 'key', env.SGOPS_AUDIT_KEY);
  set('audit', 'checkpointPath', env.SGOPS_AUDIT_CHECKPOINT);
  set('defaults', 'clusterId', env.SGOPS_DEFAULT_CLUSTER);
  set('slack', 'signingSecret', env.SLACK_SIGNING_SECRET);
  set('slack', 'botToken', env.SLACK_BOT_TOKEN);
  set('wecom', 'corpSecret', env.WECOM_CORP_SECRET);
  set('wecom', 'token', env.WECOM_TOKEN);
  set('wecom', 'encodingAESKey', env.WECOM_ENCODING_AES_KEY);
  if (env.LOG_LEVEL) (merged as Record<string, unknown>).logLevel = env.LOG_LEVEL;
  return parseConfig(merged);
}

export function parseConfig(input: unknown): Config {
  const result = configSchema.safeParse(input);
  if (!result.success) {
    const problems = result.error.issues
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    throw new AppError('CONFIG_INVALID', `The configuration is invalid: ${problems}.`, {
      hint: 'Fix the named settings in the SGOPS_CONFIG file or the environment (see docs/operator-guide.md).',
    });
  }
  return result.data;
}
