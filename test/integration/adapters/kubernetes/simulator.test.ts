import * as k8s from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKubernetesCluster } from '../../../../adapters/kubernetes/create-kubernetes-cluster.ts';
import { kubeConfigFor } from '../../../../adapters/kubernetes/kube-config-for.ts';
import type { KubernetesSimulator } from '../../../../adapters/kubernetes/simulator/create-kubernetes-simulator.ts';
import { createKubernetesSimulator } from '../../../../adapters/kubernetes/simulator/create-kubernetes-simulator.ts';
import { seedSampleWorld } from '../../../../adapters/kubernetes/simulator/seed-sample-world.ts';
import { waitForRollout } from '../../../../adapters/kubernetes/simulator/wait-for-rollout.ts';
import { clusterActionOf, clusterActions, securityGroupAnnotation } from '../../../../src/ports/cluster.ts';

const sgp = {
  group: 'vpcresources.tke.cloud.tencent.com',
  version: 'v1beta1',
  plural: 'securitygrouppolicies',
};
const ns = 'my-namespace';
const mergePatch = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);

function policy(name: string, selector: Record<string, string>, groupIds: string[]) {
  return {
    apiVersion: 'vpcresources.tke.cloud.tencent.com/v1beta1',
    kind: 'SecurityGroupPolicy',
    metadata: { name, namespace: ns },
    spec: { podSelector: { matchLabels: selector }, securityGroups: { groupIds } },
  };
}

function statusOf(error: unknown): Record<string, unknown> {
  expect(error).toBeInstanceOf(k8s.ApiException);
  return JSON.parse((error as k8s.ApiException<string>).body) as Record<string, unknown>;
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the request to fail');
}

