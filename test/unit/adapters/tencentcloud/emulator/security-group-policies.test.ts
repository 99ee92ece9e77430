import { describe, expect, it } from 'vitest';
import { CloudApiError } from '../../../../../adapters/tencentcloud/emulator/cloud-api-error.ts';
import { resourceIdGenerator } from '../../../../../adapters/tencentcloud/emulator/resource-id-generator.ts';
import {
  createSecurityGroupPolicies,
  deleteSecurityGroupPolicies,
  describeSecurityGroupPolicies,
  replaceSecurityGroupPolicy,
} from '../../../../../adapters/tencentcloud/emulator/security-group-policies.ts';
import { SecurityGroupStore } from '../../../../../adapters/tencentcloud/emulator/security-group-store.ts';
import { seededRandom } from '../../../../../adapters/tencentcloud/emulator/seeded-random.ts';

const region = 'ap-guangzhou';

function world() {
  const store = new SecurityGroupStore({
    now: () => new Date('2024-05-01T00:00:00Z'),
    newId: resourceIdGenerator(seededRandom(3)),
    groupsPerRegion: 50,
  });
  const group = store.create(region, { GroupName: 'g', GroupDescription: 'd' });
  return { store, id: group.id };
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof CloudApiError) return error.code;
    throw error;
  }
  throw new Error('expected a CloudApiError');
}

describe('the emulated security group rule model', () => {
  it('creates groups with sg- ids, Beijing times and a 0 version', () => {
    const { store, id } = world();
    expect(id).toMatch(/^sg-[a-z0-9]{8}$/);
    const group = store.get(region, id);
    expect(group.createdTime).toBe('2024-05-01 08:00:00');
    expect(describeSecurityGroupPolicies(store, region, { SecurityGroupId: id }).Version).toBe('0');
  });

  it('hides a group from another region', () => {
    const { store, id } = world();
    expect(codeOf(() => store.get('ap-shanghai', id))).toBe('ResourceNotFound');
  });

  it('replaces a rule at its index and refuses a replacement that duplicates another rule', () => {
    const { store, id } = world();
    createSecurityGroupPolicies(
      store,
      region,
      {
        SecurityGroupId: id,
        SecurityGroupPolicySet: {
          Ingress: [
            { Protocol: 'TCP', Port: '1', CidrBlock: '10.0.0.0/8', Action: 'ACCEPT' },
            { Protocol: 'TCP', Port: '2', CidrBlock: '10.0.0.0/8', Action: 'ACCEPT' },
          ],
        },
      },
      100,
    );
    replaceSecurityGroupPolicy(store, region, {
      SecurityGroupId: id,
      SecurityGroupPolicySet: {
        Ingress: [{ PolicyIndex: 1, Protocol: 'UDP', Port: '2', CidrBlock: '10.0.0.0/8', Action: 'DROP' }],
      },
    });
    const set = describeSecurityGroupPolicies(store, region, { SecurityGroupId: id });
    expect(set.Ingress?.map((r) => [r.Protocol, r.Action])).toEqual([
      ['TCP', 'ACCEPT'],
      ['UDP', 'DROP'],
    ]);
    expect(set.Version).toBe('2');
    expect(
      codeOf(() =>
        replaceSecurityGroupPolicy(store, region, {
          SecurityGroupId: id,
          SecurityGroupPolicySet: {
            Ingress: [
              { PolicyIndex: 1, Protocol: 'TCP', Port: '1', CidrBlock: '10.0.0.0/8', Action: 'ACCEPT' },
            ],
          },
        }),
      ),
    ).toBe('UnsupportedOperation.DuplicatePolicy');
  });

  it('refuses mixed PolicyIndex values, an index past the end and a peer group that does not exist', () => {
    const { store, id } = world();
    const create = (Ingress: object[]) => () =>
      createSecurityGroupPolicies(
        store,
        region,
        { SecurityGroupId: id, SecurityGroupPolicySet: { Ingress } },
        100,
      );
    expect(
      codeOf(
        create([
          { PolicyIndex: 0, Protocol: 'TCP', Port: '1', Action: 'ACCEPT' },
          { PolicyIndex: 1, Protocol: 'TCP', Port: '2', Action: 'ACCEPT' },
        ]),
      ),
    ).toBe('InvalidParameterValue');
    expect(codeOf(create([{ PolicyIndex: 3, Protocol: 'TCP', Port: '1', Action: 'ACCEPT' }]))).toBe(
      'InvalidParameterValue.Range',
    );
    expect(
      codeOf(create([{ Protocol: 'TCP', Port: '1', SecurityGroupId: 'sg-zz0000zz', Action: 'ACCEPT' }])),
    ).toBe('ResourceNotFound');
    expect(
      codeOf(
        create([
          { Protocol: 'TCP', Port: '1', CidrBlock: '10.0.0.0/8', SecurityGroupId: id, Action: 'ACCEPT' },
        ]),
      ),
    ).toBe('InvalidParameter.Coexist');
  });

  it('deletes several rules by index in one write', () => {
    const { store, id } = world();
    createSecurityGroupPolicies(
      store,
      region,
      {
        SecurityGroupId: id,
        SecurityGroupPolicySet: {
          Egress: ['1', '2', '3'].map((Port) => ({
            Protocol: 'TCP',
            Port,
            CidrBlock: '0.0.0.0/0',
            Action: 'ACCEPT',
          })),
        },
      },
      100,
    );
    deleteSecurityGroupPolicies(store, region, {
      SecurityGroupId: id,
      SecurityGroupPolicySet: { Version: '1', Egress: [{ PolicyIndex: 0 }, { PolicyIndex: 2 }] },
    });
    const set = describeSecurityGroupPolicies(store, region, { SecurityGroupId: id });
    expect(set.Egress?.map((r) => [r.PolicyIndex, r.Port])).toEqual([[0, '2']]);
    expect(set.Version).toBe('2');
  });
});
