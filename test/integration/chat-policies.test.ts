import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestWorld } from '../helpers/test-world.ts';
import type { TestWorld } from '../helpers/test-world.ts';
import { chatIdentities } from '../../src/app/chat-platforms.ts';

const sgp = {
  group: 'vpcresources.tke.cloud.tencent.com',
  version: 'v1beta1',
  plural: 'securitygrouppolicies',
};

/** `status policies`: what the cluster's SecurityGroupPolicies are, who made them, and whom they select. */
describe('status policies', () => {
  let world: TestWorld;
  let requestId: string;
  let podGroupId: string;

  const kubeCalls = async () =>
    (await (await fetch(`${world.kubeUrl}/_admin/calls`)).json()) as Record<string, number>;
  const resetKubeCalls = () => fetch(`${world.kubeUrl}/_admin/calls/reset`, { method: 'POST' });
  const createPolicy = (namespace: string, name: string, spec: Record<string, unknown>) =>
    world.kube.custom.createNamespacedCustomObject({
      ...sgp,
      namespace,
      body: {
        apiVersion: `${sgp.group}/${sgp.version}`,
        kind: 'SecurityGroupPolicy',
        metadata: { name, namespace },
        spec,
      },
    });

  beforeAll(async () => {
    world = await startTestWorld('chat-policies');
    const opened = await world.say('alice', 'grant pod SG to app my-app in my-namespace');
    requestId = opened.requestId!;
    await world.waitFor('bob', (m) => m.requestId === requestId && m.kind === 'approval');
    await world.app.console.say('bob', `approve ${requestId}`);
    const result = await world.waitFor(
      'alice',
      (m) => m.requestId === requestId && m.kind === 'result',
      45_000,
    );
    expect(result.state).toBe('done');
    const policy = (await world.kube.custom.getNamespacedCustomObject({
      ...sgp,
      namespace: 'my-namespace',
      name: 'sgops-my-app',
    })) as { spec: { securityGroups: { groupIds: string[] } } };
    podGroupId = policy.spec.securityGroups.groupIds[0]!;

    // A policy made by hand, selecting by service account: every pod of the namespace runs as `default`.
    const account = await world.kube.core.readNamespacedServiceAccount({
      name: 'default',
      namespace: 'my-namespace',
    });
    account.metadata!.labels = { team: 'shop' };
    await world.kube.core.replaceNamespacedServiceAccount({
      name: 'default',
      namespace: 'my-namespace',
      body: account,
    });
    await createPolicy('my-namespace', 'hand-made', {
      serviceAccountSelector: { matchLabels: { team: 'shop' } },
      securityGroups: { identities: chatIdentities, groupIds: ['sg-hand0001'] },
    });
    // …and one where nobody in the access policy may request or approve.
    await world.kube.core.createNamespace({ body: { metadata: { name: 'other-ns' } } });
    await createPolicy('other-ns', 'elsewhere', {
      podSelector: { matchLabels: { app: 'x' } },
      securityGroups: { identities: chatIdentities, groupIds: ['sg-else0001'] },
    });
  }, 90_000);

  afterAll(async () => {
    await world?.stop();
  });

  it('lists the granted policy with its group, request and pods, and a hand-made one as not managed by sgops', async () => {
    const reply = await world.say('alice', 'status policies in my-namespace');
    expect(reply.kind).toBe('reply');
    expect(reply.text.split('\n')).toEqual([
      'SecurityGroupPolicies in my-namespace (2):',
      '- hand-made in my-namespace · selects service accounts team=shop · groups sg-hand0001 · not managed by sgops · pods: 2 on super nodes (0 with its groups), 1 elsewhere',
      `- sgops-my-app in my-namespace · selects pods app=my-app · groups ${podGroupId} · managed by sgops, request ${requestId} (done) · pods: 2 on super nodes (2 with its groups), 0 elsewhere`,
    ]);
  });

  it('answers a Chinese line in Chinese', async () => {
    const reply = await world.say('carol', '状态 策略 在 my-namespace');
    expect(reply.text).toContain('命名空间 my-namespace 中的 SecurityGroupPolicy（共 2 个）');
    expect(reply.text).toContain(
      `- sgops-my-app（命名空间 my-namespace）· 选择 Pod 标签 app=my-app · 安全组 ${podGroupId} · 由 sgops 管理，请求 ${requestId}（已完成）`,
    );
    expect(reply.text).toContain('- hand-made（命名空间 my-namespace）· 选择 服务账号标签 team=shop');
    expect(reply.text).toContain('非 sgops 管理');
    expect(reply.text).not.toContain('managed by');
  });

  it('without a namespace shows only the namespaces the person may request or approve for', async () => {
    const reply = await world.say('dave', 'status policies');
    expect(reply.text).toContain(
      'SecurityGroupPolicies in the namespaces you may request or approve for (2):',
    );
    expect(reply.text).toContain('- sgops-my-app in my-namespace');
    expect(reply.text).not.toContain('other-ns');
  });

  it('refuses a namespace the person has no part in, before asking the cluster anything', async () => {
    await resetKubeCalls();
    const reply = await world.say('bob', 'status policies in other-ns');
    expect(reply.kind).toBe('error');
    expect(reply.text).toBe(
      'You may see only the namespaces you may request or approve for, and other-ns on cls-sandbox1 is not one of them. To see it, ask an sgops operator to add you to its rule in the policy file.',
    );
    expect(await kubeCalls()).toEqual({});
  });

  it('makes the same Kubernetes requests however many policies there are, and bounds a long answer', async () => {
    await resetKubeCalls();
    await world.say('alice', 'status policies in my-namespace');
    const withTwo = await kubeCalls();
    expect(withTwo).toEqual({
      'list securitygrouppolicies': 1,
      'list nodes': 1,
      'list pods': 1,
      'list serviceaccounts': 1,
    });

    for (let i = 0; i < 25; i += 1) {
      await createPolicy('my-namespace', `legacy-${String(i).padStart(2, '0')}`, {
        podSelector: { matchLabels: { app: 'legacy-app' } },
        securityGroups: { identities: chatIdentities, groupIds: ['sg-lgcy0001'] },
      });
    }
    await resetKubeCalls();
    const reply = await world.say('alice', 'status policies in my-namespace');
    expect(await kubeCalls()).toEqual(withTwo);
    const lines = reply.text.split('\n');
    expect(lines[0]).toBe('SecurityGroupPolicies in my-namespace (27):');
    expect(lines).toHaveLength(1 + 20 + 1);
    expect(lines[2]).toBe(
      '- legacy-00 in my-namespace · selects pods app=legacy-app · groups sg-lgcy0001 · not managed by sgops · pods: 0 on super nodes (0 with its groups), 1 elsewhere',
    );
    expect(lines.at(-1)).toBe('…and 7 more');
  });
});
