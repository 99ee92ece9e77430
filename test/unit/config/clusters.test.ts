import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { parseConfig } from '../../../src/config.ts';
import type { Config } from '../../../src/config.ts';
import { configFromYaml, policyAndAuditKey } from '../../helpers/config-from-yaml.ts';
import { configRefusal } from '../../helpers/config-refusal.ts';

const common = policyAndAuditKey;
const eastKeys = { kind: 'secret', secretId: 'AKIDeast', secretKey: 'east-key' } as const;
const northKeys = { kind: 'secret', secretId: 'AKIDnorth', secretKey: 'north-key' } as const;

/** Two clusters in two regions under two accounts, the second's kubeconfig from TKE. */
const twoClusters = {
  tencentcloud: {
    accounts: {
      east: { credentials: eastKeys, region: 'ap-guangzhou' },
      north: {
        credentials: northKeys,
        region: 'ap-beijing',
        endpoint: 'http://127.0.0.1:7701',
        callRetries: { attempts: 2 },
      },
    },
    rateLimit: { maxWaitMs: 3000 },
  },
  clusters: {
    'cls-aaaaaaaa': { account: 'east', kubernetes: { server: 'https://10.0.0.1', token: 'east-kube-token' } },
    'cls-bbbbbbbb': { account: 'north', region: 'ap-shanghai', kubernetes: { fromCloud: true } },
  },
  defaults: { clusterId: 'cls-aaaaaaaa' },
  ...common,
};

const withClusters = (changes: Record<string, unknown>) => ({ ...twoClusters, ...changes });

describe('the single tencentcloud and kubernetes blocks, as shorthand', () => {
  it('are one account named default and one cluster, defaults.clusterId, and read as before', () => {
    const config = parseConfig({
      tencentcloud: {
        secretId: 'AKIDone',
        secretKey: 'one-key',
        region: 'ap-guangzhou',
        endpoint: 'http://127.0.0.1:7701',
      },
      kubernetes: { server: 'http://127.0.0.1:7702' },
      defaults: { clusterId: 'cls-sandbox1' },
      ...common,
    });
    // What older code and configurations read is where it always was.
    expect(config.tencentcloud).toMatchObject({
      credentials: { kind: 'secret', secretId: 'AKIDone', secretKey: 'one-key' },
      region: 'ap-guangzhou',
      endpoint: 'http://127.0.0.1:7701',
    });
    expect(config.kubernetes).toEqual({ server: 'http://127.0.0.1:7702' });
    expect(config.tencentcloud.accounts).toEqual({
      default: {
        credentials: { kind: 'secret', secretId: 'AKIDone', secretKey: 'one-key' },
        region: 'ap-guangzhou',
        endpoint: 'http://127.0.0.1:7701',
        rateLimit: { enabled: true, maxWaitMs: 10_000 },
        callRetries: { attempts: 6, baseDelayMs: 200, maxDelayMs: 5_000 },
      },
    });
    expect(config.clusters).toEqual({
      'cls-sandbox1': {
        account: 'default',
        region: 'ap-guangzhou',
        kubernetes: { server: 'http://127.0.0.1:7702' },
      },
    });
  });

  it('give every Tencent Cloud call a 10 s deadline unless callTimeoutMs says otherwise', () => {
    const block = { ...northKeys, region: 'ap-beijing' };
    const base = { defaults: { clusterId: 'cls-a1b2c3d4' }, ...common };
    expect(parseConfig({ tencentcloud: block, ...base }).tencentcloud.callTimeoutMs).toBe(10_000);
    expect(
      parseConfig({ tencentcloud: { ...block, callTimeoutMs: 400 }, ...base }).tencentcloud.callTimeoutMs,
    ).toBe(400);
    expect(
      configRefusal(() => parseConfig({ tencentcloud: { ...block, callTimeoutMs: 0 }, ...base })).message,
    ).toContain('tencentcloud.callTimeoutMs');
  });

  it('come from the same environment variables as before', () => {
    const config = configFromYaml(
      { policy: {} },
      {
        TENCENTCLOUD_SECRET_ID: 'AKIDenv',
        TENCENTCLOUD_SECRET_KEY: 'env-key',
        TENCENTCLOUD_REGION: 'ap-shanghai',
        KUBECONFIG: '/etc/sgops/kubeconfig',
        SGOPS_DEFAULT_CLUSTER: 'cls-a1b2c3d4',
        SGOPS_AUDIT_KEY: common.audit.key,
      },
    );
    expect(config.clusters).toEqual({
      'cls-a1b2c3d4': {
        account: 'default',
        region: 'ap-shanghai',
        kubernetes: { kubeconfig: '/etc/sgops/kubeconfig' },
      },
    });
    expect(config.tencentcloud.accounts.default?.credentials).toEqual({
      kind: 'secret',
      secretId: 'AKIDenv',
      secretKey: 'env-key',
    });
  });

  it('leave kubernetes empty for in-cluster access, as before', () => {
    const config = parseConfig({
      tencentcloud: { ...northKeys, region: 'ap-beijing' },
      defaults: { clusterId: 'cls-a1b2c3d4' },
      ...common,
    });
    expect(config.kubernetes).toEqual({});
    expect(config.clusters['cls-a1b2c3d4']?.kubernetes).toEqual({});
  });

  it('still say which region is missing in the single-block terms', () => {
    const error = configRefusal(() =>
      parseConfig({ tencentcloud: { ...eastKeys }, defaults: { clusterId: 'cls-a1b2c3d4' }, ...common }),
    );
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain('tencentcloud.region: required');
  });
});

