import http from 'node:http';
import { sts } from 'tencentcloud-sdk-nodejs/tencentcloud/services/sts/index.js';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createTencentCloudEmulator,
  sandboxCloudSeed,
  type StsOptions,
  type TencentCloudEmulator,
} from '../../../../adapters/tencentcloud/emulator/index.ts';
import { sdkClients, vendorCode } from './sdk-clients.ts';

const base = { secretId: 'AKIDbase', secretKey: 'base-secret' };
const roleArn = 'qcs::cam::uin/100000000001:roleName/sgops';
const trust = { providerId: 'cls-sts00001', token: 'eyJhbGciOiJSUzI1NiJ9.projected.sig', roleArn };

/** The SDK's STS client, signed with `credential` (AssumeRoleWithWebIdentity ignores it: SKIP). */
function stsClient(url: string, credential: { secretId: string; secretKey: string }) {
  return new sts.v20180813.Client({
    credential,
    region: 'ap-guangzhou',
    profile: { httpProfile: { endpoint: new URL(url).host, protocol: 'http://', agent: new http.Agent() } },
  });
}

describe('the emulated STS issues temporary credentials the gateway accepts until they expire', () => {
  let emulator: TencentCloudEmulator | undefined;
  let clock = new Date();
  afterEach(async () => {
    await emulator?.stop();
    emulator = undefined;
  });

  async function start(options: StsOptions = { webIdentity: trust }) {
    clock = new Date();
    emulator = createTencentCloudEmulator({
      credentials: [base],
      seed: sandboxCloudSeed('cls-sts00001'),
      sts: options,
      now: () => clock,
    });
    return (await emulator.start()).url;
  }

  it('answers AssumeRole with Credentials, ExpiredTime and Expiration, and the keys work with their token', async () => {
    const url = await start({ credentialSeconds: 600 });
    const answer = await stsClient(url, base).AssumeRole({ RoleArn: roleArn, RoleSessionName: 'sgops' });
    expect(answer.Credentials).toEqual({
      Token: expect.any(String),
      TmpSecretId: expect.stringMatching(/^AKID/),
      TmpSecretKey: expect.any(String),
    });
    expect(answer.ExpiredTime).toBe(Math.floor(clock.getTime() / 1000) + 600);
    expect(answer.Expiration).toBe(new Date(answer.ExpiredTime! * 1000).toISOString().replace('.000Z', 'Z'));
    const temporary = {
      secretId: answer.Credentials!.TmpSecretId!,
      secretKey: answer.Credentials!.TmpSecretKey!,
      token: answer.Credentials!.Token!,
    };
    const { tke } = sdkClients(url, temporary);
    expect((await tke.DescribeClusters({ ClusterIds: ['cls-sts00001'] })).TotalCount).toBe(1);
    // Without its token the temporary key is refused.
    const { secretId, secretKey } = temporary;
    expect(await vendorCode(sdkClients(url, { secretId, secretKey }).tke.DescribeClusters({}))).toBe(
      'AuthFailure.TokenFailure',
    );
  });

  it('refuses temporary keys once they expired, with AuthFailure.TokenFailure', async () => {
    const url = await start({ credentialSeconds: 60 });
    const answer = await stsClient(url, base).AssumeRole({ RoleArn: roleArn, RoleSessionName: 'sgops' });
    const c = answer.Credentials!;
    const temporary = { secretId: c.TmpSecretId!, secretKey: c.TmpSecretKey!, token: c.Token! };
    const { tke } = sdkClients(url, temporary);
    await tke.DescribeClusters({});
    clock = new Date(clock.getTime() + 61_000);
    expect(await vendorCode(tke.DescribeClusters({}))).toBe('AuthFailure.TokenFailure');
  });

  it('refuses AssumeRole for a role that does not exist, and any call without a valid signature', async () => {
    const url = await start({ roleArns: [roleArn] });
    const other = 'qcs::cam::uin/100000000001:roleName/nobody';
    expect(
      await vendorCode(stsClient(url, base).AssumeRole({ RoleArn: other, RoleSessionName: 'sgops' })),
    ).toBe('ResourceNotFound.RoleNotFound');
    expect(
      await vendorCode(
        stsClient(url, { ...base, secretKey: 'wrong' }).AssumeRole({
          RoleArn: roleArn,
          RoleSessionName: 'sgops',
        }),
      ),
    ).toBe('AuthFailure.SignatureFailure');
  });

  it('takes AssumeRoleWithWebIdentity unsigned, and checks provider, token and the role trust', async () => {
    const url = await start();
    const anyone = stsClient(url, { secretId: '', secretKey: '' });
    const exchange = (overrides: Record<string, string>) =>
      anyone.request(
        'AssumeRoleWithWebIdentity',
        {
          ProviderId: trust.providerId,
          WebIdentityToken: trust.token,
          RoleArn: roleArn,
          RoleSessionName: 'sgops',
          ...overrides,
        },
        { skipSign: true },
      ) as Promise<{ Credentials: { TmpSecretId: string } }>;
    const answer = await exchange({});
    expect(answer.Credentials.TmpSecretId).toMatch(/^AKID/);
    expect(await vendorCode(exchange({ WebIdentityToken: 'forged' }))).toBe(
      'InvalidParameter.WebIdentityTokenError',
    );
    expect(await vendorCode(exchange({ ProviderId: 'cls-other' }))).toBe('InvalidParameter.ParamError');
    expect(await vendorCode(exchange({ RoleArn: 'qcs::cam::uin/100000000001:roleName/admin' }))).toBe(
      'UnauthorizedOperation',
    );
  });

  it('shows what it issued and who signed each call on its admin API, and counts the STS actions', async () => {
    const url = await start();
    const answer = await stsClient(url, base).AssumeRole({
      RoleArn: roleArn,
      RoleSessionName: 'sgops-admin',
    });
    const issued = (await (await fetch(`${url}/_admin/sts/issued`)).json()) as unknown[];
    expect(issued).toEqual([
      expect.objectContaining({
        secretId: answer.Credentials!.TmpSecretId,
        roleArn,
        sessionName: 'sgops-admin',
        via: 'AssumeRole',
      }),
    ]);
    expect(JSON.stringify(issued)).not.toContain(answer.Credentials!.TmpSecretKey);
    const calls = (await (await fetch(`${url}/_admin/sts/calls`)).json()) as unknown[];
    expect(calls).toEqual([
      expect.objectContaining({ action: 'AssumeRole', secretId: base.secretId, withToken: false }),
    ]);
    expect(emulator!.calls()).toEqual({ AssumeRole: 1 });
  });

  it('trusts a rotated token once told, and no longer the old one', async () => {
    const url = await start();
    const rotated = { ...trust, token: 'eyJhbGciOiJSUzI1NiJ9.rotated.sig' };
    const put = await fetch(`${url}/_admin/sts/web-identity`, {
      method: 'PUT',
      body: JSON.stringify(rotated),
    });
    expect(put.status).toBe(200);
    const anyone = stsClient(url, { secretId: '', secretKey: '' });
    const exchange = (token: string) =>
      anyone.request(
        'AssumeRoleWithWebIdentity',
        { ProviderId: trust.providerId, WebIdentityToken: token, RoleArn: roleArn, RoleSessionName: 'sgops' },
        { skipSign: true },
      );
    await expect(exchange(rotated.token)).resolves.toMatchObject({ ExpiredTime: expect.any(Number) });
    expect(await vendorCode(exchange(trust.token))).toBe('InvalidParameter.WebIdentityTokenError');
  });
});
