import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestWorld } from '../../helpers/test-world.ts';
import type { TestWorld } from '../../helpers/test-world.ts';
import { apiGroupOf, permission, readRepoFile, yamlDocuments } from '../../unit/deploy/deploy-files.ts';

interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

/** What deploy/base/cluster-role.yaml grants, as permission strings. */
function clusterRoleGrants(): Set<string> {
  const [role] = yamlDocuments(readRepoFile('deploy/base/cluster-role.yaml')) as { rules: PolicyRule[] }[];
  const out = new Set<string>();
  for (const rule of role!.rules)
    for (const g of rule.apiGroups)
      for (const r of rule.resources) for (const v of rule.verbs) out.add(permission(g, r, v));
  return out;
}

/** The actions of the CAM policy block in docs/operator-guide.md, without their service prefix. */
function camPolicyActions(): Set<string> {
  const guide = readRepoFile('docs/operator-guide.md');
  const block = /## Tencent Cloud CAM policy[\s\S]*?```json\n([\s\S]*?)```/.exec(guide)![1]!;
  const policy = JSON.parse(block) as { statement: { action: string[] }[] };
  return new Set(policy.statement.flatMap((s) => s.action.map((a) => a.split(':')[1]!)));
}

/**
 * The least-privilege claims checked against what really happens: a whole grant, status questions
 * and a revoke through the bot, with the simulator and the emulator counting every request it makes.
 * The ClusterRole also covers StatefulSets and DaemonSets, which this run (Deployments only) does not touch.
 */
describe('the permissions an operator grants, against what a grant really uses', () => {
  let world: TestWorld;
  let kubeCalls: Record<string, number> = {};
  let cloudCalls: Record<string, number> = {};

  beforeAll(async () => {
    world = await startTestWorld('deploy-permissions');
    world.emulator.resetCalls();
    await fetch(`${world.kubeUrl}/_admin/calls/reset`, { method: 'POST' });
    const opened = await world.say('alice', 'grant pod SG to app my-app in my-namespace');
    const requestId = opened.requestId!;
    await world.waitFor('bob', (m) => m.requestId === requestId && m.kind === 'approval');
    await world.app.console.say('bob', `approve ${requestId}`);
    const result = await world.waitFor(
      'alice',
      (m) => m.requestId === requestId && m.kind === 'result',
      45_000,
    );
    expect(result.state).toBe('done');
    await world.say('alice', `status request ${requestId}`);
    await world.say('alice', 'status app my-app in my-namespace');
    // …and the road back: revoke reads references and deletes rules and the group.
    const revoke = await world.say('alice', 'revoke pod SG from app my-app in my-namespace');
    const revoked = await world.waitFor(
      'alice',
      (m) => m.requestId === revoke.requestId && m.kind === 'result',
      45_000,
    );
    expect(revoked.state).toBe('done');
    kubeCalls = (await (await fetch(`${world.kubeUrl}/_admin/calls`)).json()) as Record<string, number>;
    cloudCalls = world.emulator.calls();
    if (process.env.SGOPS_TEST_PRINT) console.log(kubeCalls, cloudCalls);
  });
  afterAll(async () => {
    await world?.stop();
  });

  it('the ClusterRole allows every Kubernetes request the simulator recorded', () => {
    const grants = clusterRoleGrants();
    const used = Object.keys(kubeCalls);
    expect(used).toContain('patch deployments');
    for (const request of used) {
      const [verb, resource] = request.split(' ') as [string, string];
      expect(grants, request).toContain(permission(apiGroupOf[resource] ?? '?', resource, verb));
    }
  });

  it('the CAM policy in the operator guide lists exactly the Tencent Cloud actions a grant, a status and a revoke used', () => {
    expect([...camPolicyActions()].sort()).toEqual(Object.keys(cloudCalls).sort());
  });
});