describe('several accounts, regions and clusters in one configuration', () => {
  it('gives each cluster its account, its region and its own access', () => {
    const config: Config = parseConfig(twoClusters);
    expect(config.clusters).toEqual({
      'cls-aaaaaaaa': {
        account: 'east',
        region: 'ap-guangzhou',
        kubernetes: { server: 'https://10.0.0.1', token: 'east-kube-token' },
      },
      'cls-bbbbbbbb': { account: 'north', region: 'ap-shanghai', kubernetes: { fromCloud: true } },
    });
  });

  it("fills an account's unset limits from the block's, and keeps those it sets", () => {
    const { accounts } = parseConfig(twoClusters).tencentcloud;
    expect(accounts.east?.rateLimit).toEqual({ enabled: true, maxWaitMs: 3000 });
    expect(accounts.east?.callRetries).toEqual({ attempts: 6, baseDelayMs: 200, maxDelayMs: 5_000 });
    expect(accounts.north?.callRetries).toEqual({ attempts: 2, baseDelayMs: 200, maxDelayMs: 5_000 });
    expect(accounts.north?.endpoint).toBe('http://127.0.0.1:7701');
    expect(Object.keys(accounts)).toEqual(['east', 'north']);
  });

  it("takes the only account when a cluster names none, and the account's region when it names none", () => {
    const config = parseConfig({
      tencentcloud: { accounts: { prod: { credentials: eastKeys, region: 'ap-guangzhou' } } },
      clusters: { 'cls-aaaaaaaa': { kubernetes: { kubeconfig: '/k/a' } } },
      defaults: { clusterId: 'cls-aaaaaaaa' },
      ...common,
    });
    expect(config.clusters['cls-aaaaaaaa']).toEqual({
      account: 'prod',
      region: 'ap-guangzhou',
      kubernetes: { kubeconfig: '/k/a' },
    });
  });

  it('lets the default cluster use the top-level kubernetes block (and KUBECONFIG)', () => {
    const config = configFromYaml(
      withClusters({
        clusters: {
          'cls-aaaaaaaa': { account: 'east' },
          'cls-bbbbbbbb': { account: 'north', kubernetes: { fromCloud: true, extranet: true } },
        },
      }),
      { KUBECONFIG: '/etc/sgops/kubeconfig-a' },
    );
    expect(config.clusters['cls-aaaaaaaa']?.kubernetes).toEqual({ kubeconfig: '/etc/sgops/kubeconfig-a' });
    expect(config.clusters['cls-bbbbbbbb']?.kubernetes).toEqual({ fromCloud: true, extranet: true });
  });

  it('keeps the top-level keys as the account named default beside the others', () => {
    const config = parseConfig({
      ...twoClusters,
      tencentcloud: {
        ...twoClusters.tencentcloud,
        secretId: 'AKIDdefault',
        secretKey: 'k',
        region: 'ap-nanjing',
      },
      clusters: { ...twoClusters.clusters, 'cls-cccccccc': { kubernetes: { fromCloud: true } } },
    });
    expect(Object.keys(config.tencentcloud.accounts).sort()).toEqual(['default', 'east', 'north']);
    expect(config.clusters['cls-cccccccc']).toMatchObject({ account: 'default', region: 'ap-nanjing' });
  });

  it('fills oidc accounts from what the TKE pod-identity webhook injects', () => {
    const config = configFromYaml(
      withClusters({
        tencentcloud: {
          accounts: {
            east: { credentials: { kind: 'oidc' }, region: 'ap-guangzhou' },
            north: {
              credentials: { kind: 'oidc', roleArn: 'qcs::cam::uin/200000000002:roleName/sgops' },
              region: 'ap-beijing',
            },
          },
        },
      }),
      {
        TKE_ROLE_ARN: 'qcs::cam::uin/100000000001:roleName/sgops',
        TKE_PROVIDER_ID: 'cls-aaaaaaaa',
        TKE_WEB_IDENTITY_TOKEN_FILE: '/var/run/secrets/tke/token',
      },
    );
    expect(config.tencentcloud.accounts.east?.credentials).toMatchObject({
      kind: 'oidc',
      roleArn: 'qcs::cam::uin/100000000001:roleName/sgops',
      tokenFile: '/var/run/secrets/tke/token',
    });
    expect(config.tencentcloud.accounts.north?.credentials).toMatchObject({
      roleArn: 'qcs::cam::uin/200000000002:roleName/sgops',
      providerId: 'cls-aaaaaaaa',
    });
  });
});

