import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestWorld } from '../helpers/test-world.ts';
import type { TestWorld } from '../helpers/test-world.ts';
import { securityGroupAnnotation } from '../../src/ports/cluster.ts';

/** Giving access back, from chat: the same road walked backwards, without an approval. */
describe('revoking a grant from chat', () => {
  let world: TestWorld;

  beforeAll(async () => {
    world = await startTestWorld('chat-revoke');
  });

  afterAll(async () => {
    await world?.stop();
  });

  it('removes the policy, recreates the pods without the group, and deletes the DNS rules and the group', async () => {
    const granted = await world.say('alice', 'grant pod SG to app my-app in my-namespace');
    await world.waitFor('alice', (m) => m.requestId === granted.requestId && m.kind === 'plan');
    await world.app.console.say('bob', `approve ${granted.requestId}`);
    await world.waitFor('alice', (m) => m.requestId === granted.requestId && m.kind === 'result', 45_000);

    const opened = await world.say(
      'alice',
      'revoke pod SG from app my-app in my-namespace because the migration is over',
    );
    expect(opened.text).toContain('revoke pod SG from app my-app in my-namespace');
    const end = await world.waitFor(
      'alice',
      (m) => m.requestId === opened.requestId && m.kind === 'result',
      45_000,
    );
    expect(end.state).toBe('done');
    expect(end.text).toContain('Removed: policy sgops-my-app');

    const groups = await world.vpc.DescribeSecurityGroups({
      Filters: [{ Name: 'security-group-name', Values: ['sgops-my-namespace-my-app'] }],
    });
    expect(groups.SecurityGroupSet).toEqual([]);
    const cluster = await world.vpc.DescribeSecurityGroupPolicies({ SecurityGroupId: 'sg-sandbox1' });
    expect(cluster.SecurityGroupPolicySet!.Ingress!.filter((r) => r.Port === '53')).toEqual([]);
    const pods = await world.kube.core.listNamespacedPod({
      namespace: 'my-namespace',
      labelSelector: 'app=my-app',
    });
    expect(pods.items.length).toBe(2);
    for (const pod of pods.items)
      expect(pod.metadata!.annotations?.[securityGroupAnnotation]).toBeUndefined();
  });
});
