import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTencentCloudEmulator,
  sandboxCloudSeed,
  type TencentCloudEmulator,
} from '../../../../adapters/tencentcloud/emulator/index.ts';
import { sdkClients, vendorCode } from './sdk-clients.ts';

const credential = { secretId: 'AKIDrules', secretKey: 'rules-secret' };

describe('the Tencent Cloud emulator keeps the VPC rule model through the real SDK', () => {
  let emulator: TencentCloudEmulator;
  let client: ReturnType<typeof sdkClients>['vpc'];

  beforeAll(async () => {
    emulator = createTencentCloudEmulator({
      credentials: [credential],
      seed: sandboxCloudSeed(),
      quotas: { groupsPerRegion: 12, rulesPerDirection: 4 },
    });
    client = sdkClients((await emulator.start()).url, credential).vpc;
  });
  afterAll(() => emulator.stop());

  async function newGroup(name: string): Promise<string> {
    const res = await client.CreateSecurityGroup({ GroupName: name, GroupDescription: 'rules test' });
    return res.SecurityGroup?.SecurityGroupId as string;
  }

  async function ingressOf(id: string) {
    const res = await client.DescribeSecurityGroupPolicies({ SecurityGroupId: id });
    return res.SecurityGroupPolicySet;
  }

  it('inserts rules at a PolicyIndex and re-indexes the ones after it', async () => {
    const id = await newGroup('insert');
    await client.CreateSecurityGroupPolicies({
      SecurityGroupId: id,
      SecurityGroupPolicySet: {
        Ingress: [
          { Protocol: 'TCP', Port: '80', CidrBlock: '10.0.0.0/8', Action: 'ACCEPT' },
          { Protocol: 'ALL', Port: 'ALL', CidrBlock: '0.0.0.0/0', Action: 'DROP' },
        ],
      },
    });
    await client.CreateSecurityGroupPolicies({
      SecurityGroupId: id,
      SecurityGroupPolicySet: {
        Ingress: [{ PolicyIndex: 1, Protocol: 'udp', Port: '53', CidrBlock: '10.0.0.0/8', Action: 'accept' }],
      },
    });
    const set = await ingressOf(id);
    expect(set?.Ingress?.map((r) => [r.PolicyIndex, r.Protocol, r.Port, r.Action])).toEqual([
      [0, 'TCP', '80', 'ACCEPT'],
      [1, 'UDP', '53', 'ACCEPT'],
      [2, 'ALL', 'ALL', 'DROP'],
    ]);
    expect(set?.Version).toBe('2');
  });

  it('refuses a stale Version with UnsupportedOperation.VersionMismatch and accepts the current one', async () => {
    const id = await newGroup('version');
    const rule = { Protocol: 'TCP', Port: '443', CidrBlock: '10.0.0.0/8', Action: 'ACCEPT' };
    await client.CreateSecurityGroupPolicies({
      SecurityGroupId: id,
      SecurityGroupPolicySet: { Version: '0', Egress: [rule] },
    });
    const stale = client.CreateSecurityGroupPolicies({
      SecurityGroupId: id,
      SecurityGroupPolicySet: { Version: '0', Egress: [{ ...rule, Port: '8443' }] },
    });
    expect(await vendorCode(stale)).toBe('UnsupportedOperation.VersionMismatch');
    await client.CreateSecurityGroupPolicies({
      SecurityGroupId: id,
      SecurityGroupPolicySet: { Version: '1', Egress: [{ ...rule, Port: '8443' }] },
    });
    expect((await ingressOf(id))?.Version).toBe('2');
  });

  it('refuses a duplicate rule, whatever its description or letter case', async () => {
    const id = await newGroup('duplicate');
    const rule = {
      Protocol: 'TCP',
      Port: '22',
      CidrBlock: '10.9.0.0/16',
      Action: 'ACCEPT',
      PolicyDescription: 'ssh',
    };
    await client.CreateSecurityGroupPolicies({
      SecurityGroupId: id,
      SecurityGroupPolicySet: { Ingress: [rule] },
    });
    const again = client.CreateSecurityGroupPolicies({
      SecurityGroupId: id,
      SecurityGroupPolicySet: {
        Ingress: [{ ...rule, Protocol: 'tcp', Action: 'accept', PolicyDescription: 'other' }],
      },
    });
    expect(await vendorCode(again)).toBe('UnsupportedOperation.DuplicatePolicy');
  });

  it('deletes by content or by PolicyIndex, but not both in one request', async () => {
    const id = await newGroup('delete');
    await client.CreateSecurityGroupPolicies({
      SecurityGroupId: id,
      SecurityGroupPolicySet: {
        Ingress: [
          { Protocol: 'TCP', Port: '1', CidrBlock: '10.0.0.1', Action: 'ACCEPT' },
          { Protocol: 'TCP', Port: '2', CidrBlock: '10.0.0.2', Action: 'ACCEPT' },
          { Protocol: 'TCP', Port: '3', CidrBlock: '10.0.0.3', Action: 'ACCEPT' },
        ],
      },
    });
    const mixed = client.DeleteSecurityGroupPolicies({
      SecurityGroupId: id,
      SecurityGroupPolicySet: {
        Ingress: [
          { PolicyIndex: 0 },
          { Protocol: 'TCP', Port: '2', CidrBlock: '10.0.0.2', Action: 'ACCEPT' },
        ],
      },
    });
    expect(await vendorCode(mixed)).toBe('InvalidParameter.Coexist');
    await client.DeleteSecurityGroupPolicies({
      SecurityGroupId: id,
      SecurityGroupPolicySet: {
        Ingress: [{ Protocol: 'tcp', Port: '2', CidrBlock: '10.0.0.2', Action: 'accept' }],
      },
    });
    await client.DeleteSecurityGroupPolicies({
      SecurityGroupId: id,
      SecurityGroupPolicySet: { Ingress: [{ PolicyIndex: 0 }] },
    });
    const set = await ingressOf(id);
    expect(set?.Ingress?.map((r) => [r.PolicyIndex, r.Port])).toEqual([[0, '3']]);
    const missing = client.DeleteSecurityGroupPolicies({
      SecurityGroupId: id,
      SecurityGroupPolicySet: {
        Ingress: [{ Protocol: 'TCP', Port: '2', CidrBlock: '10.0.0.2', Action: 'ACCEPT' }],
      },
    });
    expect(await vendorCode(missing)).toBe('ResourceNotFound');
  });

  it('takes one direction per request and a rule without a peer as 0.0.0.0/0', async () => {
    const id = await newGroup('direction');
    const both = client.CreateSecurityGroupPolicies({
      SecurityGroupId: id,
      SecurityGroupPolicySet: {
        Ingress: [{ Protocol: 'ALL', Port: 'ALL', CidrBlock: '0.0.0.0/0', Action: 'ACCEPT' }],
        Egress: [{ Protocol: 'ALL', Port: 'ALL', CidrBlock: '0.0.0.0/0', Action: 'ACCEPT' }],
      },
    });
    expect(await vendorCode(both)).toBe('InvalidParameter.Coexist');
    // The seed procedure's own egress command names no peer.
    await client.CreateSecurityGroupPolicies({
      SecurityGroupId: id,
      SecurityGroupPolicySet: { Egress: [{ Protocol: 'ALL', Port: 'ALL', Action: 'ACCEPT' }] },
    });
    const set = await ingressOf(id);
    expect(set?.Egress?.[0]).toMatchObject({ CidrBlock: '0.0.0.0/0', Protocol: 'ALL', Action: 'ACCEPT' });
  });

  it('validates protocol and port', async () => {
    const id = await newGroup('validate');
    const bad = (Protocol: string, Port: string) =>
      vendorCode(
        client.CreateSecurityGroupPolicies({
          SecurityGroupId: id,
          SecurityGroupPolicySet: {
            Ingress: [{ Protocol, Port, CidrBlock: '10.0.0.0/8', Action: 'ACCEPT' }],
          },
        }),
      );
    expect(await bad('SCTP', '80')).toBe('InvalidParameterValue');
    expect(await bad('TCP', '70000')).toBe('InvalidParameterValue');
    expect(await bad('TCP', '90-80')).toBe('InvalidParameterValue');
    expect(await bad('ICMP', '80')).toBe('InvalidParameterValue');
  });

  it('enforces the per-direction rule quota with LimitExceeded.SecurityGroupPolicySet', async () => {
    const id = await newGroup('quota');
    const rules = [1, 2, 3, 4, 5].map((n) => ({
      Protocol: 'TCP',
      Port: String(n),
      CidrBlock: '10.0.0.0/8',
      Action: 'ACCEPT',
    }));
    const over = client.CreateSecurityGroupPolicies({
      SecurityGroupId: id,
      SecurityGroupPolicySet: { Ingress: rules },
    });
    expect(await vendorCode(over)).toBe('LimitExceeded.SecurityGroupPolicySet');
  });

  it('refuses to delete a referenced group with ResourceInUse and lists who refers to it', async () => {
    const pod = await newGroup('pod');
    await client.CreateSecurityGroupPolicies({
      SecurityGroupId: 'sg-sandbox1',
      SecurityGroupPolicySet: {
        Ingress: [{ Protocol: 'UDP', Port: '53', SecurityGroupId: pod, Action: 'ACCEPT' }],
      },
    });
    expect(await vendorCode(client.DeleteSecurityGroup({ SecurityGroupId: pod }))).toBe('ResourceInUse');
    const refs = await client.DescribeSecurityGroupReferences({ SecurityGroupIds: [pod] });
    expect(refs.ReferredSecurityGroupSet).toEqual([
      { SecurityGroupId: pod, ReferredSecurityGroupIds: ['sg-sandbox1'] },
    ]);
    await client.DeleteSecurityGroupPolicies({
      SecurityGroupId: 'sg-sandbox1',
      SecurityGroupPolicySet: {
        Ingress: [{ Protocol: 'UDP', Port: '53', SecurityGroupId: pod, Action: 'ACCEPT' }],
      },
    });
    await client.DeleteSecurityGroup({ SecurityGroupId: pod });
    expect(await vendorCode(client.DeleteSecurityGroup({ SecurityGroupId: pod }))).toBe('ResourceNotFound');
  });

  it('pages with string Offset and Limit, refuses ids with filters, and enforces the group quota', async () => {
    const page = await client.DescribeSecurityGroups({ Offset: '1', Limit: '2' });
    expect(page.SecurityGroupSet).toHaveLength(2);
    expect(page.TotalCount).toBeGreaterThan(2);
    const coexist = client.DescribeSecurityGroups({
      SecurityGroupIds: ['sg-sandbox1'],
      Filters: [{ Name: 'project-id', Values: ['0'] }],
    });
    expect(await vendorCode(coexist)).toBe('InvalidParameter.Coexist');
    expect(await vendorCode(client.DescribeSecurityGroups({ SecurityGroupIds: ['sg-zz0000zz'] }))).toBe(
      'ResourceNotFound',
    );
    const byTag = await client.DescribeSecurityGroups({
      Filters: [{ Name: 'tag:tke-clusterId', Values: ['cls-sandbox1'] }],
    });
    expect(byTag.SecurityGroupSet?.map((g) => g.SecurityGroupId)).toEqual(['sg-sandbox1']);
    const total = (await client.DescribeSecurityGroups({})).TotalCount ?? 0;
    for (let n = total; n < 12; n += 1) await newGroup(`fill-${n}`);
    expect(await vendorCode(newGroup('one-too-many'))).toBe('LimitExceeded');
  });
});
