import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { samplePolicy, startTestWorld } from '../helpers/test-world.ts';
import type { TestWorld } from '../helpers/test-world.ts';
import type { KubeObject } from '../../adapters/kubernetes/simulator/kube-object.ts';
import { grantApproved } from '../helpers/chat-requests.ts';

/**
 * The mistakes a newcomer makes in the first hour, answered before anything is opened or any
 * approver asked: a typo'd app or account gets the nearest line to type, an unknown namespace is
 * told as unknown to people who may see the cluster — and to nobody else.
 */
describe('mistakes answered before anything is asked of an approver', () => {
  let world: TestWorld;

  beforeAll(async () => {
    // wanda may request in every namespace: for her, a namespace that is not there is a typo too.
    world = await startTestWorld('grant-mistakes', {
      policy: {
        ...samplePolicy,
        people: [...samplePolicy.people, { id: 'wanda', name: 'Wanda' }],
        rules: [
          ...samplePolicy.rules,
          { clusters: ['*'], namespaces: ['*'], requesters: ['wanda'], approvers: ['group:sre'], quorum: 1 },
        ],
      },
    });
  });

  afterAll(async () => {
    await world?.stop();
  });

  const requestCount = async () => (await world.app.store.listRequests({})).length;

  it('answers a typo of an app with the nearest app and the exact line to type, and opens nothing', async () => {
    const answer = await world.say('alice', 'grant pod SG to app my-ap in my-namespace');
    expect(answer.kind).toBe('error');
    expect(answer.requestId).toBeUndefined();
    expect(answer.text).toContain(
      'No pod and no workload in my-namespace on cls-sandbox1 is labelled app=my-ap, so nothing was requested.',
    );
    expect(answer.text).toContain('Did you mean:\n`grant pod SG to app my-app in my-namespace`');
    expect(await requestCount()).toBe(0);
    expect(await world.say('alice', 'requests mine')).toMatchObject({ text: 'Your requests: none.' });
  });

  it('answers the same typo in 中文 with the line in 中文', async () => {
    const answer = await world.say('alice', '授权 Pod 安全组 给 应用 my-ap 在 my-namespace');
    expect(answer.kind).toBe('error');
    expect(answer.text).toContain(
      '集群 cls-sandbox1 的命名空间 my-namespace 中没有任何 Pod 或工作负载带有标签 app=my-ap，因此没有发起任何请求。',
    );
    expect(answer.text).toContain('您是不是要：\n`授权 Pod 安全组 给 应用 my-app 在 my-namespace`');
    expect(answer.text).not.toMatch(/Did you mean|nothing was requested/);
    expect(await requestCount()).toBe(0);
  });

  it('a dry run of the typo is answered the same way', async () => {
    const answer = await world.say('alice', 'plan pod SG to app my-ap in my-namespace');
    expect(answer.text).toContain('`plan pod SG to app my-app in my-namespace`');
    expect(await requestCount()).toBe(0);
  });

  it('with nothing near, lists the apps and ServiceAccounts the namespace has', async () => {
    const answer = await world.say('alice', 'grant pod SG to app zzz in my-namespace');
    expect(answer.kind).toBe('error');
    expect(answer.text).toContain('labelled app=zzz, so nothing was requested.');
    expect(answer.text).toMatch(/The apps in my-namespace: [^\n]*\bmy-app\b[^\n]*\. Its ServiceAccounts: /);
    expect(await requestCount()).toBe(0);
  });

  it('answers a service account that does not exist with the nearest names', async () => {
    const answer = await world.say('alice', 'grant pod SG to serviceaccount my-ap in my-namespace');
    expect(answer.kind).toBe('error');
    expect(answer.text).toContain(
      'There is no ServiceAccount my-ap in my-namespace on cls-sandbox1, so nothing was requested.',
    );
    expect(answer.text).toContain('`grant pod SG to app my-app in my-namespace`');
    expect(await requestCount()).toBe(0);
  });

  it('tells alice, who may see the cluster, that a namespace does not exist', async () => {
    const answer = await world.say('alice', 'grant pod SG to app my-app in no-such-ns');
    expect(answer.kind).toBe('error');
    expect(answer.text).toBe(
      'There is no namespace no-such-ns in cls-sandbox1, so nothing was requested. Check the name (`kubectl get namespaces`) and ask again.',
    );
    const revoke = await world.say('alice', 'revoke pod SG from app my-app in no-such-ns');
    expect(revoke.text).toContain('There is no namespace no-such-ns in cls-sandbox1');
  });

  it('tells carol, an approver who reads 中文, the same in 中文', async () => {
    const answer = await world.say('carol', '授权 Pod 安全组 给 应用 my-app 在 no-such-ns');
    expect(answer.text).toBe(
      '集群 cls-sandbox1 中没有命名空间 no-such-ns，因此没有发起任何请求。请核对名称（`kubectl get namespaces`）后重新申请。',
    );
  });

  it('tells wanda, who may request in every namespace, that a namespace she typed does not exist, with the line to type, and opens nothing', async () => {
    const before = await requestCount();
    const answer = await world.say('wanda', 'grant pod SG to app kube-dns in kube-sytem');
    expect(answer.kind).toBe('error');
    expect(answer.requestId).toBeUndefined();
    expect(answer.text).toContain(
      'There is no namespace kube-sytem in cls-sandbox1, so nothing was requested.',
    );
    expect(answer.text).toContain('Did you mean:\n`grant pod SG to app kube-dns in kube-system`');
    // Only where she may ask: my-namespace is alice's and dave's.
    const far = await world.say('wanda', 'grant pod SG to app my-app in my-namespce');
    expect(far.text).toContain('There is no namespace my-namespce in cls-sandbox1');
    expect(far.text).not.toContain('Did you mean');
    const zh = await world.say('wanda', '授权 Pod 安全组 给 应用 kube-dns 在 kube-sytem');
    expect(zh.text).toContain('集群 cls-sandbox1 中没有命名空间 kube-sytem');
    expect(zh.text).toContain('您是不是要：\n`授权 Pod 安全组 给 应用 kube-dns 在 kube-system`');
    expect(await requestCount()).toBe(before);
  });

  it('offers alice, refused in a namespace that does not exist, the nearest one she may ask in', async () => {
    const answer = await world.say('alice', 'grant pod SG to app my-app in my-namespce');
    expect(answer.text).toContain(
      'There is no namespace my-namespce in cls-sandbox1, so nothing was requested.',
    );
    expect(answer.text).toContain('Did you mean:\n`grant pod SG to app my-app in my-namespace`');
  });

  it('finds an app whose only workload is a StatefulSet with no pods, or a DaemonSet with none, and plans it', async () => {
    const workload = (kind: 'StatefulSet' | 'DaemonSet', app: string): KubeObject => ({
      apiVersion: 'apps/v1',
      kind,
      metadata: { name: app, namespace: 'my-namespace', labels: { app } },
      spec: {
        ...(kind === 'StatefulSet' ? { replicas: 0, serviceName: app } : {}),
        selector: { matchLabels: { app } },
        template: {
          metadata: { labels: { app } },
          spec: {
            containers: [{ name: 'main', image: 'nginx:latest' }],
            // A DaemonSet for nodes there are none of: no pods.
            ...(kind === 'DaemonSet' ? { nodeSelector: { 'sgops.test/none': 'true' } } : {}),
          },
        },
      },
    });
    world.simulator.create('statefulsets', 'my-namespace', workload('StatefulSet', 'ledger'));
    world.simulator.create('daemonsets', 'my-namespace', workload('DaemonSet', 'node-agent'));
    await world.simulator.settle();
    for (const app of ['ledger', 'node-agent']) {
      const answer = await world.say('alice', `plan pod SG to app ${app} in my-namespace`);
      expect(answer.kind, answer.text).not.toBe('error');
      expect(answer.requestId, answer.text).toBeDefined();
    }
  });

  it('still refuses alice as a requester for a namespace that exists but is not hers', async () => {
    const answer = await world.say('alice', 'grant pod SG to app kube-dns in kube-system');
    expect(answer.text).toContain('alice may not request access for kube-system on cls-sandbox1');
  });

  it('tells erin, who may see nothing of the cluster, the same whether the namespace exists or not', async () => {
    const absent = await world.say('erin', 'grant pod SG to app my-app in no-such-ns');
    const present = await world.say('erin', 'grant pod SG to app my-app in kube-system');
    expect(absent.text).toBe(
      'erin may not request access for no-such-ns on cls-sandbox1; ask a platform engineer to add you as a requester.',
    );
    expect(present.text).toBe(
      'erin may not request access for kube-system on cls-sandbox1; ask a platform engineer to add you as a requester.',
    );
    expect(absent.text).not.toContain('There is no namespace');
  });

  it('plans a re-grant of an app already granted as all in place, item by item, and its done says nothing changed', async () => {
    const first = await grantApproved(world, 'grant pod SG to app my-app in my-namespace');
    expect(first.end.state).toBe('done');
    expect(first.end.text).not.toContain('Nothing changed');

    const again = await grantApproved(world, 'grant pod SG to app my-app in my-namespace');
    expect(again.plan.text).toContain('Changes to make: none; all of it is already in place.');
    expect(again.plan.text).toContain('Already in place, nothing to do:');
    expect(again.plan.text).toContain(
      '- [kubernetes] Deployment my-deployment: every pod already carries the group; no restart',
    );
    expect(again.plan.text).toMatch(/- \[kubernetes\] SecurityGroupPolicy \S+ already selects/);
    expect(again.plan.text.match(/: already in place\n/g)).toHaveLength(3);
    expect(again.plan.text).not.toMatch(/^\d+\. /m);
    const card = await world.waitFor(
      'carol',
      (m) => m.requestId === again.requestId && m.kind === 'approval',
    );
    expect(card.text).toContain('将要进行的更改：无，全部已就绪。');
    expect(card.text).toContain('已就绪，无需更改：');
    expect(card.text).not.toContain('Changes to make');

    expect(again.end.state).toBe('done');
    expect(again.end.text.trimEnd().endsWith('Nothing changed: all of it was already in place.')).toBe(true);
  });

  it('names who can approve, by display name, in the plan, the card, and the refusals of alice deciding her own request', async () => {
    const opened = await world.say('alice', 'grant pod SG to app my-app in my-namespace');
    const id = opened.requestId!;
    const plan = await world.waitFor('alice', (m) => m.requestId === id && m.kind === 'plan');
    expect(plan.text).toContain(
      'Sign-offs needed:\n- approvers of my-namespace — Bob (bob) or Carol (carol): 0 of 1',
    );
    const card = await world.waitFor('carol', (m) => m.requestId === id && m.kind === 'approval');
    expect(card.text).toContain('需要的批准：\n- my-namespace 的审批人 — Bob（bob）或 Carol（carol）：0/1');

    const approve = await world.say('alice', `approve ${id}`);
    expect(approve.text).toBe(
      `You raised ${id}, so you cannot approve it yourself; another approver must: Bob (bob) or Carol (carol).`,
    );
    const approveZh = await world.say('alice', `批准 ${id}`);
    expect(approveZh.text).toBe(
      `${id} 是您发起的，您不能自己审批，需由其他审批人审批：Bob（bob）或 Carol（carol）。`,
    );

    const deny = await world.say('alice', `deny ${id} changed my mind`);
    expect(deny.text).toBe(
      `You raised ${id}, so you cannot deny it; you may withdraw it: reply \`cancel ${id}\`.`,
    );
    const denyZh = await world.say('alice', `拒绝 ${id} 不需要了`);
    expect(denyZh.text).toBe(`${id} 是您发起的，您不能拒绝它；如要撤回，请回复 \`取消 ${id}\`。`);
    expect((await world.app.engine.read(id))!.state).toBe('awaitingApproval');

    await world.say('alice', `cancel ${id}`);
    expect((await world.app.engine.read(id))!.state).toBe('cancelled');
  });
});
