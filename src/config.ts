/**
 * The only reader of process.env and config files. Everything else receives a validated Config.
 * Precedence: environment variables over the YAML file named by SGOPS_CONFIG (or --config).
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { AppError } from './errors.ts';
import { policyConfigSchema, type PolicyConfig } from './policy/policy-config.ts';
// Each chat platform declares its own section; the registry in the composition root lists them.
import { chatPlatformEnv, chatPlatformSections } from './app/chat-platform-configs.ts';
import {
  clustersSchema,
  kubernetesAccessSchema,
  resolveClusters,
  type ClusterSettings,
  type TencentAccount,
} from './clusters/cluster-config.ts';

const durationMs = z.number().int().positive();

const requiredText = (what: string) =>
  z.string({ error: `required: ${what}` }).min(1, { error: `required: ${what}` });
const secretKeys = {
  secretId: requiredText('secretId (or TENCENTCLOUD_SECRET_ID)'),
  secretKey: requiredText('secretKey (or TENCENTCLOUD_SECRET_KEY)'),
  /** Only with temporary keys (TENCENTCLOUD_SESSION_TOKEN). */
  token: z.string().min(1).optional(),
};
const roleSessionName = z
  .string()
  .regex(/^[\w+=,.@-]{2,128}$/)
  .default('sgops');
const stsDurationSeconds = z.number().int().min(1).max(43_200).optional();
/** Keys lying around beside oidc credentials are refused rather than silently unused. */
const unusedKeys = z
  .never({ error: 'remove it (and TENCENTCLOUD_SECRET_ID/KEY/SESSION_TOKEN): these credentials are oidc' })
  .optional();

/**
 * How sgops signs Tencent Cloud calls: permanent keys; a role assumed with them (sts:AssumeRole);
 * or a role assumed with the pod's projected OIDC token (TKE workload identity). The oidc fields
 * default to what TKE's pod-identity webhook injects (TKE_*), read in loadConfig below.
 */
export const tencentCredentialsSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('secret'), ...secretKeys }),
  z.object({
    kind: z.literal('assumeRole'),
    roleArn: requiredText('roleArn'),
    roleSessionName,
    durationSeconds: stsDurationSeconds,
    externalId: z.string().min(1).optional(),
    ...secretKeys,
  }),
  z.object({
    kind: z.literal('oidc'),
    roleArn: requiredText('roleArn (or TKE_ROLE_ARN)'),
    providerId: requiredText('providerId (or TKE_PROVIDER_ID)'),
    tokenFile: requiredText('tokenFile (or TKE_WEB_IDENTITY_TOKEN_FILE)'),
    /** Region of the STS call (TKE_REGION); the account's region when absent. */
    region: z.string().min(1).optional(),
    roleSessionName,
    durationSeconds: stsDurationSeconds,
    secretId: unusedKeys,
    secretKey: unusedKeys,
    token: unusedKeys,
  }),
]);
export type TencentCredentials = z.infer<typeof tencentCredentialsSchema>;

/**
 * The flat `secretId`/`secretKey`/`token` (the older form, and TENCENTCLOUD_SECRET_ID/KEY/SESSION_TOKEN)
 * are shorthand: alone they are `credentials: {kind: secret}`; beside a secret or assumeRole
 * `credentials` they are its keys and win; beside oidc they are refused, as keys nobody uses.
 */
function withCredentials(input: unknown): unknown {
  if (typeof input !== 'object' || input === null) return input;
  const { secretId, secretKey, token, credentials, ...rest } = input as Record<string, unknown>;
  const flat = Object.fromEntries(
    Object.entries({ secretId, secretKey, token }).filter(([, v]) => v !== undefined && v !== ''),
  );
  if (credentials === undefined) return { ...rest, credentials: { kind: 'secret', ...flat } };
  const kind = (credentials as { kind?: unknown } | null)?.kind;
  if (kind !== 'secret' && kind !== 'assumeRole' && kind !== 'oidc') return { ...rest, credentials };
  return { ...rest, credentials: { ...(credentials as object), ...flat } };
}

