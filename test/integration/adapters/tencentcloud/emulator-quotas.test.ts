import { afterEach, describe, expect, it } from 'vitest';
import {
  createTencentCloudEmulator,
  sandboxCloudSeed,
  type TencentCloudEmulator,
  type TencentCloudEmulatorOptions,
} from '../../../../adapters/tencentcloud/emulator/index.ts';
import { adminRequest } from '../../../helpers/admin-request.ts';
import { sdkClients, vendorCode } from './sdk-clients.ts';

const credential = { secretId: 'AKIDquota', secretKey: 'quota-secret' };

describe('the Tencent Cloud emulator quotas, references and per-second counts', () => {
  let emulator: TencentCloudEmulator | undefined;
  afterEach(async () => {
    await emulator?.stop();
    emulator = undefined;
  });

  async function start(options: Partial<TencentCloudEmulatorOptions> = {}) {
    emulator = createTencentCloudEmulator({
      credentials: [credential],
      seed: sandboxCloudSeed(),
      ...options,
    });
    const urls = await emulator.start();
    return { ...urls, ...sdkClients(urls.url, credential) };
  }

  it('reports every field of SecurityGroupLimitSet, with the enforced quotas taken from its options', async () => {
    const { vpc } = await start({
      quotas: { groupsPerRegion: 300, rulesPerDirection: 80 },
      reportedLimits: { InstanceSecurityGroupLimit: 7 },
    });
    const res = await vpc.DescribeSecurityGroupLimits();
    expect(res.SecurityGroupLimitSet).toEqual({
      SecurityGroupLimit: 300,
      SecurityGroupPolicyLimit: 80,
      ReferedSecurityGroupLimit: 10,
      SecurityGroupInstanceLimit: 2000,
      InstanceSecurityGroupLimit: 7,
      SecurityGroupExtendedPolicyLimit: 2000,
      SecurityGroupReferedCvmAndEniLimit: 2000,
      SecurityGroupReferedSvcLimit: 500,
    });
    expect(res.RequestId).toEqual(expect.any(String));
  });

  it('hands the groups-per-instance limit it reports to whoever binds groups to pods, on its state', async () => {
    // The emulator binds no group to an instance: the Kubernetes simulator does, from /_admin/state.
    const { vpc, adminUrl } = await start({ reportedLimits: { InstanceSecurityGroupLimit: 3 } });
    const reported = (await vpc.DescribeSecurityGroupLimits()).SecurityGroupLimitSet;
    const state = await adminRequest<{ limits: Record<string, number> }>(`${adminUrl}/state`);
    expect(state.body.limits.InstanceSecurityGroupLimit).toBe(3);
    expect(state.body.limits).toEqual(reported);
    expect(emulator?.state().limits.InstanceSecurityGroupLimit).toBe(3);
  });

  it('refuses any parameter to DescribeSecurityGroupLimits, whose request has no fields', async () => {
    const { vpc } = await start();
    const code = await vendorCode(vpc.request('DescribeSecurityGroupLimits', { Limit: 1 }));
    expect(code).toBe('UnknownParameter');
  });

  it('reports references that follow the current rules, and ResourceNotFound for an unknown group', async () => {
    const { vpc } = await start();
    const a = (await vpc.CreateSecurityGroup({ GroupName: 'a', GroupDescription: 'a' })).SecurityGroup!;
    const b = (await vpc.CreateSecurityGroup({ GroupName: 'b', GroupDescription: 'b' })).SecurityGroup!;
    const rule = { Protocol: 'TCP', Port: '80', SecurityGroupId: a.SecurityGroupId, Action: 'ACCEPT' };
    await vpc.CreateSecurityGroupPolicies({
      SecurityGroupId: b.SecurityGroupId,
      SecurityGroupPolicySet: { Egress: [rule] },
    });
    const ids = [a.SecurityGroupId, b.SecurityGroupId];
    expect(
      (await vpc.DescribeSecurityGroupReferences({ SecurityGroupIds: ids })).ReferredSecurityGroupSet,
    ).toEqual([
      { SecurityGroupId: a.SecurityGroupId, ReferredSecurityGroupIds: [b.SecurityGroupId] },
      { SecurityGroupId: b.SecurityGroupId, ReferredSecurityGroupIds: [] },
    ]);
    await vpc.DeleteSecurityGroupPolicies({
      SecurityGroupId: b.SecurityGroupId,
      SecurityGroupPolicySet: { Egress: [{ PolicyIndex: 0 }] },
    });
    const after = await vpc.DescribeSecurityGroupReferences({ SecurityGroupIds: [a.SecurityGroupId] });
    expect(after.ReferredSecurityGroupSet).toEqual([
      { SecurityGroupId: a.SecurityGroupId, ReferredSecurityGroupIds: [] },
    ]);
    expect(await vendorCode(vpc.DescribeSecurityGroupReferences({ SecurityGroupIds: ['sg-zz0000zz'] }))).toBe(
      'ResourceNotFound',
    );
  });

  it('serves the calls of each action per second of its clock on the admin API', async () => {
    // A whole second near the real time, so signatures stay within the allowed skew.
    let ms = Math.floor(Date.now() / 1000) * 1000;
    const { adminUrl, vpc } = await start({ now: () => new Date(ms) });
    await vpc.DescribeSecurityGroups({});
    await vpc.DescribeSecurityGroups({});
    ms += 1000;
    await vpc.DescribeSecurityGroups({});
    await vpc.DescribeSecurityGroupLimits();
    const second = ms / 1000;
    const body = (await (await fetch(`${adminUrl}/calls/per-second`)).json()) as unknown;
    expect(body).toEqual({
      DescribeSecurityGroups: { [String(second - 1)]: 2, [String(second)]: 1 },
      DescribeSecurityGroupLimits: { [String(second)]: 1 },
    });
    await fetch(`${adminUrl}/calls/reset`, { method: 'POST' });
    expect(await (await fetch(`${adminUrl}/calls/per-second`)).json()).toEqual({});
  });
});
