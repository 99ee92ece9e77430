import * as k8s from '@kubernetes/client-node';
import type { SecurityGroupLimitSet } from 'tencentcloud-sdk-nodejs/tencentcloud/services/vpc/v20170312/vpc_models.js';
import { afterEach, describe, expect, it } from 'vitest';
import { kubeConfigFor } from '../../../../adapters/kubernetes/kube-config-for.ts';
import type { KubernetesSimulator } from '../../../../adapters/kubernetes/simulator/create-kubernetes-simulator.ts';
import { createKubernetesSimulator } from '../../../../adapters/kubernetes/simulator/create-kubernetes-simulator.ts';
import type { NetworkModel } from '../../../../adapters/kubernetes/simulator/network-model.ts';
import { networkFromEmulator } from '../../../../adapters/kubernetes/simulator/network-from-emulator.ts';
import { sampleApplication } from '../../../../adapters/kubernetes/simulator/sample-application.ts';
import { seedSampleWorld } from '../../../../adapters/kubernetes/simulator/seed-sample-world.ts';
import type { TencentCloudEmulator } from '../../../../adapters/tencentcloud/emulator/index.ts';
import {
  createTencentCloudEmulator,
  sandboxCloudSeed,
} from '../../../../adapters/tencentcloud/emulator/index.ts';
import { securityGroupAnnotation } from '../../../../src/ports/cluster.ts';
import { sdkClients } from '../tencentcloud/sdk-clients.ts';

const region = 'ap-guangzhou';
const clusterId = 'cls-sandbox1';
const ns = 'my-namespace';
const credential = { secretId: 'AKIDgrouplimit', secretKey: 'group-limit-secret' };

