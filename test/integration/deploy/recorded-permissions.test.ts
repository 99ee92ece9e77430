import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentialProviderActions } from '../../../adapters/tencentcloud/emulator/index.ts';
import { clusterId, startTestWorld } from '../../helpers/test-world.ts';
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

/** The actions the trust policy of the TKE workload identity role allows, from the guide's Credentials section. */
function trustPolicyActions(): string[] {
  const guide = readRepoFile('docs/operator-guide.md');
  const block = /### TKE workload identity[\s\S]*?```json\n([\s\S]*?)```/.exec(guide)![1]!;
  const policy = JSON.parse(block) as { statement: { action: string }[] };
  return policy.statement.map((s) => s.action.replace(/^name\//, ''));
}

/**
 * The least-privilege claims checked against what really happens: a whole grant, status questions
 * and a revoke through the bot, with the simulator and the emulator counting every request it makes.
 * sgops signs in as an operator on TKE would: a CAM role through the cluster's OIDC workload identity.
 * The ClusterRole also covers StatefulSets and DaemonSets, which this run (Deployments only) does not touch.
 */
describe('the permissions an operator grants, against what a grant really uses', () => {
  let world: TestWorld;
  let kubeCalls: Record<string, number> = {};
  let cloudCalls: Record<string, number> = {};
  let tokenDir: string;

  beforeAll(async () => {
    tokenDir = await mkdtemp(path.join(tmpdir(), 'sgops-permissions-'));
    const tokenFile = path.join(tokenDir, 'token');
    const token = 'eyJhbGciOiJSUzI1NiJ9.sgops-serviceaccount.sig';
    const roleArn = 'qcs::cam::uin/100000000001:roleName/sgops';
    await writeFile(tokenFile, token);
    world = await startTestWorld(
      'deploy-permissions',
      {},
      {
        emulator: { sts: { webIdentity: { providerId: clusterId, token, roleArn } } },
        cloudCredentials: { kind: 'oidc', roleArn, providerId: clusterId, tokenFile },
      },
    );
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
    await world.say('alice', 'status policies in my-namespace');
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
    await rm(tokenDir, { recursive: true, force: true });
  });

  it('the ClusterRole allows every Kubernetes request the simulator recorded', () => {
    const grants = clusterRoleGrants();
    const used = Object.keys(kubeCalls);
    expect(used).toContain('patch deployments');
    expect(used).toContain('list securitygrouppolicies');
    for (const request of used) {
      const [verb, resource] = request.split(' ') as [string, string];
      expect(grants, request).toContain(permission(apiGroupOf[resource] ?? '?', resource, verb));
    }
  });

  it('the CAM policy in the operator guide lists exactly the Tencent Cloud actions a grant, a status and a revoke used', () => {
    // The credential exchange is the provider's, allowed by the role's trust policy, not its permission policy.
    const portActions = Object.keys(cloudCalls).filter((a) => !credentialProviderActions.includes(a));
    expect([...camPolicyActions()].sort()).toEqual(portActions.sort());
  });

  it("the role's trust policy in the operator guide allows the one exchange the credential provider made", () => {
    const exchanges = Object.keys(cloudCalls).filter((a) => credentialProviderActions.includes(a));
    expect(exchanges).toEqual(['AssumeRoleWithWebIdentity']);
    expect(trustPolicyActions().map((a) => a.split(':')[1])).toEqual(exchanges);
  });
});
