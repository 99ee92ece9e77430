import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestWorld } from '../helpers/test-world.ts';
import type { TestWorld } from '../helpers/test-world.ts';

/** The seed's warning: a selected pod on a normal node gets no group, and the bot must say so, pod by pod. */
describe('granting a pod security group to an app that runs on a normal node', () => {
  let world: TestWorld;

  beforeAll(async () => {
    world = await startTestWorld('grant-normal-node');
  });

  afterAll(async () => {
    await world?.stop();
  });

  it('warns in the plan with the patch that pins it to super nodes, and ends needsAttention naming each pod and the event text', async () => {
    const opened = await world.say('dave', 'grant pod SG to app legacy-app in my-namespace');
    const requestId = opened.requestId!;
    const plan = await world.waitFor('dave', (m) => m.requestId === requestId && m.kind === 'plan');
    expect(plan.text).toContain('Deployment legacy-app is not pinned to super nodes');
    expect(plan.text).toContain('"nodeSelector":{"node.kubernetes.io/instance-type":"eklet"}');

    await world.app.console.say('carol', `批准 ${requestId}`);
    const result = await world.waitFor(
      'dave',
      (m) => m.requestId === requestId && m.kind === 'result',
      45_000,
    );
    expect(result.state).toBe('needsAttention');

    const pods = await world.kube.core.listNamespacedPod({
      namespace: 'my-namespace',
      labelSelector: 'app=legacy-app',
    });
    const live = pods.items.filter((p) => !p.metadata!.deletionTimestamp);
    expect(live.length).toBeGreaterThan(0);
    for (const pod of live) {
      expect(result.text).toContain(pod.metadata!.name!);
      expect(result.text).toContain(
        `security groups is only support super node, node ${pod.spec!.nodeName} is not super node`,
      );
    }
    // The fix, with the seed's nodeSelector and toleration for super nodes, and the next commands.
    expect(result.text).toContain(
      'Fix: pods on a normal node (10.0.0.1) get no security group; TKE gives them only to pods on super nodes.',
    );
    expect(result.text).toContain('nodeSelector node.kubernetes.io/instance-type=eklet');
    expect(result.text).toContain('a toleration of the taint eks.tke.cloud.tencent.com/eklet');
    expect(result.text).toContain("`kubectl patch deployment legacy-app -n my-namespace --type merge -p '");
    expect(result.text).toContain(
      `Then reply \`retry ${requestId}\` to restart and verify the pods again, or \`rollback ${requestId}\` to undo this request.`,
    );
    // carol approved in 中文, and reads the same in 中文.
    const carols = await world.waitFor('carol', (m) => m.requestId === requestId && m.kind === 'result');
    expect(carols.text).toContain('处理方法：普通节点（10.0.0.1）上的 Pod 无法获得安全组');
    expect(carols.text).toContain(
      `然后回复 \`重试 ${requestId}\` 重新重启并验证 Pod，或回复 \`回滚 ${requestId}\` 撤回本请求。`,
    );
    expect(carols.text).not.toMatch(/Fix:|Then reply/);

    const view = await world.app.engine.read(requestId);
    const verdicts = (view!.context as { outputs: { verifying: { pods: { ok: boolean }[] } } }).outputs
      .verifying.pods;
    expect(verdicts.every((v) => !v.ok)).toBe(true);
  });
});
