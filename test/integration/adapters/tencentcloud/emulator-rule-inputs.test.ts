import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTencentCloudEmulator,
  type TencentCloudEmulator,
} from '../../../../adapters/tencentcloud/emulator/index.ts';
import { sdkClients, vendorCode } from './sdk-clients.ts';

const credential = { secretId: 'AKIDinputs', secretKey: 'inputs-secret' };

/** Rule inputs as the VPC API documents them (SecurityGroupPolicy in tccli's api.json). */
describe('the Tencent Cloud emulator reads rule inputs as the VPC API documents them', () => {
  let emulator: TencentCloudEmulator;
  let client: ReturnType<typeof sdkClients>['vpc'];

  beforeAll(async () => {
    emulator = createTencentCloudEmulator({ credentials: [credential] });
    client = sdkClients((await emulator.start()).url, credential).vpc;
  });
  afterAll(() => emulator.stop());

  async function newGroup(name: string): Promise<string> {
    const res = await client.CreateSecurityGroup({ GroupName: name, GroupDescription: 'inputs test' });
    return res.SecurityGroup?.SecurityGroupId as string;
  }

  async function addIngress(id: string, rule: Record<string, string>) {
    return client.CreateSecurityGroupPolicies({
      SecurityGroupId: id,
      SecurityGroupPolicySet: { Ingress: [{ Action: 'ACCEPT', ...rule }] },
    });
  }

  async function ingressOf(id: string) {
    const res = await client.DescribeSecurityGroupPolicies({ SecurityGroupId: id });
    return res.SecurityGroupPolicySet?.Ingress ?? [];
  }

  it('maps any 0.0.0.0/n to 0.0.0.0/0, so the two are one rule', async () => {
    const id = await newGroup('anywhere');
    await addIngress(id, { Protocol: 'TCP', Port: '22', CidrBlock: '0.0.0.0/8' });
    expect((await ingressOf(id)).map((r) => r.CidrBlock)).toEqual(['0.0.0.0/0']);
    expect(await vendorCode(addIngress(id, { Protocol: 'TCP', Port: '22', CidrBlock: '0.0.0.0/0' }))).toBe(
      'UnsupportedOperation.DuplicatePolicy',
    );
  });

  it("takes MY_PUBLIC_IP as the caller's address and says so in an empty description", async () => {
    const id = await newGroup('my-ip');
    await addIngress(id, { Protocol: 'TCP', Port: '443', CidrBlock: 'MY_PUBLIC_IP' });
    await addIngress(id, {
      Protocol: 'TCP',
      Port: '80',
      CidrBlock: 'MY_PUBLIC_IP',
      PolicyDescription: 'mine',
    });
    // The SDK reaches the emulator over IPv4 loopback: that is the address the emulator sees.
    expect((await ingressOf(id)).map((r) => [r.CidrBlock, r.PolicyDescription])).toEqual([
      ['127.0.0.1', 'Replaced-From-MY_PUBLIC_IP'],
      ['127.0.0.1', 'mine'],
    ]);
    // This caller has no IPv6 address to stand in for.
    expect(
      await vendorCode(addIngress(id, { Protocol: 'TCP', Port: '8080', Ipv6CidrBlock: 'MY_PUBLIC_IP' })),
    ).toBe('InvalidParameterValue');
  });

  it('takes ICMP with an IPv4 peer and ICMPV6 with an IPv6 one, and refuses them crossed', async () => {
    const id = await newGroup('icmp');
    await addIngress(id, { Protocol: 'ICMP', CidrBlock: '10.0.0.0/8' });
    await addIngress(id, { Protocol: 'ICMPv6', Ipv6CidrBlock: '2001:db8::/32' });
    expect((await ingressOf(id)).map((r) => r.Protocol)).toEqual(['ICMP', 'ICMPV6']);
    expect(await vendorCode(addIngress(id, { Protocol: 'ICMP', Ipv6CidrBlock: '::/0' }))).toBe(
      'InvalidParameterValue',
    );
    expect(await vendorCode(addIngress(id, { Protocol: 'ICMPV6', CidrBlock: '0.0.0.0/0' }))).toBe(
      'InvalidParameterValue',
    );
    expect((await ingressOf(id)).length).toBe(2);
  });

  it('keeps OriginalSecurityGroupPolicySet of a replacement for the record only, and guards with Version', async () => {
    const id = await newGroup('replace');
    await addIngress(id, { Protocol: 'TCP', Port: '22', CidrBlock: '10.0.0.0/8' });
    const replacement = {
      PolicyIndex: 0,
      Protocol: 'TCP',
      Port: '2222',
      CidrBlock: '10.0.0.0/8',
      Action: 'ACCEPT',
    };
    // An "original" that is not the rule at that index: documented as for the log, so not compared.
    await client.ReplaceSecurityGroupPolicy({
      SecurityGroupId: id,
      SecurityGroupPolicySet: { Version: '1', Ingress: [replacement] },
      OriginalSecurityGroupPolicySet: {
        Ingress: [
          { PolicyIndex: 0, Protocol: 'UDP', Port: '53', CidrBlock: '192.168.0.0/16', Action: 'DROP' },
        ],
      },
    });
    expect((await ingressOf(id)).map((r) => r.Port)).toEqual(['2222']);
    const stale = client.ReplaceSecurityGroupPolicy({
      SecurityGroupId: id,
      SecurityGroupPolicySet: { Version: '1', Ingress: [{ ...replacement, Port: '22' }] },
    });
    expect(await vendorCode(stale)).toBe('UnsupportedOperation.VersionMismatch');
  });
});
