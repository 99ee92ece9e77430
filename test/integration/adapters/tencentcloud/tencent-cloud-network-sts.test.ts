import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { OIDCRoleArnCredential } from 'tencentcloud-sdk-nodejs/tencentcloud/common/credential.js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createCloudCredential,
  type CredentialSpec,
} from '../../../../adapters/tencentcloud/create-cloud-credential.ts';
import { createTencentCloudNetwork } from '../../../../adapters/tencentcloud/create-tencent-cloud-network.ts';
import {
  createTencentCloudEmulator,
  sandboxCloudSeed,
  type StsOptions,
  type TencentCloudEmulator,
} from '../../../../adapters/tencentcloud/emulator/index.ts';
import type { CloudNetwork } from '../../../../src/ports/cloud-network.ts';
import { appErrorOf } from '../../../helpers/app-error-of.ts';

const clusterId = 'cls-oidc0001';
const base = { secretId: 'AKIDbase', secretKey: 'base-secret' };
const roleArn = 'qcs::cam::uin/100000000001:roleName/sgops';
const projected = 'eyJhbGciOiJSUzI1NiJ9.projected-for-sgops.sig';

/** What a grant's first steps do with the cloud: read the cluster, make the pod group, write its rules. */
async function grantStyleCalls(network: CloudNetwork): Promise<void> {
  const { clusters } = await network.describeClusters([clusterId]);
  expect(clusters.map((c) => c.id)).toEqual([clusterId]);
  const { group } = await network.createSecurityGroup({
    name: `sgops-pod-${Math.random().toString(36).slice(2, 8)}`,
    description: 'pods of my-app',
    tags: { 'sgops:request': 'req-1' },
  });
  await network.createSecurityGroupPolicies({
    securityGroupId: group.id,
    direction: 'egress',
    rules: [{ protocol: 'UDP', port: '53', peer: { cidr: '10.0.0.0/8' }, action: 'ACCEPT' }],
  });
  const { ruleSet } = await network.describeSecurityGroupPolicies(group.id);
  expect(ruleSet.egress).toHaveLength(1);
}