async function until<T>(read: () => Promise<T | undefined>, what: string, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

interface World {
  emulator?: TencentCloudEmulator;
  sim: KubernetesSimulator;
  core: k8s.CoreV1Api;
  custom: k8s.CustomObjectsApi;
  cloudUrl?: string;
}

describe('the security groups one pod may carry', () => {
  let world: World | undefined;
  afterEach(async () => {
    await world?.sim.stop();
    await world?.emulator?.stop();
    world = undefined;
  });

  /**
   * A simulator over a started emulator (the network model read in-process, or over the admin
   * URL), with the sample world's super nodes; the API is used over HTTP with client-node.
   */
  async function start(
    options: {
      reportedLimits?: Partial<SecurityGroupLimitSet>;
      model?: 'in-process' | 'admin-url' | 'none';
    } = {},
  ): Promise<World> {
    const emulator = createTencentCloudEmulator({
      credentials: [credential],
      seed: sandboxCloudSeed(clusterId),
      region,
      reportedLimits: options.reportedLimits,
    });
    const cloud = await emulator.start();
    const clusterGroupId = emulator
      .state()
      .securityGroups.find((g) => g.name === `tke-worker-security-for-${clusterId}`)?.id as string;
    const model = options.model ?? 'in-process';
    const network: NetworkModel | undefined =
      model === 'none'
        ? undefined
        : networkFromEmulator(model === 'admin-url' ? cloud.adminUrl : emulator, { region, clusterGroupId });
    const sim = createKubernetesSimulator({ podStartLatencyMs: 10, sandboxRetryMs: 100, network });
    const { url } = await sim.start();
    await seedSampleWorld(sim);
    const config = kubeConfigFor({ server: url });
    world = {
      emulator,
      sim,
      core: config.makeApiClient(k8s.CoreV1Api),
      custom: config.makeApiClient(k8s.CustomObjectsApi),
      cloudUrl: cloud.url,
    };
    return world;
  }

  /** Creates `count` groups with the SDK, as sgops does. */
  async function createGroups(w: World, count: number): Promise<string[]> {
    const { vpc } = sdkClients(w.cloudUrl as string, credential, region);
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const created = await vpc.CreateSecurityGroup({
        GroupName: `pod-group-${i}`,
        GroupDescription: 'pod group',
      });
      ids.push(created.SecurityGroup?.SecurityGroupId ?? '');
    }
    return ids;
  }

  /** A SecurityGroupPolicy selecting `app: <name>`, then a pod with that label on a super node. */
  async function createPodWithGroups(w: World, name: string, groupIds: string[]): Promise<void> {
    await w.custom.createNamespacedCustomObject({
      group: 'vpcresources.tke.cloud.tencent.com',
      version: 'v1beta1',
      namespace: ns,
      plural: 'securitygrouppolicies',
      body: {
        apiVersion: 'vpcresources.tke.cloud.tencent.com/v1beta1',
        kind: 'SecurityGroupPolicy',
        metadata: { name: `${name}-policy` },
        spec: { podSelector: { matchLabels: { app: name } }, securityGroups: { groupIds } },
      },
    });
    const template = sampleApplication(ns).deployment.spec.template.spec;
    await w.core.createNamespacedPod({
      namespace: ns,
      body: {
        metadata: { name, labels: { app: name } },
        spec: {
          containers: [{ name: 'nginx', image: 'nginx:latest' }],
          nodeSelector: template.nodeSelector,
          tolerations: template.tolerations,
        },
      },
    });
  }

  async function sandboxWarning(w: World, name: string): Promise<k8s.CoreV1Event> {
    return until(async () => {
      const events = await w.core.listNamespacedEvent({ namespace: ns });
      return events.items.find((e) => e.involvedObject.name === name && e.type === 'Warning');
    }, `the warning about ${name}`);
  }

  async function running(w: World, name: string): Promise<k8s.V1Pod> {
    return until(async () => {
      const pod = await w.core.readNamespacedPod({ namespace: ns, name });
      return pod.status?.phase === 'Running' ? pod : undefined;
    }, `${name} running`);
  }

  async function expectStuckCreating(w: World, name: string, groupIds: string[]): Promise<void> {
    const pod = await w.core.readNamespacedPod({ namespace: ns, name });
    expect(pod.metadata?.annotations?.[securityGroupAnnotation]).toBe(groupIds.join(','));
    expect(pod.status?.phase).toBe('Pending');
    expect(pod.status?.containerStatuses?.[0]?.state).toEqual({ waiting: { reason: 'ContainerCreating' } });
    expect(pod.status?.podIP).toBeUndefined();
  }

  it('keeps a pod naming 6 groups in ContainerCreating under the default limit of 5, and runs one naming 5', async () => {
    const w = await start();
    const ids = await createGroups(w, 6);
    await createPodWithGroups(w, 'six-groups', ids);
    await createPodWithGroups(w, 'five-groups', ids.slice(0, 5));

    const warning = await sandboxWarning(w, 'six-groups');
    expect(warning.reason).toBe('FailedCreatePodSandBox');
    expect(warning.message).toBe(
      'Failed to create pod sandbox: LimitExceeded.AssociateUSGLimitExceeded: the pod names 6 security groups, an instance may have at most 5',
    );
    await expectStuckCreating(w, 'six-groups', ids);

    const five = await running(w, 'five-groups');
    expect(five.metadata?.annotations?.[securityGroupAnnotation]).toBe(ids.slice(0, 5).join(','));

    // The kubelet keeps trying, and keeps refusing: the one warning's count grows.
    await until(async () => {
      const events = await w.core.listNamespacedEvent({ namespace: ns });
      const same = events.items.filter((e) => e.involvedObject.name === 'six-groups' && e.type === 'Warning');
      return same.length === 1 && (same[0]?.count ?? 0) >= 2 ? true : undefined;
    }, 'a retried sandbox');
    await expectStuckCreating(w, 'six-groups', ids);
  });

  it('enforces the limit DescribeSecurityGroupLimits reports, read over the admin URL', async () => {
    const w = await start({ reportedLimits: { InstanceSecurityGroupLimit: 3 }, model: 'admin-url' });
    const { vpc } = sdkClients(w.cloudUrl as string, credential, region);
    const reported = await vpc.DescribeSecurityGroupLimits(null);
    expect(reported.SecurityGroupLimitSet?.InstanceSecurityGroupLimit).toBe(3);

    const ids = await createGroups(w, 4);
    await createPodWithGroups(w, 'four-groups', ids);
    await createPodWithGroups(w, 'three-groups', ids.slice(0, 3));

    const warning = await sandboxWarning(w, 'four-groups');
    expect(warning.message).toBe(
      'Failed to create pod sandbox: LimitExceeded.AssociateUSGLimitExceeded: the pod names 4 security groups, an instance may have at most 3',
    );
    await expectStuckCreating(w, 'four-groups', ids);
    await running(w, 'three-groups');
  });

  it('names the limit, not the missing group, for a pod with too many groups one of which is missing', async () => {
    const w = await start();
    const ids = [...(await createGroups(w, 5)), 'sg-deadbeef'];
    await createPodWithGroups(w, 'six-with-ghost', ids);
    const warning = await sandboxWarning(w, 'six-with-ghost');
    expect(warning.message).toContain('the pod names 6 security groups, an instance may have at most 5');
  });

  it('lets a pod carry any number of groups without a network model', async () => {
    const w = await start({ model: 'none' });
    const ids = ['sg-aaaaaaa1', 'sg-aaaaaaa2', 'sg-aaaaaaa3', 'sg-aaaaaaa4', 'sg-aaaaaaa5', 'sg-aaaaaaa6'];
    await createPodWithGroups(w, 'six-groups', ids);
    const pod = await running(w, 'six-groups');
    expect(pod.metadata?.annotations?.[securityGroupAnnotation]).toBe(ids.join(','));
    const events = await w.core.listNamespacedEvent({ namespace: ns });
    expect(events.items.filter((e) => e.reason === 'FailedCreatePodSandBox')).toEqual([]);
  });
});
