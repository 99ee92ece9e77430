import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { createPolicy } from '../../../src/policy/create-policy.ts';
import type { PolicyConfigInput } from '../../../src/policy/policy-config.ts';
import { chatIdentities } from '../../../src/app/chat-platforms.ts';

const yaml = `
people:
  - { id: alice, name: Alice, locale: en, slack: U01ALICE, wecom: alice.w }
  - { id: bob, name: Bob, locale: zh, slack: U02BOB }
  - { id: carol, name: Carol, wecom: Carol.C }
  - { id: dave, name: Dave }
  - { id: erin, name: Erin }
groups:
  sre: [bob, carol]
  devs: [erin]
rules:
  - clusters: [cls-prod0001]
    namespaces: [payments]
    requesters: [alice]
    approvers: ['group:sre']
    quorum: 2
  - clusters: ['*']
    namespaces: [my-namespace]
    requesters: [alice, dave, 'group:devs']
    approvers: ['group:sre', alice]
  - clusters: [cls-sandbox1]
    namespaces: ['*']
    requesters: ['*']
    approvers: [alice, bob]
    requesterMayApprove: true
`;

const policy = createPolicy(parseYaml(yaml) as PolicyConfigInput, { identities: chatIdentities });

describe('createPolicy: people', () => {
  it('finds people by id and by their platform ids', () => {
    expect(policy.person('alice')?.name).toBe('Alice');
    expect(policy.person('zoe')).toBeNull();
    expect(policy.personByPlatformId('slack', 'U01ALICE')?.id).toBe('alice');
    expect(policy.personByPlatformId('wecom', 'alice.w')?.id).toBe('alice');
    expect(policy.personByPlatformId('slack', 'UNKNOWN')).toBeNull();
  });

  it('uses person ids themselves as console ids', () => {
    expect(policy.personByPlatformId('console', 'dave')?.id).toBe('dave');
    expect(policy.personByPlatformId('console', 'U01ALICE')).toBeNull();
  });

  it('matches WeCom ids case-insensitively and Slack ids exactly', () => {
    expect(policy.personByPlatformId('wecom', 'carol.c')?.id).toBe('carol');
    expect(policy.personByPlatformId('slack', 'u01alice')).toBeNull();
  });
});

describe('createPolicy: requests', () => {
  it('allows listed requesters and members of listed groups', () => {
    expect(policy.canRequest('alice', 'cls-a1b2c3d4', 'my-namespace')).toEqual({ allowed: true });
    expect(policy.canRequest('dave', 'cls-a1b2c3d4', 'my-namespace')).toEqual({ allowed: true });
    expect(policy.canRequest('erin', 'cls-a1b2c3d4', 'my-namespace')).toEqual({ allowed: true });
  });

  it('refuses people who are not requesters there', () => {
    expect(policy.canRequest('bob', 'cls-a1b2c3d4', 'my-namespace')).toEqual({
      allowed: false,
      reason: 'not_a_requester',
    });
    expect(policy.canRequest('alice', 'cls-a1b2c3d4', 'other')).toEqual({
      allowed: false,
      reason: 'not_a_requester',
    });
  });

  it('refuses unknown people', () => {
    expect(policy.canRequest('mallory', 'cls-sandbox1', 'any')).toEqual({
      allowed: false,
      reason: 'unknown_person',
    });
    expect(
      policy.canApprove('mallory', { requester: 'alice', clusterId: 'cls-sandbox1', namespace: 'x' }),
    ).toEqual({
      allowed: false,
      reason: 'unknown_person',
    });
  });

  it('lets the first matching rule decide even when a later rule would allow', () => {
    // Rule 1 covers payments in cls-prod0001 and lists only alice; rule 3 ('*') is never reached.
    expect(policy.canRequest('dave', 'cls-prod0001', 'payments')).toEqual({
      allowed: false,
      reason: 'not_a_requester',
    });
    expect(policy.ruleFor('cls-prod0001', 'payments')?.index).toBe(0);
    expect(policy.ruleFor('cls-sandbox1', 'my-namespace')?.index).toBe(1);
    expect(policy.ruleFor('cls-sandbox1', 'anything')?.index).toBe(2);
    expect(policy.ruleFor('cls-other001', 'anything')).toBeNull();
  });

  it('lets everyone request where the rule says *', () => {
    for (const person of ['alice', 'bob', 'carol', 'dave', 'erin']) {
      expect(policy.canRequest(person, 'cls-sandbox1', 'anything')).toEqual({ allowed: true });
    }
  });
});

