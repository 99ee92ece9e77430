import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { AppError } from '../../../src/errors.ts';
import { createPolicy } from '../../../src/policy/create-policy.ts';
import { parsePolicyConfig, policyConfigSchema } from '../../../src/policy/policy-config.ts';
import type { PolicyConfigInput } from '../../../src/policy/policy-config.ts';
import { chatIdentities } from '../../../src/app/chat-platforms.ts';

const yaml = `
people:
  - { id: alice, name: Alice, slack: U01ALICE, wecom: alice.w }
  - { id: bob, name: Bob, wecom: bob.w }
  - { id: carol, name: Carol }
  - { id: dave, name: Dave }
groups:
  sre: [bob, carol]
  oncall: [dave]
rules:
  - clusters: [cls-prod0001]
    namespaces: [payments]
    requesters: [alice, dave]
    approvers: ['group:sre']
    maxDuration: 8h
    autoApprove: { when: never }
  - clusters: [cls-prod0001]
    namespaces: ['*']
    requesters: [alice, dave]
    approvers: ['group:sre']
    maxDuration: 1h30m
    autoApprove: { when: always, requesters: ['group:oncall'] }
  - clusters: [cls-sandbox1]
    namespaces: ['*']
    requesters: ['*']
    autoApprove: { when: always }
    maxDuration: 2d
  - clusters: ['*']
    namespaces: ['*']
    requesters: ['*']
    approvers: [bob]
`;

const policy = createPolicy(parseYaml(yaml) as PolicyConfigInput, { identities: chatIdentities });

describe('policy: the longest allowed grant', () => {
  it('reads maxDuration with the chat grammar’s duration parser, in milliseconds', () => {
    expect(policy.maxDurationFor('cls-prod0001', 'payments')).toBe(8 * 3_600_000);
    expect(policy.maxDurationFor('cls-prod0001', 'web')).toBe(5_400_000);
    expect(policy.maxDurationFor('cls-sandbox1', 'anything')).toBe(2 * 86_400_000);
  });

  it('has no maximum where the deciding rule sets none, or where no rule matches', () => {
    expect(policy.maxDurationFor('cls-other001', 'x')).toBeNull();
    expect(createPolicy({}, { identities: chatIdentities }).maxDurationFor('cls-a1b2c3d4', 'x')).toBeNull();
  });

  it('refuses a maxDuration the grammar would refuse', () => {
    for (const maxDuration of ['8 parsecs', '91d', '0s', '']) {
      expect(() =>
        parsePolicyConfig(
          {
            people: [{ id: 'a', name: 'A' }],
            rules: [{ clusters: ['*'], namespaces: ['*'], approvers: ['a'], maxDuration }],
          },
          chatIdentities,
        ),
      ).toThrow(AppError);
    }
  });
});

describe('policy: automatic approval', () => {
  it('approves by itself only where the deciding rule says always', () => {
    expect(policy.autoApproves('cls-sandbox1', 'shop', 'carol')).toBe(true);
    expect(policy.autoApproves('cls-prod0001', 'payments', 'alice')).toBe(false);
    expect(policy.autoApproves('cls-other001', 'shop', 'alice')).toBe(false);
  });

  it('limits automatic approval to the listed requesters', () => {
    expect(policy.autoApproves('cls-prod0001', 'web', 'dave')).toBe(true);
    expect(policy.autoApproves('cls-prod0001', 'web', 'alice')).toBe(false);
  });

  it('never approves by itself for someone who may not request there, or a stranger', () => {
    const strict = createPolicy(
      {
        people: [
          { id: 'a', name: 'A' },
          { id: 'b', name: 'B' },
        ],
        rules: [
          {
            clusters: ['*'],
            namespaces: ['*'],
            requesters: ['a'],
            approvers: ['b'],
            autoApprove: { when: 'always', requesters: ['b'] },
          },
        ],
      },
      { identities: chatIdentities },
    );
    expect(strict.autoApproves('cls-a1b2c3d4', 'x', 'b')).toBe(false);
    expect(strict.autoApproves('cls-a1b2c3d4', 'x', 'a')).toBe(false);
    expect(policy.autoApproves('cls-sandbox1', 'shop', 'mallory')).toBe(false);
  });

  it('lets a rule that approves everything by itself do without approvers', () => {
    const config = policyConfigSchema.parse({
      people: [{ id: 'a', name: 'A' }],
      rules: [
        { clusters: ['cls-sandbox1'], namespaces: ['*'], requesters: ['*'], autoApprove: { when: 'always' } },
      ],
    });
    expect(config.rules[0]?.autoApprove).toEqual({ when: 'always' });
  });

  it('still needs reachable approvers when only some requesters are approved automatically', () => {
    expect(() =>
      parsePolicyConfig(
        {
          people: [{ id: 'a', name: 'A' }],
          rules: [
            {
              clusters: ['*'],
              namespaces: ['*'],
              requesters: ['a'],
              autoApprove: { when: 'always', requesters: ['a'] },
            },
          ],
        },
        chatIdentities,
      ),
    ).toThrow(/quorum 1 can never be reached/);
  });

  it('refuses unknown people and groups, and unknown words or keys, in autoApprove', () => {
    const issuesOf = (autoApprove: unknown): string[] => {
      try {
        parsePolicyConfig(
          {
            people: [{ id: 'a', name: 'A' }],
            rules: [{ clusters: ['*'], namespaces: ['*'], approvers: ['a'], autoApprove }],
          },
          chatIdentities,
        );
      } catch (error) {
        return (error as AppError).details.issues as string[];
      }
      return [];
    };
    const unknown = issuesOf({ when: 'always', requesters: ['zoe', 'group:nobody'] });
    expect(unknown.some((i) => i.startsWith('rules.0.autoApprove.requesters.0') && i.includes('zoe'))).toBe(
      true,
    );
    expect(unknown.some((i) => i.startsWith('rules.0.autoApprove.requesters.1'))).toBe(true);
    expect(issuesOf({ when: 'sometimes' }).some((i) => i.startsWith('rules.0.autoApprove.when'))).toBe(true);
    expect(issuesOf({ when: 'always', upTo: '1h' }).some((i) => i.includes('upTo'))).toBe(true);
  });
});

describe('policy: the existing questions keep their answers', () => {
  it('finds people by Slack and WeCom ids, and keeps requesters, approvers and quorum', () => {
    expect(policy.personByPlatformId('slack', 'U01ALICE')?.id).toBe('alice');
    expect(policy.personByPlatformId('wecom', 'BOB.W')?.id).toBe('bob');
    expect(policy.canRequest('alice', 'cls-prod0001', 'payments')).toEqual({ allowed: true });
    expect(
      policy.canApprove('bob', { requester: 'alice', clusterId: 'cls-prod0001', namespace: 'payments' }),
    ).toEqual({
      allowed: true,
    });
    expect(policy.approversFor('cls-prod0001', 'payments')).toEqual(['bob', 'carol']);
    expect(policy.quorumFor('cls-prod0001', 'payments')).toBe(1);
    expect(policy.ruleFor('cls-prod0001', 'payments')?.rule.maxDuration).toBe('8h');
  });

  it('accepts its own parsed output again, as the composition root does with the app config', () => {
    const once = policyConfigSchema.parse(parseYaml(yaml));
    const again = createPolicy(once, { identities: chatIdentities });
    expect(again.maxDurationFor('cls-prod0001', 'payments')).toBe(8 * 3_600_000);
    expect(again.autoApproves('cls-sandbox1', 'x', 'alice')).toBe(true);
  });
});
