/**
 * The sandbox's people: alice and dave request for my-namespace; bob and carol (who reads 中文)
 * approve. Each has a Slack and a WeCom id too: one identity, three platforms.
 */
import type { PolicyConfigInput } from '../policy/policy-config.ts';

export const sandboxPolicy: PolicyConfigInput = {
  people: [
    { id: 'alice', name: 'Alice', slack: 'U0ALICE', wecom: 'alice' },
    { id: 'dave', name: 'Dave', slack: 'U0DAVE', wecom: 'dave' },
    { id: 'bob', name: 'Bob', slack: 'U0BOB', wecom: 'bob' },
    { id: 'carol', name: 'Carol', locale: 'zh', slack: 'U0CAROL', wecom: 'carol' },
  ],
  groups: { approvers: ['bob', 'carol'], developers: ['alice', 'dave'] },
  rules: [
    {
      clusters: ['cls-sandbox1'],
      namespaces: ['my-namespace'],
      requesters: ['group:developers'],
      approvers: ['group:approvers'],
      quorum: 1,
    },
  ],
};