describe('the Kubernetes simulator through @kubernetes/client-node', () => {
  let sim: KubernetesSimulator;
  let core: k8s.CoreV1Api;
  let apps: k8s.AppsV1Api;
  let custom: k8s.CustomObjectsApi;
  let url: string;

  beforeEach(async () => {
    sim = createKubernetesSimulator({ podStartLatencyMs: 10 });
    ({ url } = await sim.start());
    await seedSampleWorld(sim);
    const kc = kubeConfigFor({ server: url });
    core = kc.makeApiClient(k8s.CoreV1Api);
    apps = kc.makeApiClient(k8s.AppsV1Api);
    custom = kc.makeApiClient(k8s.CustomObjectsApi);
  });
  afterEach(() => sim.stop());

  const restart = async (name: string) => {
    const at = new Date().toISOString();
    await apps.patchNamespacedDeployment(
      {
        namespace: ns,
        name,
        body: {
          spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': at } } } },
        },
      },
      mergePatch,
    );
    await waitForRollout(sim, ns, name);
  };

  it('seeds the sample world: super nodes, the sample application on them and legacy-app on the normal node', async () => {
    const nodes = await core.listNode();
    expect(nodes.items.map((n) => n.metadata?.name).sort()).toEqual([
      '10.0.0.1',
      'eklet-subnet-q21rasu6-2kd9xw1m',
      'eklet-subnet-q21rasu6-8bpgyx9r',
    ]);
    const pods = await core.listNamespacedPod({ namespace: ns, labelSelector: 'app=my-app' });
    expect(pods.items).toHaveLength(2);
    for (const p of pods.items) {
      expect(p.spec?.nodeName).toMatch(/^eklet-subnet-q21rasu6-/);
      expect(p.status?.phase).toBe('Running');
      expect(p.status?.podIP).toMatch(/^10\.0\.64\.\d+$/);
      expect(p.metadata?.name).toMatch(/^my-deployment-[a-z0-9]{10}-[a-z0-9]{5}$/);
    }
    const legacy = await core.listNamespacedPod({ namespace: ns, labelSelector: 'app=legacy-app' });
    expect(legacy.items.map((p) => p.spec?.nodeName)).toEqual(['10.0.0.1']);
    expect(legacy.items[0]?.status?.podIP).toMatch(/^10\.0\.0\.\d+$/);
    const dns = await apps.readNamespacedDeployment({ namespace: 'kube-system', name: 'coredns' });
    expect(dns.status?.availableReplicas).toBe(2);
    const svc = await core.readNamespacedService({ namespace: ns, name: 'my-app' });
    expect(svc.spec?.selector).toEqual({ app: 'my-app' });
  });

  it('gives pods recreated after a policy exists the security-group annotation on super nodes, and not unselected pods', async () => {
    await custom.createNamespacedCustomObject({
      ...sgp,
      namespace: ns,
      body: policy('p1', { app: 'my-app' }, ['sg-aaaa1111', 'sg-bbbb2222']),
    });
    await custom.createNamespacedCustomObject({
      ...sgp,
      namespace: ns,
      body: policy('p2', { app: 'my-app' }, ['sg-bbbb2222', 'sg-cccc3333']),
    });
    await restart('my-deployment');
    await restart('legacy-app');
    const pods = await core.listNamespacedPod({ namespace: ns, labelSelector: 'app=my-app' });
    expect(pods.items).toHaveLength(2);
    for (const p of pods.items) {
      expect(p.metadata?.annotations?.[securityGroupAnnotation]).toBe('sg-aaaa1111,sg-bbbb2222,sg-cccc3333');
    }
    const legacy = await core.listNamespacedPod({ namespace: ns, labelSelector: 'app=legacy-app' });
    expect(legacy.items[0]?.metadata?.annotations?.[securityGroupAnnotation]).toBeUndefined();
  });

  it('warns with the exact TKE message when a selected pod lands on a normal node', async () => {
    await custom.createNamespacedCustomObject({
      ...sgp,
      namespace: ns,
      body: policy('legacy', { app: 'legacy-app' }, ['sg-aaaa1111']),
    });
    await restart('legacy-app');
    const [pod] = (await core.listNamespacedPod({ namespace: ns, labelSelector: 'app=legacy-app' })).items;
    expect(pod?.metadata?.annotations?.[securityGroupAnnotation]).toBeUndefined();
    const events = await core.listNamespacedEvent({
      namespace: ns,
      fieldSelector: `involvedObject.name=${pod?.metadata?.name}`,
    });
    const warning = events.items.find((e) => e.type === 'Warning');
    expect(warning?.message).toBe(
      'security groups is only support super node, node 10.0.0.1 is not super node',
    );
    expect(warning?.involvedObject.uid).toBe(pod?.metadata?.uid);
  });

  it('leaves running pods untouched when a policy is created or changed', async () => {
    const before = (await core.listNamespacedPod({ namespace: ns })).items;
    const created = (await custom.createNamespacedCustomObject({
      ...sgp,
      namespace: ns,
      body: policy('p', { app: 'my-app' }, ['sg-aaaa1111']),
    })) as {
      metadata: { resourceVersion: string };
    };
    await custom.replaceNamespacedCustomObject({
      ...sgp,
      namespace: ns,
      name: 'p',
      body: {
        ...policy('p', { app: 'my-app' }, ['sg-dddd4444']),
        metadata: { name: 'p', namespace: ns, resourceVersion: created.metadata.resourceVersion },
      },
    });
    await sim.settle();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const after = (await core.listNamespacedPod({ namespace: ns })).items;
    expect(after.map((p) => [p.metadata?.uid, p.metadata?.resourceVersion, p.metadata?.annotations])).toEqual(
      before.map((p) => [p.metadata?.uid, p.metadata?.resourceVersion, p.metadata?.annotations]),
    );
  });

  it('replaces every pod on a rolling restart, never dropping below the available minimum', async () => {
    const before = (await core.listNamespacedPod({ namespace: ns, labelSelector: 'app=my-app' })).items;
    let minReady = Number.POSITIVE_INFINITY;
    const poll = setInterval(() => {
      const ready = sim
        .list('pods', ns, { labelSelector: 'app=my-app' })
        .filter((p) => p.status?.phase === 'Running').length;
      minReady = Math.min(minReady, ready);
    }, 1);
    await restart('my-deployment');
    clearInterval(poll);
    const after = (await core.listNamespacedPod({ namespace: ns, labelSelector: 'app=my-app' })).items;
    expect(after).toHaveLength(2);
    const oldUids = new Set(before.map((p) => p.metadata?.uid));
    const oldNames = new Set(before.map((p) => p.metadata?.name));
    for (const p of after) {
      expect(oldUids.has(p.metadata?.uid)).toBe(false);
      expect(oldNames.has(p.metadata?.name)).toBe(false);
      expect(p.metadata!.creationTimestamp!.getTime()).toBeGreaterThanOrEqual(
        before[0]!.metadata!.creationTimestamp!.getTime(),
      );
    }
    // maxUnavailable 25% of 2 rounds down to 0: both pods stay available throughout.
    expect(minReady).toBeGreaterThanOrEqual(2);
    const d = await apps.readNamespacedDeployment({ namespace: ns, name: 'my-deployment' });
    expect(d.status?.conditions?.find((c) => c.type === 'Progressing')?.reason).toBe(
      'NewReplicaSetAvailable',
    );
    expect(d.status?.observedGeneration).toBe(d.metadata?.generation);
    const sets = await apps.listNamespacedReplicaSet({ namespace: ns, labelSelector: 'app=my-app' });
    expect(sets.items.map((rs) => rs.spec?.replicas).sort()).toEqual([0, 2]);
  });

  it('answers a stale update with a 409 Conflict Status', async () => {
    const d = await apps.readNamespacedDeployment({ namespace: ns, name: 'legacy-app' });
    await apps.patchNamespacedDeployment(
      { namespace: ns, name: 'legacy-app', body: { metadata: { labels: { touched: 'yes' } } } },
      mergePatch,
    );
    const error = await failure(
      apps.replaceNamespacedDeployment({ namespace: ns, name: 'legacy-app', body: d }),
    );
    expect((error as k8s.ApiException<string>).code).toBe(409);
    expect(statusOf(error)).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'Operation cannot be fulfilled on deployments.apps "legacy-app": the object has been modified; please apply your changes to the latest version and try again',
      reason: 'Conflict',
      details: { name: 'legacy-app', group: 'apps', kind: 'deployments' },
      code: 409,
    });
  });

  it('answers 404 and AlreadyExists with the API server Status bodies', async () => {
    const missing = await failure(core.readNamespacedPod({ namespace: ns, name: 'nope' }));
    expect(statusOf(missing)).toMatchObject({
      reason: 'NotFound',
      message: 'pods "nope" not found',
      details: { name: 'nope', kind: 'pods' },
      code: 404,
    });
    const dup = await failure(core.createNamespace({ body: { metadata: { name: ns } } }));
    expect(statusOf(dup)).toMatchObject({
      reason: 'AlreadyExists',
      message: `namespaces "${ns}" already exists`,
      code: 409,
    });
  });

  it('rejects an invalid SecurityGroupPolicy with a 422 Invalid Status', async () => {
    const body = policy('bad', { app: 'my-app' }, ['sg-UPPER123', 'sg-abcd1234']);
    const error = await failure(custom.createNamespacedCustomObject({ ...sgp, namespace: ns, body }));
    expect((error as k8s.ApiException<string>).code).toBe(422);
    const status = statusOf(error);
    expect(status).toMatchObject({
      reason: 'Invalid',
      code: 422,
      details: { name: 'bad', group: sgp.group, kind: 'SecurityGroupPolicy' },
    });
    expect((status['details'] as { causes: { field: string }[] }).causes.map((c) => c.field)).toEqual([
      'spec.securityGroups.groupIds[0]',
    ]);
    const empty = await failure(
      custom.createNamespacedCustomObject({
        ...sgp,
        namespace: ns,
        body: { ...body, spec: { podSelector: {}, securityGroups: { groupIds: [] } } },
      }),
    );
    expect((empty as k8s.ApiException<string>).code).toBe(422);
  });

  it('filters lists by set-based label selectors and by field selectors', async () => {
    const both = await core.listNamespacedPod({ namespace: ns, labelSelector: 'app in (my-app,legacy-app)' });
    expect(both.items).toHaveLength(3);
    const notMine = await core.listNamespacedPod({ namespace: ns, labelSelector: 'app notin (my-app),app' });
    expect(notMine.items.map((p) => p.metadata?.labels?.['app'])).toEqual(['legacy-app']);
    const onNormal = await core.listPodForAllNamespaces({ fieldSelector: 'spec.nodeName=10.0.0.1' });
    expect(onNormal.items).toHaveLength(3);
  });

  it('streams watch events from a resourceVersion', async () => {
    const list = await core.listNamespacedPod({ namespace: ns, labelSelector: 'app=legacy-app' });
    const seen: string[] = [];
    const watch = new k8s.Watch(kubeConfigFor({ server: url }));
    const req = await watch.watch(
      `/api/v1/namespaces/${ns}/pods`,
      { labelSelector: 'app=legacy-app', resourceVersion: list.metadata?.resourceVersion },
      (type) => seen.push(type),
      () => undefined,
    );
    await restart('legacy-app');
    await new Promise((resolve) => setTimeout(resolve, 20));
    req.abort();
    expect(seen).toContain('ADDED');
    expect(seen).toContain('MODIFIED');
    expect(seen).toContain('DELETED');
  });

  it('keeps a pod that fits no node Pending', async () => {
    await core.createNamespacedPod({
      namespace: ns,
      body: {
        metadata: { name: 'stuck' },
        spec: { nodeSelector: { disk: 'ssd' }, containers: [{ name: 'c', image: 'nginx' }] },
      },
    });
    await sim.settle();
    await new Promise((resolve) => setTimeout(resolve, 30));
    const pod = await core.readNamespacedPod({ namespace: ns, name: 'stuck' });
    expect(pod.status?.phase).toBe('Pending');
    expect(pod.spec?.nodeName).toBeUndefined();
    expect(pod.status?.conditions?.[0]?.reason).toBe('Unschedulable');
  });

  it('counts each adapter call under the port action name', async () => {
    const cluster = createKubernetesCluster({ kubeConfig: kubeConfigFor({ server: url }) });
    sim.resetCalls();
    await cluster.getSecurityGroupPolicyCrd();
    await cluster.getNamespace(ns);
    await cluster.listNodes();
    await cluster.listPods(ns, 'app=my-app');
    await cluster.listEvents(ns, 'x');
    await cluster.listReplicaSets(ns, 'app=my-app');
    const ref = { kind: 'Deployment' as const, name: 'my-deployment' };
    await cluster.getWorkload(ns, ref);
    await cluster.restartWorkload(ns, ref, new Date().toISOString());
    await cluster.waitForRollout(ns, ref, { timeoutMs: 10_000 });
    await cluster.getSecurityGroupPolicy(ns, 'p');
    const watching = new AbortController();
    const heard: string[] = [];
    const watched = cluster.watchSecurityGroupPolicies(
      (c) => heard.push(`${c.type} ${c.name}`),
      watching.signal,
    );
    const created = await cluster.createSecurityGroupPolicy({
      name: 'p',
      namespace: ns,
      podSelector: {},
      groupIds: ['sg-abcd1234'],
    });
    await cluster.replaceSecurityGroupPolicy(created);
    await cluster.deleteSecurityGroupPolicy(ns, 'p');
    await expect.poll(() => heard).toContain('DELETED p');
    const pods: string[] = [];
    const podsWatched = cluster.watchPods(({ pod }) => pods.push(pod.name), watching.signal);
    await expect.poll(() => pods.length).toBeGreaterThan(0);
    watching.abort();
    await Promise.all([watched, podsWatched]);
    await cluster.listSecurityGroupPolicies(ns);
    await cluster.listServiceAccounts(ns);
    await cluster.createNamespace('fresh');
    await cluster.listNamespaces();
    await cluster.getServiceAccount(ns, 'default');
    await cluster.patchServiceAccountLabels(ns, 'default', { team: 'a' });
    const calls = (await (await fetch(`${url}/_admin/calls`)).json()) as Record<string, number>;
    const expected = (Object.keys(clusterActions) as (keyof typeof clusterActions)[]).map((m) =>
      clusterActionOf(m, [ns, ref]),
    );
    expect(calls).toEqual(Object.fromEntries(expected.map((a) => [a, 1])));
  });
});