describe('the Tencent Cloud adapter signs with temporary credentials from STS, renewed before they expire', () => {
  let emulator: TencentCloudEmulator | undefined;
  let dir: string;
  let tokenFile: string;
  let url: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sgops-oidc-'));
    tokenFile = path.join(dir, 'token');
    await writeFile(tokenFile, projected);
  });
  afterEach(async () => {
    await emulator?.stop();
    emulator = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  async function start(sts: StsOptions = {}) {
    emulator = createTencentCloudEmulator({
      credentials: [base],
      seed: sandboxCloudSeed(clusterId),
      sts: { webIdentity: { providerId: clusterId, token: projected, roleArn }, ...sts },
    });
    url = (await emulator.start()).url;
  }

  function oidc(overrides: Partial<CredentialSpec & { kind: 'oidc' }> = {}): CredentialSpec {
    return {
      kind: 'oidc',
      roleArn,
      providerId: clusterId,
      tokenFile,
      region: 'ap-guangzhou',
      roleSessionName: 'sgops',
      ...overrides,
    };
  }

  function network(spec: CredentialSpec): CloudNetwork {
    return createTencentCloudNetwork({
      credential: createCloudCredential(spec, { region: 'ap-guangzhou', endpoint: url }),
      region: 'ap-guangzhou',
      endpoint: url,
    });
  }

  /** The SecretIds of the temporary credentials the emulator issued. */
  function issuedIds(): string[] {
    return emulator!.sts.issued().map((i) => i.secretId);
  }

  it('oidc: exchanges the token file for temporary keys first, then signs every call with them and their token', async () => {
    await start();
    await grantStyleCalls(network(oidc()));
    const [exchange, ...calls] = emulator!.signedCalls();
    expect(exchange).toMatchObject({ action: 'AssumeRoleWithWebIdentity', secretId: null });
    expect(calls.map((c) => c.action)).toEqual([
      'DescribeClusters',
      'CreateSecurityGroup',
      'CreateSecurityGroupPolicies',
      'DescribeSecurityGroupPolicies',
    ]);
    expect(issuedIds()).toHaveLength(1);
    for (const call of calls) expect(call).toMatchObject({ secretId: issuedIds()[0], withToken: true });
    expect(emulator!.sts.issued()[0]).toMatchObject({ roleArn, via: 'AssumeRoleWithWebIdentity' });
  });

  it('oidc: keeps working across short-lived credentials, renewing them before they expire', async () => {
    // Whole-second expiry: each lifetime is 2-3 s, renewed halfway, so a loaded box has a second to spare.
    await start({ credentialSeconds: 3 });
    const cloud = network(oidc());
    const started = Date.now();
    let calls = 0;
    while (Date.now() - started < 7_000) {
      await cloud.describeClusters([clusterId]);
      calls += 1;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const exchanges = emulator!.signedCalls().filter((c) => c.action === 'AssumeRoleWithWebIdentity');
    expect(calls).toBeGreaterThan(5);
    expect(exchanges.length).toBeGreaterThanOrEqual(3);
    // Every call was accepted (none threw), each signed with a key the emulator issued.
    const used = new Set(emulator!.signedCalls().flatMap((c) => (c.secretId ? [c.secretId] : [])));
    expect(used.size).toBeGreaterThanOrEqual(3);
    for (const id of used) expect(issuedIds()).toContain(id);
  });

  it('oidc: reads the token file again at each renewal, so a token kubelet rotated is the one sent', async () => {
    await start({ credentialSeconds: 2 });
    const cloud = network(oidc());
    await cloud.describeClusters([clusterId]);
    const rotated = 'eyJhbGciOiJSUzI1NiJ9.rotated.sig';
    await writeFile(tokenFile, `${rotated}\n`);
    emulator!.sts.trustWebIdentity({ providerId: clusterId, token: rotated, roleArn });
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    await cloud.describeClusters([clusterId]);
    expect(emulator!.sts.issued()).toHaveLength(2);
  });

  it('oidc: a token the provider does not trust fails the call as CLOUD_AUTH naming the token file and the role', async () => {
    await start();
    await writeFile(tokenFile, 'eyJhbGciOiJSUzI1NiJ9.someone-else.sig');
    const error = await appErrorOf(network(oidc()).describeClusters([clusterId]));
    expect(error).toMatchObject({ code: 'CLOUD_AUTH', retryable: false });
    expect(error.message).toContain('AssumeRoleWithWebIdentity');
    expect(error.hint).toContain(tokenFile);
    expect(error.hint).toContain(roleArn);
    expect(error.details).toMatchObject({ action: 'AssumeRoleWithWebIdentity', roleArn, tokenFile });
    expect(emulator!.calls()).toEqual({ AssumeRoleWithWebIdentity: 1 });
  });

  it('oidc: a missing token file says how TKE provides one', async () => {
    await start();
    const error = await appErrorOf(
      network(oidc({ tokenFile: path.join(dir, 'absent') })).describeClusters([]),
    );
    expect(error.code).toBe('CLOUD_AUTH');
    expect(error.message).toContain(path.join(dir, 'absent'));
    expect(error.hint).toMatch(/tke\.cloud\.tencent\.com\/role-arn[\s\S]*pod-identity-webhook/);
    expect(emulator!.calls()).toEqual({});
  });

  it('oidc: recovers once the cause is fixed, where the SDK provider alone would stay failed', async () => {
    await start();
    emulator!.sts.trustWebIdentity({ providerId: clusterId, token: 'not-yet', roleArn });
    const cloud = network(oidc());
    await appErrorOf(cloud.describeClusters([clusterId]));
    const sdkOnly = new OIDCRoleArnCredential(
      {
        credential: { secretId: '', secretKey: '' },
        region: 'ap-guangzhou',
        profile: {
          httpProfile: {
            endpoint: new URL(url).host,
            protocol: 'http://',
            agent: new http.Agent(),
          },
        },
      },
      { RoleArn: roleArn, RoleSessionName: 'sgops', WebIdentityToken: projected, ProviderId: clusterId },
    );
    await expect(sdkOnly.getCredential()).rejects.toThrow(/WebIdentityToken/);
    emulator!.sts.trustWebIdentity({ providerId: clusterId, token: projected, roleArn });
    await expect(sdkOnly.getCredential()).rejects.toThrow(/WebIdentityToken/);
    expect((await cloud.describeClusters([clusterId])).clusters).toHaveLength(1);
  });

  it('oidc: uses only the parameters it is given, never TKE_* from the process environment', async () => {
    await start();
    vi.stubEnv('TKE_ROLE_ARN', 'qcs::cam::uin/100000000001:roleName/from-env');
    vi.stubEnv('TKE_PROVIDER_ID', 'cls-fromenv');
    vi.stubEnv('TKE_WEB_IDENTITY_TOKEN_FILE', path.join(dir, 'absent'));
    vi.stubEnv('TKE_REGION', 'ap-nowhere');
    try {
      await grantStyleCalls(network(oidc()));
    } finally {
      vi.unstubAllEnvs();
    }
    expect(emulator!.sts.issued()).toEqual([expect.objectContaining({ roleArn })]);
  });

  const assumeRole: CredentialSpec = { kind: 'assumeRole', roleArn, roleSessionName: 'sgops', ...base };

  it('assumeRole: asks STS with the base keys, then signs every call with the temporary keys and token', async () => {
    await start();
    await grantStyleCalls(network(assumeRole));
    const [exchange, ...calls] = emulator!.signedCalls();
    expect(exchange).toEqual(expect.objectContaining({ action: 'AssumeRole', secretId: base.secretId }));
    expect(calls).toHaveLength(4);
    for (const call of calls) expect(call).toMatchObject({ secretId: issuedIds()[0], withToken: true });
  });

  it('assumeRole: keeps working across short-lived credentials', async () => {
    await start({ credentialSeconds: 3 });
    const cloud = network({ ...assumeRole, durationSeconds: 900 });
    const started = Date.now();
    while (Date.now() - started < 6_000) {
      await cloud.describeSecurityGroups({});
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(emulator!.signedCalls().filter((c) => c.action === 'AssumeRole').length).toBeGreaterThanOrEqual(2);
  });

  it('assumeRole: a role that does not exist fails as CLOUD_AUTH naming the role and the asking SecretId', async () => {
    await start({ roleArns: [roleArn] });
    const missing = 'qcs::cam::uin/100000000001:roleName/missing';
    const error = await appErrorOf(
      network({ ...assumeRole, roleArn: missing }).describeClusters([clusterId]),
    );
    expect(error).toMatchObject({ code: 'CLOUD_AUTH', details: { action: 'AssumeRole', roleArn: missing } });
    expect(error.hint).toContain(missing);
    expect(error.hint).toContain(base.secretId);
  });
});
