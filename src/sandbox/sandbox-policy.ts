/** The sandbox's people: alice and dave request for my-namespace; bob and carol (who reads 中文) approve. */
import type { PolicyConfigInput } from '../policy/policy-config.ts';

export const sandboxPolicy: PolicyConfigInput = {
  people: [
    { id: 'alice', name: 'Alice' },
    { id: 'dave', name: 'Dave' },
    { id: 'bob', name: 'Bob' },
    { id: 'carol', name: 'Carol', locale: 'zh' },
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