describe('the simulator options', () => {
  it('requires the bearer token when one is set, which the adapter maps to K8S_FORBIDDEN', async () => {
    const sim = createKubernetesSimulator({ token: 's3cret' });
    const { url } = await sim.start();
    try {
      const wrong = createKubernetesCluster({ kubeConfig: kubeConfigFor({ server: url, token: 'wrong' }) });
      await expect(wrong.listNodes()).rejects.toMatchObject({ code: 'K8S_FORBIDDEN' });
      const right = createKubernetesCluster({ kubeConfig: kubeConfigFor({ server: url, token: 's3cret' }) });
      expect(await right.listNodes()).toEqual([]);
    } finally {
      await sim.stop();
    }
  });

  it('serves no SecurityGroupPolicy CRD when the add-on is off', async () => {
    const sim = createKubernetesSimulator({ securityGroupPolicyAddon: false });
    const { url } = await sim.start();
    try {
      const cluster = createKubernetesCluster({ kubeConfig: kubeConfigFor({ server: url }) });
      expect(await cluster.getSecurityGroupPolicyCrd()).toBeNull();
      await expect(cluster.getSecurityGroupPolicy('default', 'x')).resolves.toBeNull();
      await expect(cluster.listSecurityGroupPolicies()).rejects.toMatchObject({ code: 'K8S_NOT_FOUND' });
    } finally {
      await sim.stop();
    }
  });

  it('reports a stopped simulator as a NETWORK error', async () => {
    const sim = createKubernetesSimulator();
    const { url } = await sim.start();
    await sim.stop();
    const cluster = createKubernetesCluster({ kubeConfig: kubeConfigFor({ server: url }) });
    await expect(cluster.listNodes()).rejects.toMatchObject({ code: 'NETWORK', retryable: true });
  });
});
