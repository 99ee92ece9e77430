import { afterEach, describe, expect, it } from 'vitest';
import {
  createTencentCloudEmulator,
  type TencentCloudEmulator,
} from '../../../../adapters/tencentcloud/emulator/index.ts';
import { sdkClients, vendorCode } from './sdk-clients.ts';

const credential = { secretId: 'AKIDauth', secretKey: 'auth-secret' };

describe('the Tencent Cloud emulator checks TC3-HMAC-SHA256 like the real gateway', () => {
  let emulator: TencentCloudEmulator | undefined;
  afterEach(async () => {
    await emulator?.stop();
    emulator = undefined;
  });

  async function start(now?: () => Date) {
    emulator = createTencentCloudEmulator({ credentials: [credential], now });
    return (await emulator.start()).url;
  }

  it('accepts a request the unmodified SDK signed with the right key', async () => {
    const { vpc } = sdkClients(await start(), credential);
    const result = await vpc.DescribeSecurityGroups({});
    expect(result).toMatchObject({ SecurityGroupSet: [], TotalCount: 0 });
    expect(result.RequestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses a request signed with the wrong key as AuthFailure.SignatureFailure', async () => {
    const { vpc } = sdkClients(await start(), { ...credential, secretKey: 'not-the-key' });
    expect(await vendorCode(vpc.DescribeSecurityGroups({}))).toBe('AuthFailure.SignatureFailure');
  });

  it('refuses an unknown SecretId as AuthFailure.SecretIdNotFound', async () => {
    const { vpc } = sdkClients(await start(), { ...credential, secretId: 'AKIDnobody' });
    expect(await vendorCode(vpc.DescribeSecurityGroups({}))).toBe('AuthFailure.SecretIdNotFound');
  });

  it('refuses a request whose timestamp is six minutes old as AuthFailure.SignatureExpire', async () => {
    // The SDK stamps real time; an emulator clock six minutes ahead makes that stamp six minutes old.
    const { vpc } = sdkClients(await start(() => new Date(Date.now() + 6 * 60_000)), credential);
    expect(await vendorCode(vpc.DescribeSecurityGroups({}))).toBe('AuthFailure.SignatureExpire');
  });

  it('accepts a timestamp four minutes off', async () => {
    const { vpc } = sdkClients(await start(() => new Date(Date.now() - 4 * 60_000)), credential);
    await expect(vpc.DescribeSecurityGroups({})).resolves.toMatchObject({ TotalCount: 0 });
  });

  it('answers an unknown action with InvalidAction', async () => {
    const { vpc } = sdkClients(await start(), credential);
    expect(await vendorCode(vpc.request('DescribeSecurityGroupsPlease', {}))).toBe('InvalidAction');
  });

  it('answers a field the API does not have with UnknownParameter, also when nested', async () => {
    const { vpc } = sdkClients(await start(), credential);
    expect(await vendorCode(vpc.request('DescribeSecurityGroups', { GroupName: 'x' }))).toBe(
      'UnknownParameter',
    );
    const created = await vpc.CreateSecurityGroup({ GroupName: 'g', GroupDescription: 'd' });
    const nested = vpc.request('CreateSecurityGroupPolicies', {
      SecurityGroupId: created.SecurityGroup?.SecurityGroupId,
      SecurityGroupPolicySet: {
        Ingress: [{ Protocol: 'TCP', Port: '53', Action: 'ACCEPT', Source: '10.0.0.0/8' }],
      },
    });
    expect(await vendorCode(nested)).toBe('UnknownParameter');
  });

  it('answers every error with HTTP 200 and a Response.Error document', async () => {
    const url = await start();
    const res = await fetch(`${url}/`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-tc-action': 'DescribeSecurityGroups',
        'x-tc-version': '2017-03-12',
      },
      body: '{}',
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      Response: { Error: { Code: string; Message: string }; RequestId: string };
    };
    expect(body.Response.Error.Code).toBe('AuthFailure.InvalidAuthorization');
    expect(body.Response.RequestId).toEqual(expect.any(String));
  });
});