/** Stay under each action's documented requests/second, shared by every replica through Redis. */
const rateLimitSettings = z.object({
  enabled: z.boolean().default(true),
  maxWaitMs: durationMs.default(10_000),
});
/** Single-call retries (reads on any retryable error, writes only when throttled). */
const callRetrySettings = z.object({
  attempts: z.number().int().min(1).default(6),
  baseDelayMs: durationMs.default(200),
  maxDelayMs: durationMs.default(5_000),
});

/** One more Tencent Cloud account (`tencentcloud.accounts.<name>`); unset limits are the block's. */
const tencentAccountSettings = z.object({
  credentials: tencentCredentialsSchema,
  region: z.string().min(1).optional(),
  endpoint: z.string().url().optional(),
  rateLimit: rateLimitSettings.optional(),
  callRetries: callRetrySettings.optional(),
});

const tencentcloudSettings = z.object({
  /** The account `default`; optional only beside `accounts`. */
  credentials: tencentCredentialsSchema.optional(),
  region: z.string().min(1).optional(),
  /** For the emulator or a private endpoint; default is Tencent Cloud's public endpoints. */
  endpoint: z.string().url().optional(),
  /** Several accounts by name, each cluster naming its own (see `clusters`). */
  accounts: z
    .record(
      z.string().min(1),
      z.preprocess((input: unknown) => withCredentials(input), tencentAccountSettings),
    )
    .optional(),
  clusterGroupNameTemplate: z.string().default('tke-worker-security-for-{clusterId}'),
  rateLimit: rateLimitSettings.prefault({}),
  callRetries: callRetrySettings.prefault({}),
  /** Every account's deadline per Tencent Cloud call; a write past it is of unknown outcome. */
  callTimeoutMs: durationMs.default(10_000),
  /**
   * How long the cluster, add-on, super-node and quota reads one grant makes are shared with the
   * next grants of the same account and region (0: never); see docs/operator-guide.md.
   */
  readCacheTtlMs: z.number().int().min(0).default(5_000),
  addonName: z.string().default('securitygrouppolicy'),
});

/** Beside `accounts`, the block holds credentials only when some are written (or in the environment). */
function withDefaultAccount(input: unknown): unknown {
  if (typeof input !== 'object' || input === null || !('accounts' in input)) return withCredentials(input);
  const { credentials, secretId, secretKey, token } = input as Record<string, unknown>;
  const given = [credentials, secretId, secretKey, token].some((v) => v !== undefined && v !== '');
  return given ? withCredentials(input) : input;
}

