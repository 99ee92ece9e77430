import { describe, expect, it } from 'vitest';
import { maySeeRequest } from '../../../src/chat/may-see-request.ts';
import { createPolicy } from '../../../src/policy/create-policy.ts';
import { chatIdentities } from '../../../src/app/chat-platforms.ts';

const policy = createPolicy(
  {
    people: ['alice', 'pia', 'paul', 'root', 'zoe'].map((id) => ({ id, name: id })),
    rules: [
      { clusters: ['*'], namespaces: ['my-namespace'], requesters: ['alice'], approvers: ['paul'] },
      { clusters: ['*'], namespaces: ['payments'], requesters: ['pia'], approvers: ['paul'] },
      { clusters: ['*'], namespaces: ['*'], approvers: ['root'] },
    ],
  },
  { identities: chatIdentities },
);

const payments = { clusterId: 'cls-sandbox1', namespace: 'payments', requester: 'pia' };

describe('maySeeRequest', () => {
  it("shows a request to its namespace's requesters and approvers and to platform-wide approvers", () => {
    expect(maySeeRequest(policy, 'pia', { ...payments, requester: 'paul' })).toBe(true);
    expect(maySeeRequest(policy, 'paul', payments)).toBe(true);
    expect(maySeeRequest(policy, 'root', payments)).toBe(true);
  });

  it('hides it from a person of another namespace and from someone the policy does not name', () => {
    expect(maySeeRequest(policy, 'alice', payments)).toBe(false);
    expect(maySeeRequest(policy, 'zoe', payments)).toBe(false);
    expect(maySeeRequest(policy, 'nobody', payments)).toBe(false);
  });

  it('always shows its requester her own request, even where she may no longer see the namespace', () => {
    // alice asked before the payments rule dropped her: her request stays hers to follow.
    const hers = { ...payments, requester: 'alice' };
    expect(policy.maySee('alice', hers.clusterId, hers.namespace)).toBe(false);
    expect(maySeeRequest(policy, 'alice', hers)).toBe(true);
  });
});