describe('a configuration of several clusters that does not hold together', () => {
  it('refuses a cluster naming an unknown account, with its path and the accounts there are', () => {
    const error = configRefusal(() =>
      parseConfig(
        withClusters({
          clusters: {
            ...twoClusters.clusters,
            'cls-bbbbbbbb': { account: 'south', kubernetes: { fromCloud: true } },
          },
        }),
      ),
    );
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain('clusters.cls-bbbbbbbb.account: unknown account "south"');
    expect(error.message).toContain('east, north');
  });

  it('refuses a cluster naming no account when there is no default and more than one', () => {
    const error = configRefusal(() =>
      parseConfig(
        withClusters({
          clusters: { ...twoClusters.clusters, 'cls-bbbbbbbb': { kubernetes: { fromCloud: true } } },
        }),
      ),
    );
    expect(error.message).toContain('clusters.cls-bbbbbbbb.account: unknown account "default"');
  });

  it('refuses a default cluster that is not among the clusters', () => {
    const error = configRefusal(() => parseConfig(withClusters({ defaults: { clusterId: 'cls-cccccccc' } })));
    expect(error.message).toContain('defaults.clusterId: cls-cccccccc is not one of the configured clusters');
  });

  it('refuses a cluster other than the default without its own access', () => {
    const error = configRefusal(() =>
      parseConfig(
        withClusters({ clusters: { ...twoClusters.clusters, 'cls-bbbbbbbb': { account: 'north' } } }),
      ),
    );
    expect(error.message).toContain('clusters.cls-bbbbbbbb.kubernetes: required');
  });

  it('refuses a cluster without a region when its account names none', () => {
    const error = configRefusal(() =>
      parseConfig(
        withClusters({
          tencentcloud: {
            accounts: { ...twoClusters.tencentcloud.accounts, north: { credentials: northKeys } },
          },
          clusters: {
            ...twoClusters.clusters,
            'cls-bbbbbbbb': { account: 'north', kubernetes: { fromCloud: true } },
          },
        }),
      ),
    );
    expect(error.message).toContain("clusters.cls-bbbbbbbb.region: required: the cluster's region");
  });

  it('refuses an account named default beside the top-level keys that are that account', () => {
    const error = configRefusal(() =>
      parseConfig(
        withClusters({
          tencentcloud: {
            ...eastKeys,
            region: 'ap-guangzhou',
            accounts: { default: { credentials: northKeys } },
          },
          clusters: { 'cls-aaaaaaaa': { kubernetes: { fromCloud: true } } },
        }),
      ),
    );
    expect(error.message).toContain('tencentcloud.accounts.default: also given by tencentcloud.credentials');
  });

  it('refuses the default cluster given access twice, at the top and under clusters', () => {
    const error = configRefusal(() => parseConfig(withClusters({ kubernetes: { kubeconfig: '/k' } })));
    expect(error.message).toContain('kubernetes: also given by clusters.cls-aaaaaaaa.kubernetes');
  });

  it('refuses fromCloud beside a server', () => {
    const error = configRefusal(() =>
      parseConfig(
        withClusters({
          clusters: {
            ...twoClusters.clusters,
            'cls-bbbbbbbb': { account: 'north', kubernetes: { fromCloud: true, server: 'https://x' } },
          },
        }),
      ),
    );
    expect(error.message).toContain('clusters.cls-bbbbbbbb.kubernetes.server: not with fromCloud');
  });

  it('refuses a cluster keyed by anything but a TKE cluster id', () => {
    const error = configRefusal(() =>
      parseConfig(
        withClusters({
          clusters: {
            ...twoClusters.clusters,
            'prod-cluster': { account: 'east', kubernetes: { kubeconfig: '/k' } },
          },
        }),
      ),
    );
    expect(error.message).toContain('clusters.prod-cluster: not a TKE cluster id');
  });

  it('refuses incomplete account credentials with their path, as the single block does', () => {
    const error = configRefusal(() =>
      parseConfig(
        withClusters({
          tencentcloud: {
            accounts: { ...twoClusters.tencentcloud.accounts, north: { credentials: { kind: 'secret' } } },
          },
        }),
      ),
    );
    expect(error.message).toContain('tencentcloud.accounts.north.credentials.secretId: required');
  });
});

describe('the operator guide', () => {
  it('shows two clusters in two regions under two accounts in a configuration sgops accepts', () => {
    const guide = readFileSync(path.resolve(import.meta.dirname, '../../../docs/operator-guide.md'), 'utf8');
    const section = guide.slice(guide.indexOf('\n## Several clusters, regions and accounts\n'));
    const example = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
    expect(example).toBeDefined();
    const config = parseConfig({ ...(parseYaml(example!) as object), ...common });
    expect(Object.keys(config.tencentcloud.accounts)).toHaveLength(2);
    const clusters = Object.values(config.clusters);
    expect(clusters).toHaveLength(2);
    expect(new Set(clusters.map((c) => c.account)).size).toBe(2);
    expect(new Set(clusters.map((c) => c.region)).size).toBe(2);
    expect(clusters.some((c) => c.kubernetes.fromCloud)).toBe(true);
  });
});