/** What a file or a test may write: `credentials` (possibly completed from the environment) or the flat keys. */
export type TencentcloudInput = Omit<z.input<typeof tencentcloudSettings>, 'credentials' | 'accounts'> & {
  credentials?: Partial<z.input<typeof tencentCredentialsSchema>> & { kind: TencentCredentials['kind'] };
  secretId?: string;
  secretKey?: string;
  token?: string;
  accounts?: Record<string, Omit<TencentcloudInput, 'accounts' | 'clusterGroupNameTemplate' | 'addonName'>>;
};

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
  tencentcloud: z.preprocess((input: TencentcloudInput) => withDefaultAccount(input), tencentcloudSettings),
  /** The default cluster's access, unless `clusters` names it (empty: in-cluster). */
  kubernetes: kubernetesAccessSchema.prefault({}),
  /** Every cluster sgops serves and the account it is reached through; absent: defaults.clusterId alone. */
  clusters: clustersSchema.optional(),
  http: z
    .object({
      host: z.string().default('127.0.0.1'),
      /** 0 picks a free port; absent means no HTTP server (workers only). */
      port: z.number().int().min(0).max(65535).optional(),
      /**
       * Answer only requests whose Host is 127.0.0.1, localhost or [::1] (any port), so a web page
       * cannot drive the server by DNS rebinding. The sandbox sets it; behind an ingress leave it off.
       */
      loopbackHostsOnly: z.boolean().optional(),
      /** When `port` is taken, listen on any free one instead of failing (the sandbox, whose links follow). */
      anyPortIfTaken: z.boolean().optional(),
    })
    .prefault({}),
  /**
   * Prometheus metrics at /metrics: on the HTTP port, or only on `port` (its own listener on
   * http.host); `token` (SGOPS_METRICS_TOKEN) makes a scrape send `Authorization: Bearer <token>`.
   */
  metrics: z
    .object({
      port: z.number().int().min(0).max(65535).optional(),
      token: z.string().min(24, 'the metrics token must be at least 24 characters').optional(),
    })
    .prefault({}),
  /**
   * The web console and its chat API. `sandbox` trusts the person named in each request (loopback
   * sandbox only); `token` takes the person from a bearer token; `off` serves nothing.
   */
  console: z
    .object({
      mode: z.enum(['off', 'sandbox', 'token']).default('off'),
      /**
       * The console's address as people open it (e.g. https://sgops.example.com). Approval cards
       * too long to approve in chat link to the request there; absent, they name `status request`.
       */
      publicUrl: z.string().url().optional(),
      tokens: z.array(z.object({ token: z.string().min(24), person: z.string().min(1) })).default([]),
    })
    .prefault({}),
  /** Each chat platform's own section (`slack`, `wecom`, …); a platform is off when its section is absent. */
  ...chatPlatformSections,
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
      /** Approvers are reminded this often while a request waits (never after its timeout); 0: no reminders. */
      approvalReminderMs: z
        .number()
        .int()
        .min(0)
        .default(4 * 3600 * 1000),
      /**
       * How long before a time-bound grant ends its requester is warned. Unset: 10 % of the grant's
       * duration, at most 15 minutes. Never more than half the duration.
       */
      expiryWarningMs: durationMs.optional(),
      stepAttempts: z.number().int().min(1).default(8),
      stepBackoffMs: durationMs.default(1000),
      pollDelayMs: durationMs.default(1000),
      /** How long one run of a waiting step watches before it re-arms (its lock is renewed meanwhile). */
      rolloutWaitMs: durationMs.default(20_000),
      stepConcurrency: z.number().int().min(1).default(8),
      /**
       * Steps of one replica waiting for the same group's write turn (every grant's DNS rules go to
       * the one cluster group) share one read and one write. Off by default: the shared call is
       * audited under the first grant only, so the others' trails name no call for those rules.
       */
      batchGroupWrites: z.boolean().default(false),
      /**
       * A job's lock lives this long and is renewed every half of it; after a crash (kill -9, a lost
       * node) another replica takes the job within lockDurationMs + stalledIntervalMs (15 s). An event
       * loop that stands still for more than half of it lets a healthy replica's job be taken.
       */
      lockDurationMs: durationMs.default(10_000),
      /** How often replicas look for jobs whose lock has expired. */
      stalledIntervalMs: durationMs.default(5_000),
      outboxSweepMs: durationMs.default(5_000),
      /** How often open requests are checked for jobs lost from Redis (FLUSHALL, a replaced instance). */
      reconcileMs: durationMs.default(30_000),
      /** On SIGTERM, how long running steps may take to finish before the process leaves anyway. */
      shutdownGraceMs: durationMs.default(10_000),
    })
    .prefault({}),
  /** The drift watch: how often every grant in force is compared with the world; 0 turns it off. */
  drift: z
    .object({
      sweepMs: z
        .number()
        .int()
        .min(0)
        .default(5 * 60 * 1000),
      /**
       * Watch every cluster's SecurityGroupPolicies and pods between sweeps, to hear a change within
       * seconds. Off where sgops may not watch cluster-wide (Roles per namespace): the interval
       * sweep alone finds drift then.
       */
      watch: z.boolean().default(true),
    })
    .prefault({}),
});

