import { afterEach, describe, expect, it } from 'vitest';
import {
  createTencentCloudEmulator,
  sandboxCloudSeed,
  type TencentCloudEmulator,
  type TencentCloudEmulatorOptions,
} from '../../../../adapters/tencentcloud/emulator/index.ts';
import { sdkClients, vendorCode } from './sdk-clients.ts';

const credential = { secretId: 'AKIDdescribe', secretKey: 'describe-secret' };

/** The Describe actions' documented ordering and filters, through the real SDK. */
describe('the Tencent Cloud emulator orders and filters Describe answers as documented', () => {
  let emulator: TencentCloudEmulator | undefined;
  afterEach(async () => {
    await emulator?.stop();
    emulator = undefined;
  });

  /** A clock one second further at each tick, near real time so the SDK's signatures stay fresh. */
  function steppingClock() {
    let at = Date.now() - 60_000;
    return { now: () => new Date(at), tick: () => (at += 1000) };
  }

  async function start(options: Partial<TencentCloudEmulatorOptions> = {}) {
    emulator = createTencentCloudEmulator({ credentials: [credential], ...options });
    return sdkClients((await emulator.start()).url, credential);
  }

  it('orders DescribeSecurityGroups by CreatedTime or UpdateTime, ascending unless told DESC', async () => {
    const clock = steppingClock();
    const { vpc } = await start({ now: clock.now });
    const ids: string[] = [];
    for (const name of ['a', 'b', 'c']) {
      const created = await vpc.CreateSecurityGroup({ GroupName: name, GroupDescription: 'order' });
      ids.push(created.SecurityGroup?.SecurityGroupId as string);
      clock.tick();
    }
    const [a, b, c] = ids;
    // A rule written to the oldest group makes it the most recently updated.
    await vpc.CreateSecurityGroupPolicies({
      SecurityGroupId: a as string,
      SecurityGroupPolicySet: {
        Ingress: [{ Protocol: 'TCP', Port: '22', CidrBlock: '10.0.0.0/8', Action: 'ACCEPT' }],
      },
    });
    const order = async (OrderField?: string, OrderDirection?: string) =>
      (await vpc.DescribeSecurityGroups({ OrderField, OrderDirection })).SecurityGroupSet?.map(
        (g) => g.SecurityGroupId,
      );
    expect(await order('CreatedTime')).toEqual([a, b, c]);
    expect(await order('CreatedTime', 'DESC')).toEqual([c, b, a]);
    expect(await order('UpdateTime', 'DESC')).toEqual([a, c, b]);
    expect(await order('UpdateTime', 'ASC')).toEqual([b, c, a]);
    expect(await vendorCode(vpc.DescribeSecurityGroups({ OrderField: 'GroupName' }))).toBe(
      'InvalidParameterValue.Range',
    );
    expect(
      await vendorCode(vpc.DescribeSecurityGroups({ OrderField: 'CreatedTime', OrderDirection: 'UP' })),
    ).toBe('InvalidParameterValue.Range');
  });

  it('filters DescribeSecurityGroupPolicies by address-module and service-module template ids', async () => {
    const { vpc } = await start();
    const created = await vpc.CreateSecurityGroup({ GroupName: 'templates', GroupDescription: 'filters' });
    const id = created.SecurityGroup?.SecurityGroupId as string;
    await vpc.CreateSecurityGroupPolicies({
      SecurityGroupId: id,
      SecurityGroupPolicySet: {
        Ingress: [
          { Protocol: 'TCP', Port: '22', AddressTemplate: { AddressId: 'ipm-2uw6ujo6' }, Action: 'ACCEPT' },
          {
            Protocol: 'TCP',
            Port: '22',
            AddressTemplate: { AddressGroupId: 'ipmg-2uw6ujo6' },
            Action: 'ACCEPT',
          },
          { ServiceTemplate: { ServiceId: 'ppm-f5n1f8da' }, CidrBlock: '10.0.0.0/8', Action: 'ACCEPT' },
          { ServiceTemplate: { ServiceGroupId: 'ppmg-f5n1f8da' }, CidrBlock: '10.0.0.0/8', Action: 'DROP' },
        ],
      },
    });
    const filtered = async (Name: string, Values: string[]) =>
      (
        await vpc.DescribeSecurityGroupPolicies({ SecurityGroupId: id, Filters: [{ Name, Values }] })
      ).SecurityGroupPolicySet?.Ingress?.map((r) => r.PolicyIndex);
    expect(await filtered('address-module', ['ipm-2uw6ujo6'])).toEqual([0]);
    expect(await filtered('address-module', ['ipm-2uw6ujo6', 'ipmg-2uw6ujo6'])).toEqual([0, 1]);
    expect(await filtered('service-module', ['ppmg-f5n1f8da'])).toEqual([3]);
    expect(await filtered('service-module', ['ppm-none'])).toEqual([]);
  });

  it('filters DescribeClusters by name, type, status and VPC, and refuses a Limit over 100', async () => {
    const [prod] = sandboxCloudSeed('cls-prod0001').clusters;
    const [dev] = sandboxCloudSeed('cls-dev00001').clusters;
    if (!prod || !dev) throw new Error('the sandbox seed has a cluster');
    const { tke } = await start({
      seed: {
        clusters: [
          { ...prod, name: 'payments-prod', vpcId: 'vpc-prod' },
          { ...dev, name: 'payments-dev', vpcId: 'vpc-dev', status: 'Abnormal' },
        ],
      },
    });
    const ids = async (Filters: { Name: string; Values: string[] }[]) =>
      (await tke.DescribeClusters({ Filters })).Clusters?.map((c) => c.ClusterId);
    expect(await ids([])).toEqual(['cls-prod0001', 'cls-dev00001']);
    expect(await ids([{ Name: 'ClusterName', Values: ['payments-dev'] }])).toEqual(['cls-dev00001']);
    expect(await ids([{ Name: 'ClusterStatus', Values: ['Running'] }])).toEqual(['cls-prod0001']);
    expect(await ids([{ Name: 'vpc-id', Values: ['vpc-dev', 'vpc-prod'] }])).toEqual([
      'cls-prod0001',
      'cls-dev00001',
    ]);
    expect(
      await ids([
        { Name: 'ClusterType', Values: ['MANAGED_CLUSTER'] },
        { Name: 'vpc-id', Values: ['vpc-prod'] },
      ]),
    ).toEqual(['cls-prod0001']);
    expect(await ids([{ Name: 'ClusterType', Values: ['INDEPENDENT_CLUSTER'] }])).toEqual([]);
    expect(await ids([{ Name: 'tag-key', Values: ['team'] }])).toEqual([]);
    const { TotalCount } = await tke.DescribeClusters({
      Filters: [{ Name: 'ClusterStatus', Values: ['Abnormal'] }],
    });
    expect(TotalCount).toBe(1);
    expect(await vendorCode(tke.DescribeClusters({ Limit: 101 }))).toBe('InvalidParameter.Param');
    await expect(tke.DescribeClusters({ Limit: 100 })).resolves.toMatchObject({ TotalCount: 2 });
  });
});
