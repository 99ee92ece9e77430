import { describe, expect, it } from 'vitest';
import { parseConfig, type Config } from '../../../src/config.ts';
import { secretsOf } from '../../../src/config-secrets.ts';
import { completeConfig, configFromYaml } from '../../helpers/config-from-yaml.ts';
import { configRefusal } from '../../helpers/config-refusal.ts';

const roleArn = 'qcs::cam::uin/100000000001:roleName/sgops';

/** A complete configuration but for the Tencent Cloud section, which each test writes. */
function load(tencentcloud: Record<string, unknown>, env: Record<string, string> = {}): Config {
  return configFromYaml(
    { ...completeConfig, tencentcloud: { region: 'ap-guangzhou', ...tencentcloud } },
    env,
  );
}

const tkeEnv = {
  TKE_ROLE_ARN: roleArn,
  TKE_PROVIDER_ID: 'cls-a1b2c3d4',
  TKE_WEB_IDENTITY_TOKEN_FILE: '/var/run/secrets/tke.cloud.tencent.com/serviceaccount/token',
  TKE_REGION: 'ap-shanghai',
};

describe('Tencent Cloud credentials in the configuration', () => {
  it('reads the flat secretId/secretKey/token of older files as secret credentials', () => {
    const config = parseConfig({
      tencentcloud: {
        secretId: 'AKIDflat',
        secretKey: 'flat-key',
        token: 'sts-token',
        region: 'ap-guangzhou',
      },
      kubernetes: {},
      defaults: { clusterId: 'cls-a1b2c3d4' },
      policy: {},
      audit: { key: 'audit-key-0123456789abcdef' },
    });
    expect(config.tencentcloud.credentials).toEqual({
      kind: 'secret',
      secretId: 'AKIDflat',
      secretKey: 'flat-key',
      token: 'sts-token',
    });
    expect(secretsOf(config.tencentcloud.credentials)).toEqual(['AKIDflat', 'flat-key', 'sts-token']);
  });

  it('takes secret credentials from TENCENTCLOUD_SECRET_ID/KEY/SESSION_TOKEN when the file names none', () => {
    const config = load(
      {},
      {
        TENCENTCLOUD_SECRET_ID: 'AKIDenv',
        TENCENTCLOUD_SECRET_KEY: 'env-key',
        TENCENTCLOUD_SESSION_TOKEN: 'env-token',
      },
    );
    expect(config.tencentcloud.credentials).toEqual({
      kind: 'secret',
      secretId: 'AKIDenv',
      secretKey: 'env-key',
      token: 'env-token',
    });
  });

  it('lets the environment win over the keys written in the file', () => {
    const config = load(
      { credentials: { kind: 'secret', secretId: 'AKIDfile', secretKey: 'file-key' } },
      { TENCENTCLOUD_SECRET_ID: 'AKIDenv', TENCENTCLOUD_SECRET_KEY: 'env-key' },
    );
    expect(config.tencentcloud.credentials).toMatchObject({ secretId: 'AKIDenv', secretKey: 'env-key' });
  });

  it('assumes a role named in the file with the keys of the environment', () => {
    const config = load(
      { credentials: { kind: 'assumeRole', roleArn, durationSeconds: 3600 } },
      { TENCENTCLOUD_SECRET_ID: 'AKIDbase', TENCENTCLOUD_SECRET_KEY: 'base-key' },
    );
    expect(config.tencentcloud.credentials).toEqual({
      kind: 'assumeRole',
      roleArn,
      roleSessionName: 'sgops',
      durationSeconds: 3600,
      secretId: 'AKIDbase',
      secretKey: 'base-key',
    });
    expect(secretsOf(config.tencentcloud.credentials)).toEqual(['AKIDbase', 'base-key']);
  });

  it('refuses to assume a role without the keys to ask with, naming the variable', () => {
    const error = configRefusal(() => load({ credentials: { kind: 'assumeRole', roleArn } }));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain('tencentcloud.credentials.secretId');
    expect(error.message).toContain('TENCENTCLOUD_SECRET_ID');
  });

  it('refuses a session longer than the 12 hours STS grants', () => {
    const error = configRefusal(() =>
      load({
        credentials: { kind: 'assumeRole', roleArn, durationSeconds: 43_201, secretId: 'a', secretKey: 'b' },
      }),
    );
    expect(error.message).toContain('tencentcloud.credentials.durationSeconds');
  });

  it('fills oidc credentials from what the TKE pod-identity webhook injects', () => {
    const config = load({ credentials: { kind: 'oidc' } }, tkeEnv);
    expect(config.tencentcloud.credentials).toEqual({
      kind: 'oidc',
      roleArn,
      providerId: 'cls-a1b2c3d4',
      tokenFile: tkeEnv.TKE_WEB_IDENTITY_TOKEN_FILE,
      region: 'ap-shanghai',
      roleSessionName: 'sgops',
    });
    expect(secretsOf(config.tencentcloud.credentials)).toEqual([]);
  });

  it('keeps what the file says about oidc over the injected defaults', () => {
    const config = load(
      { credentials: { kind: 'oidc', tokenFile: '/tokens/tc', roleSessionName: 'sgops-prod' } },
      tkeEnv,
    );
    expect(config.tencentcloud.credentials).toMatchObject({
      tokenFile: '/tokens/tc',
      roleSessionName: 'sgops-prod',
      roleArn,
    });
  });

  it('ignores TKE_* unless the credentials are oidc', () => {
    const config = load({}, { ...tkeEnv, TENCENTCLOUD_SECRET_ID: 'AKIDenv', TENCENTCLOUD_SECRET_KEY: 'k' });
    expect(config.tencentcloud.credentials?.kind).toBe('secret');
  });

  it('refuses oidc outside a pod with workload identity, naming each missing variable', () => {
    const error = configRefusal(() => load({ credentials: { kind: 'oidc' } }));
    for (const variable of ['TKE_ROLE_ARN', 'TKE_PROVIDER_ID', 'TKE_WEB_IDENTITY_TOKEN_FILE'])
      expect(error.message).toContain(variable);
  });

  it('refuses permanent keys left beside oidc credentials rather than ignore them', () => {
    const error = configRefusal(() =>
      load(
        { credentials: { kind: 'oidc' } },
        { ...tkeEnv, TENCENTCLOUD_SECRET_ID: 'AKIDleft', TENCENTCLOUD_SECRET_KEY: 'k' },
      ),
    );
    expect(error.message).toContain('tencentcloud.credentials.secretId');
    expect(error.message).toContain('oidc');
  });

  it('refuses a kind it does not know', () => {
    const error = configRefusal(() => load({ credentials: { kind: 'cvmRole' } }));
    expect(error.message).toContain('tencentcloud.credentials.kind');
  });
});
