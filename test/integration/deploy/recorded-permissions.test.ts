import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentialProviderActions } from '../../../adapters/tencentcloud/emulator/index.ts';
import { clusterId, samplePolicy, startTestWorld } from '../../helpers/test-world.ts';
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

/** A pod template pinned to super nodes (the seed's nodeSelector and toleration). */
const superNodeTemplate = (app: string, extra: Record<string, unknown> = {}) => ({
  metadata: { labels: { app } },
  spec: {
    containers: [{ name: 'main', image: 'nginx:latest' }],
    nodeSelector: { 'node.kubernetes.io/instance-type': 'eklet' },
    tolerations: [{ effect: 'NoSchedule', key: 'eks.tke.cloud.tencent.com/eklet', operator: 'Exists' }],
    ...extra,
  },
});

/**
 * The least-privilege claims checked against what really happens: grants to a Deployment, a
 * StatefulSet, a DaemonSet (one of its pods on a normal node, so verification reads its events), a
 * service account, and an app in a namespace that does not exist yet; a repeated grant that updates
 * a policy; status questions; and a revoke — through the bot, with the simulator and the emulator
 * counting every request it makes. sgops signs in as an operator on TKE would: a CAM role through the
 * cluster's OIDC workload identity.
 */
describe('the permissions an operator grants, against what a grant really uses', () => {
  let world: TestWorld;
  let kubeCalls: Record<string, number> = {};
  let cloudCalls: Record<string, number> = {};
  let tokenDir: string;
  const endings: Record<string, string> = {};

  /** Asks as alice, approves as bob, and records how the request ended. */
  const grant = async (line: string) => {
    const opened = await world.say('alice', line);
    const requestId = opened.requestId!;
    expect(requestId, `${line}: ${opened.text}`).toBeTruthy();
    await world.waitFor('bob', (m) => m.requestId === requestId && m.kind === 'approval', 30_000);
    await world.app.console.say('bob', `approve ${requestId}`);
    const result = await world.waitFor(
      'alice',
      (m) => m.requestId === requestId && m.kind === 'result',
      45_000,
    );
    endings[line] = result.state ?? '?';
  };

  beforeAll(async () => {
    tokenDir = await mkdtemp(path.join(tmpdir(), 'sgops-permissions-'));
    const tokenFile = path.join(tokenDir, 'token');
    const token = 'eyJhbGciOiJSUzI1NiJ9.sgops-serviceaccount.sig';
    const roleArn = 'qcs::cam::uin/100000000001:roleName/sgops';
    await writeFile(tokenFile, token);
    world = await startTestWorld(
      'deploy-permissions',
      {
        policy: {
          ...samplePolicy,
          rules: samplePolicy.rules.map((r) => ({ ...r, namespaces: ['my-namespace', 'new-ns'] })),
        },
        // The drift watch on, as in production: it watches the policies between its sweeps.
        drift: { sweepMs: 600_000 },
      },
      {
        emulator: { sts: { webIdentity: { providerId: clusterId, token, roleArn } } },
        cloudCredentials: { kind: 'oidc', roleArn, providerId: clusterId, tokenFile },
      },
    );
    // The rest of a real cluster, made before counting starts: what an operator already runs.
    const ns = 'my-namespace';
    await world.kube.apps.createNamespacedStatefulSet({
      namespace: ns,
      body: {
        metadata: { name: 'db' },
        spec: {
          replicas: 2,
          serviceName: 'db',
          selector: { matchLabels: { app: 'db' } },
          template: superNodeTemplate('db'),
        },
      },
    });
    await world.kube.apps.createNamespacedDaemonSet({
      namespace: ns,
      body: {
        metadata: { name: 'agent' },
        // Tolerates the super-node taint without being pinned: one pod lands on the normal node.
        spec: {
          selector: { matchLabels: { app: 'agent' } },
          template: {
            metadata: { labels: { app: 'agent' } },
            spec: {
              containers: [{ name: 'main', image: 'nginx:latest' }],
              tolerations: [{ key: 'eks.tke.cloud.tencent.com/eklet', operator: 'Exists' }],
            },
          },
        },
      },
    });
    await world.kube.core.createNamespacedServiceAccount({
      namespace: ns,
      body: { metadata: { name: 'builder' } },
    });
    await world.kube.apps.createNamespacedDeployment({
      namespace: ns,
      body: {
        metadata: { name: 'builder' },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: 'builder' } },
          template: superNodeTemplate('builder', { serviceAccountName: 'builder' }),
        },
      },
    });
    await world.simulator.settle();
    world.emulator.resetCalls();
    await fetch(`${world.kubeUrl}/_admin/calls/reset`, { method: 'POST' });
    // The drift watch's request was opened at start: an API server restart makes it watch again.
    world.simulator.closeWatches();

    await grant('grant pod SG to app my-app in my-namespace');
    // The same app again, into a group of its own name: the policy is updated, not recreated.
    await grant('grant pod SG to app my-app in my-namespace as group web-shared');
    await grant('grant pod SG to app db in my-namespace');
    await grant('grant pod SG to app agent in my-namespace');
    await grant('grant pod SG to serviceaccount builder in my-namespace');
    // The seed's order: the policy first, the app later, in a namespace applying the policy creates.
    await grant('grant pod SG to app future-app in new-ns');
    // A namespace mistyped is answered with the nearest there are: it lists them.
    const typo = await world.say('alice', 'grant pod SG to app my-app in my-namespce');
    expect(typo.text).toContain('`grant pod SG to app my-app in my-namespace`');
    const anyRequest = await world.say('alice', 'requests mine');
    expect(anyRequest.text).toContain('my-app');
    await world.say('alice', 'status app my-app in my-namespace');
    const policies = await world.say('alice', 'status policies in my-namespace');
    expect(policies.text).toContain('sgops-sa.builder');
    // …and the road back: revoke reads references and deletes rules, the policy and the group.
    const revoke = await world.say('alice', 'revoke pod SG from app db in my-namespace');
    const revoked = await world.waitFor(
      'alice',
      (m) => m.requestId === revoke.requestId && m.kind === 'result',
      45_000,
    );
    endings['revoke db'] = revoked.state ?? '?';
    kubeCalls = (await (await fetch(`${world.kubeUrl}/_admin/calls`)).json()) as Record<string, number>;
    cloudCalls = world.emulator.calls();
    if (process.env.SGOPS_TEST_PRINT) console.log(endings, kubeCalls, cloudCalls);
  }, 300_000);
  afterAll(async () => {
    await world?.stop();
    await rm(tokenDir, { recursive: true, force: true });
  });

  it('ran every request to its expected end', () => {
    expect(endings).toEqual({
      'grant pod SG to app my-app in my-namespace': 'done',
      'grant pod SG to app my-app in my-namespace as group web-shared': 'done',
      'grant pod SG to app db in my-namespace': 'done',
      // The pod on the normal node cannot get a group, and says why.
      'grant pod SG to app agent in my-namespace': 'needsAttention',
      'grant pod SG to serviceaccount builder in my-namespace': 'done',
      // Applied, but no pod exists yet to prove it: `retry` verifies once the app is deployed.
      'grant pod SG to app future-app in new-ns': 'needsAttention',
      'revoke db': 'done',
    });
  });

  it('the ClusterRole grants exactly the Kubernetes requests the simulator recorded, and no more', () => {
    const used = new Set(
      Object.keys(kubeCalls).map((request) => {
        const [verb, resource] = request.split(' ') as [string, string];
        return permission(apiGroupOf[resource] ?? '?', resource, verb);
      }),
    );
    expect([...used].sort()).toEqual([...clusterRoleGrants()].sort());
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
