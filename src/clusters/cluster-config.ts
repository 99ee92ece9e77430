/**
 * Which clusters sgops serves, and through which Tencent Cloud account each is reached. The single
 * `tencentcloud` and `kubernetes` blocks of older files are shorthand for one account named
 * `default` and one cluster, `defaults.clusterId`; resolveClusters turns either form into the full
 * one, or says which setting is wrong.
 */
import { z } from 'zod';
import { isClusterId } from '../domain/is-cluster-id.ts';
import type { TencentCredentials } from '../config.ts';

/** How sgops reaches one cluster's API server (nothing set: in-cluster, or KUBECONFIG). */
export const kubernetesAccessSchema = z
  .object({
    server: z.string().url().optional(),
    token: z.string().optional(),
    kubeconfig: z.string().optional(),
    /** Ask TKE for the kubeconfig (DescribeClusterKubeconfig), signed as the cluster's account. */
    fromCloud: z.boolean().optional(),
    /** With fromCloud: the kubeconfig of the public endpoint rather than the VPC one. */
    extranet: z.boolean().optional(),
  })
  .superRefine((access, ctx) => {
    if (access.fromCloud)
      for (const key of ['server', 'token', 'kubeconfig'] as const)
        if (access[key] !== undefined)
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message: 'not with fromCloud: TKE gives the kubeconfig',
          });
    if (access.extranet !== undefined && !access.fromCloud)
      ctx.addIssue({ code: 'custom', path: ['extranet'], message: 'only with fromCloud: true' });
  });
export type KubernetesAccess = z.infer<typeof kubernetesAccessSchema>;

/** Keyed by cluster id (checked in resolveClusters, where the message can say what an id looks like). */
export const clustersSchema = z.record(
  z.string(),
  z.object({
    /** A name under tencentcloud.accounts; default `default`, or the only account there is. */
    account: z.string().min(1).optional(),
    /** Default: the account's region. */
    region: z.string().min(1).optional(),
    /** Required but for the default cluster, which may use the top-level `kubernetes` block. */
    kubernetes: kubernetesAccessSchema.optional(),
  }),
);

export interface RateLimitSettings {
  enabled: boolean;
  maxWaitMs: number;
}
export interface CallRetrySettings {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** One Tencent Cloud account: how sgops signs in, and where, unless a cluster names its own region. */
export interface TencentAccount {
  credentials: TencentCredentials;
  region?: string | undefined;
  endpoint?: string | undefined;
  rateLimit: RateLimitSettings;
  callRetries: CallRetrySettings;
}

export interface ClusterSettings {
  account: string;
  region: string;
  kubernetes: KubernetesAccess;
}

/** What the schema gives resolveClusters: both forms, as written. */
export interface ClusterConfigInput {
  tencentcloud: {
    credentials?: TencentCredentials | undefined;
    region?: string | undefined;
    endpoint?: string | undefined;
    rateLimit: RateLimitSettings;
    callRetries: CallRetrySettings;
    accounts?: Record<
      string,
      Partial<Omit<TencentAccount, 'credentials'>> & { credentials: TencentCredentials }
    >;
  };
  kubernetes: KubernetesAccess;
  clusters?: z.infer<typeof clustersSchema> | undefined;
  defaults: { clusterId: string };
}

export interface ConfigIssue {
  path: string;
  message: string;
}

export type ResolvedClusters =
  | { ok: true; accounts: Record<string, TencentAccount>; clusters: Record<string, ClusterSettings> }
  | { ok: false; issues: ConfigIssue[] };

const isEmpty = (access: KubernetesAccess) => Object.values(access).every((v) => v === undefined);

export function resolveClusters(input: ClusterConfigInput): ResolvedClusters {
  const issues: ConfigIssue[] = [];
  const top = input.tencentcloud;
  const accounts: Record<string, TencentAccount> = {};
  for (const [name, account] of Object.entries(top.accounts ?? {}))
    accounts[name] = {
      credentials: account.credentials,
      region: account.region,
      endpoint: account.endpoint,
      rateLimit: account.rateLimit ?? top.rateLimit,
      callRetries: account.callRetries ?? top.callRetries,
    };
  // The top-level credentials (and TENCENTCLOUD_SECRET_ID/KEY) are the account `default`.
  if (top.credentials !== undefined) {
    if (accounts.default !== undefined)
      issues.push({
        path: 'tencentcloud.accounts.default',
        message:
          'also given by tencentcloud.credentials (or TENCENTCLOUD_SECRET_ID/KEY): name this account otherwise, or drop one',
      });
    accounts.default = {
      credentials: top.credentials,
      region: top.region,
      endpoint: top.endpoint,
      rateLimit: top.rateLimit,
      callRetries: top.callRetries,
    };
  }
  const accountNames = Object.keys(accounts);
  if (accountNames.length === 0)
    issues.push({
      path: 'tencentcloud.accounts',
      message: 'required: at least one account (or tencentcloud.credentials)',
    });

  const defaultId = input.defaults.clusterId;
  const shorthand = input.clusters === undefined;
  const written = input.clusters ?? { [defaultId]: {} };
  if (!shorthand && !(defaultId in written))
    issues.push({
      path: 'defaults.clusterId',
      message: `${defaultId} is not one of the configured clusters (${Object.keys(written).join(', ')})`,
    });
  if (!shorthand && !isEmpty(input.kubernetes) && written[defaultId]?.kubernetes !== undefined)
    issues.push({
      path: 'kubernetes',
      message: `also given by clusters.${defaultId}.kubernetes (or KUBECONFIG): keep one`,
    });

  const clusters: Record<string, ClusterSettings> = {};
  for (const [id, cluster] of Object.entries(written)) {
    const at = `clusters.${id}`;
    if (!shorthand && !isClusterId(id)) {
      issues.push({ path: at, message: 'not a TKE cluster id (cls- and 8 lower-case letters or digits)' });
      continue;
    }
    const accountName =
      cluster.account ??
      (accounts.default !== undefined || accountNames.length !== 1 ? 'default' : accountNames[0]!);
    const account = accounts[accountName];
    if (account === undefined) {
      if (accountNames.length > 0)
        issues.push({
          path: `${at}.account`,
          message: `unknown account "${accountName}" (tencentcloud.accounts has ${accountNames.join(', ')})`,
        });
      continue;
    }
    const region = cluster.region ?? account.region;
    if (region === undefined) {
      issues.push(
        shorthand || (accountName === 'default' && top.credentials !== undefined && top.region === undefined)
          ? { path: 'tencentcloud.region', message: 'required: region (or TENCENTCLOUD_REGION)' }
          : {
              path: `${at}.region`,
              message: `required: the cluster's region (account ${accountName} names none)`,
            },
      );
      continue;
    }
    const kubernetes = cluster.kubernetes ?? (id === defaultId ? input.kubernetes : undefined);
    if (kubernetes === undefined) {
      issues.push({
        path: `${at}.kubernetes`,
        message: 'required but for the default cluster: server and token, kubeconfig, or fromCloud: true',
      });
      continue;
    }
    clusters[id] = { account: accountName, region, kubernetes };
  }
  if (issues.length === 0) return { ok: true, accounts, clusters };
  // One missing top-level region is one problem, however many clusters it leaves without one.
  const unique = new Map(issues.map((i) => [`${i.path}\n${i.message}`, i]));
  return { ok: false, issues: [...unique.values()] };
}
