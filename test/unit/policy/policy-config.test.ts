import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/errors.ts';
import { createPolicy } from '../../../src/policy/create-policy.ts';
import { parsePolicyConfig, policyConfigSchema } from '../../../src/policy/policy-config.ts';
import type { PolicyConfigInput } from '../../../src/policy/policy-config.ts';
import { chatIdentities } from '../../../src/app/chat-platforms.ts';

const people = [
  { id: 'alice', name: 'Alice', slack: 'U1' },
  { id: 'bob', name: 'Bob', slack: 'U2' },
];

function issuesOf(raw: unknown): string[] {
  try {
    parsePolicyConfig(raw, chatIdentities);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('CONFIG_INVALID');
    return (error as AppError).details.issues as string[];
  }
  throw new Error('expected the config to be refused');
}

describe('policyConfigSchema', () => {
  it('fills in defaults: quorum 1, no self-approval, empty lists', () => {
    const config = policyConfigSchema.parse({
      people,
      rules: [{ clusters: ['*'], namespaces: ['*'], requesters: ['alice'], approvers: ['bob'] }],
    });
    expect(config.groups).toEqual({});
    expect(config.rules[0]).toMatchObject({ quorum: 1, requesterMayApprove: false });
    expect(policyConfigSchema.parse({})).toEqual({
      people: [],
      groups: {},
      rules: [],
      securityGroupOwners: [],
    });
  });

  it('refuses unknown people and groups in rules and groups', () => {
    const issues = issuesOf({
      people,
      groups: { sre: ['bob', 'zoe'] },
      rules: [{ clusters: ['*'], namespaces: ['*'], requesters: ['mallory'], approvers: ['group:ops'] }],
    });
    expect(issues.some((i) => i.startsWith('groups.sre.1') && i.includes('zoe'))).toBe(true);
    expect(issues.some((i) => i.startsWith('rules.0.requesters.0') && i.includes('mallory'))).toBe(true);
    expect(issues.some((i) => i.startsWith('rules.0.approvers.0') && i.includes('group:ops'))).toBe(true);
  });

  it('refuses duplicate person and platform ids', () => {
    const issues = issuesOf({ people: [...people, { id: 'alice', name: 'Other', slack: 'U2' }] });
    expect(issues.some((i) => i.includes('duplicate person id'))).toBe(true);
    expect(issues.some((i) => i.includes('duplicate slack id'))).toBe(true);
  });

  it('refuses a quorum that the approvers can never reach', () => {
    const issues = issuesOf({
      people,
      rules: [{ clusters: ['*'], namespaces: ['*'], requesters: ['alice'], approvers: ['bob'], quorum: 2 }],
    });
    expect(issues.some((i) => i.startsWith('rules.0.quorum'))).toBe(true);
  });

  it('refuses malformed cluster ids, namespaces and misspelt keys', () => {
    const issues = issuesOf({
      people,
      rules: [
        {
          clusters: ['cls-XYZ'],
          namespaces: ['My_NS'],
          requesters: [],
          approvers: ['bob'],
          requesterMayAprove: true,
        },
      ],
    });
    expect(issues.some((i) => i.startsWith('rules.0.clusters.0'))).toBe(true);
    expect(issues.some((i) => i.startsWith('rules.0.namespaces.0'))).toBe(true);
    expect(issues.some((i) => i.includes('requesterMayAprove'))).toBe(true);
  });

  it('makes createPolicy refuse an invalid config with CONFIG_INVALID', () => {
    expect(() =>
      createPolicy({ people: [{ id: 'a:b', name: 'x' }] }, { identities: chatIdentities }),
    ).toThrow(AppError);
  });
});

describe('autoApproveRepairs', () => {
  it('is off unless a rule turns it on, as the operator guide shows', async () => {
    const { readFileSync } = await import('node:fs');
    const { parse } = await import('yaml');
    const guide = readFileSync(new URL('../../../docs/operator-guide.md', import.meta.url), 'utf8');
    const section = guide.slice(guide.indexOf('### Repairs without a sign-off (`autoApproveRepairs`)'));
    const example = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
    expect(example).toBeDefined();
    const { policy } = parse(example!) as { policy: unknown };
    const on = createPolicy(policy as PolicyConfigInput, { identities: chatIdentities });
    expect(on.autoApprovesRepairs('cls-a1b2c3d4', 'my-namespace')).toBe(true);
    expect(on.autoApprovesRepairs('cls-a1b2c3d4', 'other')).toBe(false);
    const off = createPolicy(
      { people, rules: [{ clusters: ['*'], namespaces: ['*'], requesters: ['alice'], approvers: ['bob'] }] },
      { identities: chatIdentities },
    );
    expect(off.autoApprovesRepairs('cls-a1b2c3d4', 'my-namespace')).toBe(false);
  });
});