describe('createPolicy: approvals', () => {
  const subject = { requester: 'dave', clusterId: 'cls-a1b2c3d4', namespace: 'my-namespace' };

  it('expands groups into approvers', () => {
    expect(policy.approversFor('cls-a1b2c3d4', 'my-namespace')).toEqual(['bob', 'carol', 'alice']);
    expect(policy.canApprove('carol', subject)).toEqual({ allowed: true });
    expect(policy.canApprove('alice', subject)).toEqual({ allowed: true });
  });

  it('refuses people who are not approvers there', () => {
    expect(policy.canApprove('erin', subject)).toEqual({ allowed: false, reason: 'not_an_approver' });
    expect(policy.canApprove('bob', { ...subject, namespace: 'elsewhere' })).toEqual({
      allowed: false,
      reason: 'not_an_approver',
    });
  });

  it('refuses self-approval even to an approver', () => {
    expect(policy.canApprove('alice', { ...subject, requester: 'alice' })).toEqual({
      allowed: false,
      reason: 'self_approval',
    });
  });

  it('allows self-approval only where the rule says requesterMayApprove', () => {
    expect(
      policy.canApprove('alice', { requester: 'alice', clusterId: 'cls-sandbox1', namespace: 'x' }),
    ).toEqual({
      allowed: true,
    });
    expect(
      policy.canApprove('dave', { requester: 'dave', clusterId: 'cls-sandbox1', namespace: 'x' }),
    ).toEqual({
      allowed: false,
      reason: 'not_an_approver',
    });
  });

  it('reports the quorum of the deciding rule, 1 by default', () => {
    expect(policy.quorumFor('cls-prod0001', 'payments')).toBe(2);
    expect(policy.quorumFor('cls-a1b2c3d4', 'my-namespace')).toBe(1);
    expect(policy.quorumFor('cls-other001', 'nowhere')).toBe(1);
    expect(policy.approversFor('cls-other001', 'nowhere')).toEqual([]);
  });
});

describe('createPolicy: read scope', () => {
  it('lets requesters and approvers of a namespace see it, and nobody else', () => {
    expect(policy.maySee('alice', 'cls-prod0001', 'payments')).toBe(true);
    expect(policy.maySee('bob', 'cls-prod0001', 'payments')).toBe(true);
    expect(policy.maySee('dave', 'cls-prod0001', 'payments')).toBe(false);
    expect(policy.maySee('erin', 'cls-prod0001', 'payments')).toBe(false);
    expect(policy.maySee('zoe', 'cls-prod0001', 'payments')).toBe(false);
  });

  it('lets approvers of a rule over every namespace of a cluster see all of that cluster', () => {
    // bob approves `*` on cls-sandbox1, so he sees a namespace whose deciding rule does not name him.
    expect(policy.maySee('bob', 'cls-sandbox1', 'my-namespace')).toBe(true);
    expect(policy.maySee('bob', 'cls-sandbox1', 'anything')).toBe(true);
    expect(policy.maySee('dave', 'cls-a1b2c3d4', 'anything')).toBe(false);
  });

  it('lets a requester or approver of any rule covering a cluster see the cluster, and nobody else', () => {
    // dave, and erin through group:devs, request my-namespace on every cluster: they see cls-prod0001
    // (that it has no namespace X), though not its payments.
    expect(policy.maySeeCluster('dave', 'cls-prod0001')).toBe(true);
    expect(policy.maySeeCluster('erin', 'cls-prod0001')).toBe(true);
    expect(policy.maySee('erin', 'cls-prod0001', 'payments')).toBe(false);
    expect(policy.maySeeCluster('zoe', 'cls-prod0001')).toBe(false);
    const narrow = createPolicy(
      {
        people: [
          { id: 'ann', name: 'Ann' },
          { id: 'ben', name: 'Ben' },
        ],
        rules: [
          { clusters: ['cls-prod0001'], namespaces: ['payments'], requesters: ['ann'], approvers: ['ann'] },
        ],
      } as PolicyConfigInput,
      { identities: chatIdentities },
    );
    expect(narrow.maySeeCluster('ann', 'cls-prod0001')).toBe(true);
    expect(narrow.maySeeCluster('ann', 'cls-other001')).toBe(false);
    expect(narrow.maySeeCluster('ben', 'cls-prod0001')).toBe(false);
  });
});

