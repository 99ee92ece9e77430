/**
 * The drift watch hears Kubernetes instead of waiting for its interval: with the scheduled sweep ten
 * minutes away and no sweep called by the test, a granted app's SecurityGroupPolicy deleted with
 * client-node (what `kubectl delete securitygrouppolicy` sends) is told to alice within seconds, and
 * its return once more; so is a pod of the app that runs without the group (on the normal node),
 * and its going away. Two replicas watch the same cluster; each change still makes one sweep and
 * one message, and a change to a policy no grant owns, or a pod of another app, makes none.
 */
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/main.ts';
import type { App } from '../../src/main.ts';
import type { GrantContext } from '../../workflows/grant/types.ts';
import { stateBecomes } from '../helpers/state-becomes.ts';
import { startTestWorld } from '../helpers/test-world.ts';
import { normalNodeName } from '../../adapters/kubernetes/simulator/seed-sample-world.ts';
import type { TestWorld } from '../helpers/test-world.ts';

const sgp = {
  group: 'vpcresources.tke.cloud.tencent.com',
  version: 'v1beta1',
  namespace: 'my-namespace',
  plural: 'securitygrouppolicies',
};

describe('the drift watch hears a policy change within seconds', () => {
  let world: TestWorld;
  let replicaB: App | null = null;
  let requestId = '';
  let podGroupId = '';
  let podSelector: Record<string, string> = {};
  /**
   * The drift messages in a person's console conversation, as kept: either replica may send one,
   * and an unserved console tells only its own replica's subscribers at once.
   */
  const drift = async (person: string) =>
    (await world.app.console.messagesFor(person)).filter(
      (m) => m.requestId === requestId && /matches what was approved|批准时的状态/.test(m.text),
    );
  /** Group reads of the sweeps so far: each sweep reads the pod group and the cluster group once. */
  const groupReads = () => world.emulator.calls()['DescribeSecurityGroupPolicies'] ?? 0;
  /** Until no sweep has run for longer than a heard change waits for its sweep. */
  const quiet = async () => {
    for (let last = -1; last !== groupReads();) {
      last = groupReads();
      await new Promise((r) => setTimeout(r, 3_000));
    }
  };
  const told = async (person: string, count: number) => {
    await expect
      .poll(async () => (await drift(person)).length, { timeout: 20_000, interval: 100 })
      .toBe(count);
    return (await drift(person)).at(-1)!;
  };

  beforeAll(async () => {
    world = await startTestWorld('drift-heard', { drift: { sweepMs: 600_000 } });
    const opened = await world.say('alice', 'grant pod SG to app my-app in my-namespace');
    requestId = opened.requestId!;
    await stateBecomes(world, requestId, ['awaitingApproval']);
    await world.app.console.say('bob', `approve ${requestId}`);
    expect(await stateBecomes(world, requestId, ['done', 'needsAttention', 'failed'])).toBe('done');
    const context = (await world.app.engine.read(requestId))!.context as GrantContext;
    podGroupId = context.outputs.ensurePodSecurityGroup!.podGroupId;
    podSelector = context.spec.podSelector;
    // A second replica on the same store and Redis: it watches the cluster too.
    replicaB = await createApp(world.app.config, { logger: pino({ level: 'silent' }) });
    await replicaB.start();
    await quiet();
  }, 90_000);

  afterAll(async () => {
    await replicaB?.stop();
    await world?.stop();
  });

  it('makes no sweep for a policy no grant owns', async () => {
    world.emulator.resetCalls();
    await world.kube.custom.createNamespacedCustomObject({
      ...sgp,
      body: {
        apiVersion: `${sgp.group}/${sgp.version}`,
        kind: 'SecurityGroupPolicy',
        metadata: { name: 'someone-elses', namespace: sgp.namespace },
        spec: { podSelector: { matchLabels: { app: 'other' } }, securityGroups: { groupIds: [podGroupId] } },
      },
    });
    await new Promise((r) => setTimeout(r, 3_500));
    expect(groupReads()).toBe(0);
  });

  it('tells alice and bob once, within seconds, that the granted policy was deleted, though two replicas heard it', async () => {
    world.emulator.resetCalls();
    const deletedAt = Date.now();
    await world.kube.custom.deleteNamespacedCustomObject({ ...sgp, name: 'sgops-my-app' });
    const message = await told('alice', 1);
    expect(Date.now() - deletedAt).toBeLessThan(15_000);
    expect(message.text).toContain(
      `${requestId} (grant pod SG to app my-app in my-namespace on cls-sandbox1)`,
    );
    expect(message.text).toContain('sgops-my-app');
    await told('bob', 1);
    await quiet();
    // One sweep, whichever replica took it: the pod group and the cluster group, read once each.
    expect(groupReads()).toBe(2);
    expect(await drift('alice')).toHaveLength(1);
    expect(await drift('bob')).toHaveLength(1);
  });

  it('says once, within seconds, that all is as approved again when the policy is put back', async () => {
    world.emulator.resetCalls();
    const putBackAt = Date.now();
    await world.kube.custom.createNamespacedCustomObject({
      ...sgp,
      body: {
        apiVersion: `${sgp.group}/${sgp.version}`,
        kind: 'SecurityGroupPolicy',
        metadata: { name: 'sgops-my-app', namespace: sgp.namespace },
        spec: { podSelector: { matchLabels: podSelector }, securityGroups: { groupIds: [podGroupId] } },
      },
    });
    const message = await told('alice', 2);
    expect(Date.now() - putBackAt).toBeLessThan(15_000);
    expect(message.text).toBe(
      `${requestId} (grant pod SG to app my-app in my-namespace on cls-sandbox1) matches what was approved again.`,
    );
    await quiet();
    expect(groupReads()).toBe(2);
    expect(await drift('alice')).toHaveLength(2);
    expect(await drift('bob')).toHaveLength(2);
  });

  const podOnNormalNode = (name: string, app: string) => ({
    metadata: { name, namespace: sgp.namespace, labels: { app } },
    spec: { nodeName: normalNodeName, containers: [{ name: 'nginx', image: 'nginx:1.25' }] },
  });

  it('makes no sweep for a pod of another app that runs without a group', async () => {
    world.emulator.resetCalls();
    await world.kube.core.createNamespacedPod({
      namespace: sgp.namespace,
      body: podOnNormalNode('other-on-normal', 'other'),
    });
    await new Promise((r) => setTimeout(r, 3_500));
    expect(groupReads()).toBe(0);
  });

  it('tells alice once, within seconds, of a pod of my-app on the normal node, and once when it is gone', async () => {
    world.emulator.resetCalls();
    const startedAt = Date.now();
    await world.kube.core.createNamespacedPod({
      namespace: sgp.namespace,
      body: podOnNormalNode('my-app-on-normal', 'my-app'),
    });
    const found = await told('alice', 3);
    expect(Date.now() - startedAt).toBeLessThan(15_000);
    expect(found.text).toContain('my-app-on-normal');
    expect(found.text).toContain(normalNodeName);
    await told('bob', 3);
    await world.kube.core.deleteNamespacedPod({
      namespace: sgp.namespace,
      name: 'my-app-on-normal',
      gracePeriodSeconds: 0,
    });
    const cleared = await told('alice', 4);
    expect(cleared.text).toContain('matches what was approved again');
    await quiet();
    expect(await drift('alice')).toHaveLength(4);
    expect(await drift('bob')).toHaveLength(4);
  });
});
