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
    const view = await world.app.engine.read(requestId);
    const verdicts = (view!.context as { outputs: { verifying: { pods: { ok: boolean }[] } } }).outputs
      .verifying.pods;
    expect(verdicts.every((v) => !v.ok)).toBe(true);
  });
});
