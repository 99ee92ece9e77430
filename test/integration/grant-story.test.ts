import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestWorld } from '../helpers/test-world.ts';
import type { TestWorld } from '../helpers/test-world.ts';
import { securityGroupAnnotation } from '../../src/ports/cluster.ts';
import { cloudWriteActions } from '../../src/ports/cloud-network.ts';
import { printedTccliLines, tccliLineProblems } from '../helpers/tccli-line-problems.ts';

/**
 * The first user story, end to end through the chat port: a developer asks, an approver signs off,
 * and the world is read back through the SDK and client-node — not through the bot.
 */
describe('granting a pod security group to my-app from chat', () => {
  let world: TestWorld;
  let requestId = '';
  let podGroupId = '';
  let clusterGroupId = '';
  const callsAtDone: { cloud: Record<string, number>; kube: Record<string, number> } = {
    cloud: {},
    kube: {},
  };
  let originalPods: string[] = [];

  beforeAll(async () => {
    world = await startTestWorld('grant-story');
    const pods = await world.kube.core.listNamespacedPod({
      namespace: 'my-namespace',
      labelSelector: 'app=my-app',
    });
    originalPods = pods.items.map((p) => p.metadata!.name!);
    const groups = await world.vpc.DescribeSecurityGroups({
      Filters: [{ Name: 'security-group-name', Values: ['tke-worker-security-for-cls-sandbox1'] }],
    });
    clusterGroupId = groups.SecurityGroupSet![0]!.SecurityGroupId!;
    world.emulator.resetCalls();
    await fetch(`${world.kubeUrl}/_admin/calls/reset`, { method: 'POST' });
  });

  afterAll(async () => {
    await world?.stop();
  });

  it('answers alice with a request id and then a plan naming the cluster group, the workload, the pods and each write', async () => {
    const opened = await world.say('alice', 'grant pod SG to app my-app in my-namespace');
    expect(opened.kind).toBe('reply');
    expect(opened.requestId).toMatch(/^[A-Z0-9]{4,}$/);
    requestId = opened.requestId!;

    const plan = await world.waitFor('alice', (m) => m.requestId === requestId && m.kind === 'plan');
    expect(plan.state).toBe('awaitingApproval');
    expect(plan.text).toContain(clusterGroupId);
    expect(plan.text).toContain('Deployment/my-deployment');
    for (const pod of originalPods) expect(plan.text).toContain(pod);
    expect(plan.text).toContain(
      'tccli vpc CreateSecurityGroup --region ap-guangzhou --GroupName sgops-my-namespace-my-app',
    );
    expect(plan.text).toContain(
      `CreateSecurityGroupPolicies --region ap-guangzhou --SecurityGroupId ${clusterGroupId}`,
    );
    // The group, DNS into the cluster group, the pod group's ingress and egress: each runs as printed.
    const tccli = printedTccliLines(plan.text);
    expect(tccli).toHaveLength(4);
    expect(tccli.flatMap((line) => tccliLineProblems(line, { POD_SG: 'sg-pod00001' }))).toEqual([]);
    expect(plan.text).toContain('kubectl apply -n my-namespace');
    expect(plan.text).toContain('kubectl rollout restart deployment/my-deployment -n my-namespace');

    const approval = await world.waitFor('bob', (m) => m.requestId === requestId && m.kind === 'approval');
    expect(approval.actions).toEqual([
      { id: 'approve', requestId },
      { id: 'deny', requestId },
    ]);
  });

  it("refuses alice's approval of her own request and changes nothing", async () => {
    const before = await world.app.engine.read(requestId);
    const answer = await world.say('alice', `approve ${requestId}`);
    expect(answer.kind).toBe('error');
    expect(answer.text).toBe(
      `You raised ${requestId}, so you cannot approve it yourself; another approver must: Bob (bob) or Carol (carol).`,
    );
    const after = await world.app.engine.read(requestId);
    expect(after!.state).toBe('awaitingApproval');
    expect(after!.context).toEqual(before!.context);
    expect(await world.app.store.listApprovals(requestId)).toEqual([]);
  });

  it("runs the workflow to done after bob's approval", async () => {
    await world.app.console.say('bob', `approve ${requestId}`);
    const result = await world.waitFor(
      'alice',
      (m) => m.requestId === requestId && m.kind === 'result',
      45_000,
    );
    expect(result.state).toBe('done');
    callsAtDone.cloud = world.emulator.calls();
    callsAtDone.kube = (await (await fetch(`${world.kubeUrl}/_admin/calls`)).json()) as Record<
      string,
      number
    >;
    const status = await world.say('alice', `status request ${requestId}`);
    expect(status.state).toBe('done');
  });

  it('leaves the pod group with exactly its three rules, read through the SDK', async () => {
    const found = await world.vpc.DescribeSecurityGroups({
      Filters: [{ Name: 'security-group-name', Values: ['sgops-my-namespace-my-app'] }],
    });
    expect(found.SecurityGroupSet).toHaveLength(1);
    podGroupId = found.SecurityGroupSet![0]!.SecurityGroupId!;
    const tags = Object.fromEntries(found.SecurityGroupSet![0]!.TagSet!.map((t) => [t.Key, t.Value]));
    expect(tags).toMatchObject({
      'sgops/cluster': 'cls-sandbox1',
      'sgops/namespace': 'my-namespace',
      'sgops/app': 'my-app',
      'sgops/managed': 'true',
    });

    const rules = await world.vpc.DescribeSecurityGroupPolicies({ SecurityGroupId: podGroupId });
    const ingress = rules.SecurityGroupPolicySet!.Ingress!.map((r) => [
      r.Protocol,
      r.Port,
      r.SecurityGroupId,
      r.Action,
    ]);
    expect(ingress).toEqual(
      expect.arrayContaining([
        ['ALL', 'ALL', podGroupId, 'ACCEPT'],
        ['ALL', 'ALL', clusterGroupId, 'ACCEPT'],
      ]),
    );
    expect(ingress).toHaveLength(2);
    const egress = rules.SecurityGroupPolicySet!.Egress!.map((r) => [
      r.Protocol,
      r.Port,
      r.CidrBlock,
      r.Action,
    ]);
    expect(egress).toEqual([['ALL', 'ALL', '0.0.0.0/0', 'ACCEPT']]);
  });

  it("adds the cluster group's TCP and UDP 53 rules from the pod group, once each", async () => {
    const rules = await world.vpc.DescribeSecurityGroupPolicies({ SecurityGroupId: clusterGroupId });
    const fromPods = rules.SecurityGroupPolicySet!.Ingress!.filter((r) => r.SecurityGroupId === podGroupId);
    expect(fromPods.map((r) => `${r.Protocol}/${r.Port}/${r.Action}`).sort()).toEqual([
      'TCP/53/ACCEPT',
      'UDP/53/ACCEPT',
    ]);
  });

  it('applies a SecurityGroupPolicy selecting app: my-app with the pod group, read through client-node', async () => {
    const policy = (await world.kube.custom.getNamespacedCustomObject({
      group: 'vpcresources.tke.cloud.tencent.com',
      version: 'v1beta1',
      namespace: 'my-namespace',
      plural: 'securitygrouppolicies',
      name: 'sgops-my-app',
    })) as {
      spec: { podSelector: { matchLabels: Record<string, string> }; securityGroups: { groupIds: string[] } };
    };
    expect(policy.spec.podSelector.matchLabels).toEqual({ app: 'my-app' });
    expect(policy.spec.securityGroups.groupIds).toEqual([podGroupId]);
  });

  it('recreated both pods, and each new pod carries the group while an unselected pod carries none', async () => {
    const pods = await world.kube.core.listNamespacedPod({
      namespace: 'my-namespace',
      labelSelector: 'app=my-app',
    });
    const running = pods.items.filter((p) => !p.metadata!.deletionTimestamp);
    expect(running).toHaveLength(2);
    for (const pod of running) {
      expect(originalPods).not.toContain(pod.metadata!.name);
      expect(pod.metadata!.annotations?.[securityGroupAnnotation]).toBe(podGroupId);
      expect(pod.status!.phase).toBe('Running');
    }
    const legacy = await world.kube.core.listNamespacedPod({
      namespace: 'my-namespace',
      labelSelector: 'app=legacy-app',
    });
    expect(legacy.items.length).toBeGreaterThan(0);
    for (const pod of legacy.items)
      expect(pod.metadata!.annotations?.[securityGroupAnnotation]).toBeUndefined();
  });

  it('made exactly four Tencent Cloud writes for a fresh grant', () => {
    const writes = [
      'CreateSecurityGroup',
      'CreateSecurityGroupPolicies',
      'DeleteSecurityGroupPolicies',
      'DeleteSecurityGroup',
    ];
    const counted = Object.fromEntries(writes.map((a) => [a, callsAtDone.cloud[a] ?? 0]));
    expect(counted).toEqual({
      CreateSecurityGroup: 1,
      CreateSecurityGroupPolicies: 3,
      DeleteSecurityGroupPolicies: 0,
      DeleteSecurityGroup: 0,
    });
  });

  it('audited every cloud and Kubernetes call of the request, one for one with what the stand-ins recorded', async () => {
    // Before the request was opened, alice's line read whether my-app runs (audited under her, no request).
    const asked = (await world.app.store.listAudit({ limit: 10_000 })).filter(
      (r) => r.requestId === null && r.actor === 'alice' && r.system === 'kubernetes',
    );
    expect(asked.filter((r) => r.kind === 'outcome').map((r) => r.action)).toEqual([
      'get namespaces',
      'list pods',
    ]);
    const rows = [...asked, ...(await world.app.store.listAudit({ requestId, limit: 10_000 }))];
    const count = (system: string) => {
      const outcomes = rows.filter((r) => r.system === system && r.kind === 'outcome');
      const intents = rows.filter((r) => r.system === system && r.kind === 'intent');
      expect(intents.map((r) => r.callId).sort()).toEqual(outcomes.map((r) => r.callId).sort());
      const counts: Record<string, number> = {};
      for (const r of outcomes) counts[r.action] = (counts[r.action] ?? 0) + 1;
      return counts;
    };
    expect(count('tencentcloud')).toEqual(callsAtDone.cloud);
    expect(count('kubernetes')).toEqual(callsAtDone.kube);
    const cloudOutcomes = rows.filter((r) => r.system === 'tencentcloud' && r.kind === 'outcome');
    for (const r of cloudOutcomes) expect(r.cloudRequestId).toMatch(/^[0-9a-f-]{36}$/);
    const decisions = rows
      .filter((r) => r.kind === 'decision')
      .map((r) => `${r.actor}:${r.action}:${r.outcome}`);
    expect(decisions).toEqual([
      'alice:request:accepted',
      'alice:approve:refused:self_approval',
      'bob:approve:accepted',
    ]);
    const serialised = JSON.stringify(rows);
    expect(serialised).not.toContain('test-secret-key-never-logged');
  });

  it('reuses the group, the rules and the policy when the same grant is asked again, writing nothing', async () => {
    world.emulator.resetCalls();
    const opened = await world.say('alice', 'grant pod SG to app my-app in my-namespace');
    const plan = await world.waitFor('alice', (m) => m.requestId === opened.requestId && m.kind === 'plan');
    expect(plan.text).toContain(`Reusing pod security group ${podGroupId}`);
    await world.app.console.say('bob', `approve ${opened.requestId}`);
    const result = await world.waitFor(
      'alice',
      (m) => m.requestId === opened.requestId && m.kind === 'result',
      45_000,
    );
    expect(result.state).toBe('done');
    const writes = Object.entries(world.emulator.calls()).filter(
      ([action, n]) => cloudWriteActions.has(action) && n > 0,
    );
    expect(writes).toEqual([]);
    const view = await world.app.engine.read(opened.requestId!);
    expect(
      (view!.context as { outputs: { recreatePods: { skipped: string[] } } }).outputs.recreatePods.skipped,
    ).toEqual(['Deployment/my-deployment']);
  });
});
