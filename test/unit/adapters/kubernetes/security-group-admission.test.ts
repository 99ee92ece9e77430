import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../adapters/kubernetes/simulator/kube-object.ts';
import type { ResourceApi } from '../../../../adapters/kubernetes/simulator/resource-api.ts';
import { SecurityGroupAdmission } from '../../../../adapters/kubernetes/simulator/security-group-admission.ts';

/**
 * The add-on's matching rules on objects the API server would not even store (a policy with both
 * selectors fails validation), read through the few ResourceApi calls the admission makes.
 */
function admission(objects: { policies: KubeObject[]; accounts: KubeObject[] }) {
  const listed: (string | undefined)[] = [];
  const api = {
    types: [{ plural: 'securitygrouppolicies' }],
    type: (plural: string) => ({ plural }),
    list: (_t: unknown, namespace: string | undefined) => {
      listed.push(namespace);
      return objects.policies.filter((p) => p.metadata.namespace === namespace);
    },
    find: (_plural: string, namespace: string, name: string) =>
      objects.accounts.find((a) => a.metadata.namespace === namespace && a.metadata.name === name),
  } as unknown as ResourceApi;
  return { sgs: new SecurityGroupAdmission(api), listed };
}

let version = 0;
const policy = (namespace: string, spec: Record<string, unknown>, groupIds: string[]): KubeObject => ({
  metadata: {
    name: `p${++version}`,
    namespace,
    creationTimestamp: '2024-01-01T00:00:00Z',
    resourceVersion: String(version),
  },
  spec: { ...spec, securityGroups: { groupIds } },
});
const account = (namespace: string, name: string, labels: Record<string, string>): KubeObject => ({
  metadata: { name, namespace, labels },
});
const pod = (namespace: string, serviceAccountName: string, labels: Record<string, string>): KubeObject => ({
  metadata: { name: 'pod', namespace, labels },
  spec: { serviceAccountName },
});

describe('the simulated add-on matching a pod to policies', () => {
  it('needs both selectors to match when a policy sets both', () => {
    const both = policy(
      'shop',
      {
        podSelector: { matchLabels: { app: 'web' } },
        serviceAccountSelector: { matchLabels: { team: 'pay' } },
      },
      ['sg-aaaa1111'],
    );
    const { sgs } = admission({
      policies: [both],
      accounts: [account('shop', 'api', { team: 'pay' }), account('shop', 'web', { team: 'web' })],
    });
    expect(sgs.groupsFor(pod('shop', 'api', { app: 'web' }))).toEqual(['sg-aaaa1111']);
    expect(sgs.groupsFor(pod('shop', 'web', { app: 'web' }))).toEqual([]);
    expect(sgs.groupsFor(pod('shop', 'api', { app: 'api' }))).toEqual([]);
  });

  it("looks only at the pod's namespace, and at its account's labels (none when it does not exist)", () => {
    const { sgs, listed } = admission({
      policies: [
        policy('shop', { serviceAccountSelector: { matchLabels: { team: 'pay' } } }, ['sg-aaaa1111']),
        policy('other', { serviceAccountSelector: { matchLabels: { team: 'pay' } } }, ['sg-bbbb2222']),
      ],
      accounts: [account('shop', 'api', { team: 'pay' })],
    });
    expect(sgs.groupsFor(pod('shop', 'api', {}))).toEqual(['sg-aaaa1111']);
    expect(sgs.groupsFor(pod('shop', 'ghost', {}))).toEqual([]);
    expect(listed).toEqual(['shop', 'shop']);
  });

  it('lets an empty selector match every pod, and joins the groups of all matching policies once each, in order', () => {
    const { sgs } = admission({
      policies: [
        policy('shop', { serviceAccountSelector: {} }, ['sg-aaaa1111', 'sg-bbbb2222']),
        policy('shop', { podSelector: {} }, ['sg-bbbb2222', 'sg-cccc3333']),
      ],
      accounts: [account('shop', 'default', {})],
    });
    expect(sgs.groupsFor(pod('shop', 'default', { app: 'x' }))).toEqual([
      'sg-aaaa1111',
      'sg-bbbb2222',
      'sg-cccc3333',
    ]);
  });
});