type ParsedConfig = z.infer<typeof configSchema>;
/** The validated configuration, with the single-block shorthand resolved into accounts and clusters. */
export type Config = Omit<ParsedConfig, 'tencentcloud' | 'clusters' | 'policy'> & {
  /** Read as any platform's fields; createPolicy checks them against the registered chat platforms. */
  policy: PolicyConfig;
  tencentcloud: Omit<ParsedConfig['tencentcloud'], 'accounts'> & { accounts: Record<string, TencentAccount> };
  /** Every cluster sgops serves; always holds defaults.clusterId. */
  clusters: Record<string, ClusterSettings>;
};
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
  fillWorkloadIdentity(merged.tencentcloud, env);
  const accounts = (merged.tencentcloud?.accounts ?? {}) as Record<string, Record<string, unknown>>;
  for (const account of Object.values(accounts)) fillWorkloadIdentity(account, env);
  set('kubernetes', 'kubeconfig', env.KUBECONFIG);
  set('audit', 'key', env.SGOPS_AUDIT_KEY);
  set('audit', 'checkpointPath', env.SGOPS_AUDIT_CHECKPOINT);
  set('defaults', 'clusterId', env.SGOPS_DEFAULT_CLUSTER);
  set('metrics', 'token', env.SGOPS_METRICS_TOKEN);
  for (const [platform, variables] of Object.entries(chatPlatformEnv))
    for (const [key, variable] of Object.entries(variables)) set(platform, key, env[variable]);
  // Numbers from the environment: digits become a number; anything else is left for the schema to refuse.
  const setNumber = (section: string, key: string, value: string | undefined) => {
    if (value === undefined || value.trim() === '') return;
    merged[section] = {
      ...(merged[section] ?? {}),
      [key]: /^\d+$/.test(value.trim()) ? Number(value.trim()) : value,
    };
  };
  setNumber('workflow', 'approvalReminderMs', env.SGOPS_APPROVAL_REMINDER_MS);
  setNumber('workflow', 'expiryWarningMs', env.SGOPS_EXPIRY_WARNING_MS);
  setNumber('drift', 'sweepMs', env.SGOPS_DRIFT_SWEEP_MS);
  if (env.LOG_LEVEL) (merged as Record<string, unknown>).logLevel = env.LOG_LEVEL;
  return parseConfig(merged);
}

/**
 * What TKE's pod-identity webhook injects fills the oidc credentials the file leaves out. Read here,
 * never by the SDK: its no-argument OIDCRoleArnCredential would read process.env behind our back.
 */
function fillWorkloadIdentity(
  tencentcloud: Record<string, unknown> | undefined,
  env: NodeJS.ProcessEnv,
): void {
  const injected = {
    roleArn: env.TKE_ROLE_ARN,
    providerId: env.TKE_PROVIDER_ID,
    tokenFile: env.TKE_WEB_IDENTITY_TOKEN_FILE,
    region: env.TKE_REGION,
  };
  const credentials = tencentcloud?.credentials as Record<string, unknown> | undefined;
  if (credentials?.kind !== 'oidc') return;
  for (const [key, value] of Object.entries(injected))
    if (credentials[key] === undefined && value) credentials[key] = value;
}

export function parseConfig(input: unknown): Config {
  const result = configSchema.safeParse(input);
  const invalid = (problems: string) =>
    new AppError('CONFIG_INVALID', `The configuration is invalid: ${problems}.`, {
      hint: 'Fix the named settings in the SGOPS_CONFIG file or the environment (see docs/operator-guide.md).',
    });
  if (!result.success) {
    throw invalid(result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '));
  }
  // Which account each cluster uses, and the single blocks as shorthand for one of each.
  const resolved = resolveClusters(result.data);
  if (!resolved.ok) throw invalid(resolved.issues.map((i) => `${i.path}: ${i.message}`).join('; '));
  return {
    ...result.data,
    policy: result.data.policy as PolicyConfig,
    tencentcloud: { ...result.data.tencentcloud, accounts: resolved.accounts },
    clusters: resolved.clusters,
  };
}