describe('createPolicy: owners of security groups', () => {
  const owned = createPolicy(
    {
      ...(parseYaml(yaml) as PolicyConfigInput),
      groups: { sre: ['bob', 'carol'], devs: ['erin'], dba: ['dave'] },
      securityGroupOwners: [
        { id: 'sg-abcd1234', owners: ['erin'] },
        { name: 'orders-*', owners: ['group:dba'] },
        { tag: 'team=payments', owners: ['bob', 'carol'], quorum: 2 },
        { tag: 'shared', owners: ['carol'] },
      ],
    },
    { identities: chatIdentities },
  );
  const group = (id: string, name: string, tags: Record<string, string> = {}) => ({ id, name, tags });
  const mine = { clusterId: 'cls-a1b2c3d4', namespace: 'my-namespace' };
  const subject = { requester: 'alice', ...mine };

  it("gives sgops' pod groups to the namespace in their tags, and any other group to the first entry that matches", () => {
    const podTags = (ns: string) => ({
      'sgops/managed': 'true',
      'sgops/cluster': 'cls-a1b2c3d4',
      'sgops/namespace': ns,
    });
    expect(
      owned.ownerOf(group('sg-pod00001', 'sgops-my-namespace-web', podTags('my-namespace')), mine),
    ).toEqual({
      key: 'namespace',
      quorum: 1,
    });
    expect(owned.ownerOf(group('sg-pod00002', 'sgops-payments-api', podTags('payments')), mine)).toBeNull();
    expect(owned.ownerOf(group('sg-abcd1234', 'orders-main', {}), mine)?.key).toBe('owners:id=sg-abcd1234');
    expect(owned.ownerOf(group('sg-x', 'orders-eu', {}), mine)?.key).toBe('owners:name=orders-*');
    expect(owned.ownerOf(group('sg-y', 'pay', { team: 'payments' }), mine)).toEqual({
      key: 'owners:tag=team=payments',
      quorum: 2,
      owners: ['bob', 'carol'],
    });
    expect(owned.ownerOf(group('sg-z', 'misc', { shared: 'anything' }), mine)?.key).toBe('owners:tag=shared');
    expect(owned.ownerOf(group('sg-w', 'nobodys', { team: 'other' }), mine)).toBeNull();
    // A name pattern is a glob, never a regular expression.
    expect(owned.ownerOf(group('sg-v', 'ordersXdb', {}), { ...mine })).toBeNull();
  });

  it('counts an owner for their entry only, never the requester, and names who may sign', () => {
    expect(owned.signsFor('dave', 'owners:name=orders-*', subject)).toBe(true);
    expect(owned.signsFor('bob', 'owners:name=orders-*', subject)).toBe(false);
    expect(owned.signsFor('erin', 'owners:id=sg-abcd1234', { ...subject, requester: 'erin' })).toBe(false);
    expect(owned.signsFor('dave', 'owners:name=gone-*', subject)).toBe(false);
    expect(owned.signersFor('owners:tag=team=payments', subject)).toEqual(['bob', 'carol']);
    expect(owned.signsFor('bob', 'namespace', subject)).toBe(true);
    expect(owned.signsFor('alice', 'namespace', subject)).toBe(false);
    expect(owned.signerVia('dave', 'owners:name=orders-*', subject)).toEqual(['group:dba']);
  });

  it('refuses two owner entries with the same match: one would be asked and the other counted', () => {
    expect(() =>
      createPolicy(
        {
          ...(parseYaml(yaml) as PolicyConfigInput),
          securityGroupOwners: [
            { name: '*-db', owners: ['alice'] },
            { name: '*-db', owners: ['bob'] },
          ],
        },
        { identities: chatIdentities },
      ),
    ).toThrow(/securityGroupOwners\.1: a second owner entry for name=\*-db/);
  });
});
