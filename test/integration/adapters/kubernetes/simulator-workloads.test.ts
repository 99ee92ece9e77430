import * as k8s from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { kubeConfigFor } from '../../../../adapters/kubernetes/kube-config-for.ts';
import type { KubernetesSimulator } from '../../../../adapters/kubernetes/simulator/create-kubernetes-simulator.ts';
import { createKubernetesSimulator } from '../../../../adapters/kubernetes/simulator/create-kubernetes-simulator.ts';
import type { KubeObject } from '../../../../adapters/kubernetes/simulator/kube-object.ts';
import { seedSampleWorld } from '../../../../adapters/kubernetes/simulator/seed-sample-world.ts';

const ns = 'my-namespace';

function template(app: string, extra: Record<string, unknown> = {}) {
  return {
    metadata: { labels: { app } },
    spec: {
      containers: [{ name: 'web', image: 'nginx:1.25', ports: [{ name: 'http', containerPort: 8080 }] }],
      ...extra,
    },
  };
}

async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('the simulator’s workload controllers and stored kinds', () => {
  let sim: KubernetesSimulator;
  let core: k8s.CoreV1Api;
  let apps: k8s.AppsV1Api;
  let policy: k8s.PolicyV1Api;
  let rbac: k8s.RbacAuthorizationV1Api;

  beforeEach(async () => {
    sim = createKubernetesSimulator({ podStartLatencyMs: 10 });
    const { url } = await sim.start();
    await seedSampleWorld(sim);
    const kc = kubeConfigFor({ server: url });
    core = kc.makeApiClient(k8s.CoreV1Api);
    apps = kc.makeApiClient(k8s.AppsV1Api);
    policy = kc.makeApiClient(k8s.PolicyV1Api);
    rbac = kc.makeApiClient(k8s.RbacAuthorizationV1Api);
  });
  afterEach(() => sim.stop());

  it('creates StatefulSet pods in ordinal order and rolls them from the highest ordinal down, one at a time', async () => {
    const replaced: string[] = [];
    await apps.createNamespacedStatefulSet({
      namespace: ns,
      body: {
        metadata: { name: 'db' },
        spec: {
          replicas: 3,
          serviceName: 'db',
          selector: { matchLabels: { app: 'db' } },
          template: template('db'),
        },
      },
    });
    const sts = () => sim.get('statefulsets', ns, 'db')!;
    await until(() => sts().status?.readyReplicas === 3);
    const pods = () => sim.list('pods', ns, { labelSelector: 'app=db' });
    expect(pods().map((p) => p.metadata.name)).toEqual(['db-0', 'db-1', 'db-2']);
    const before = sts().status;
    expect(before).toMatchObject({ replicas: 3, currentReplicas: 3, updatedReplicas: 3 });
    expect(before.currentRevision).toBe(before.updateRevision);

    // Sample often: the order pods are replaced in, and that at most one is ever down.
    const uids = new Map(pods().map((p) => [p.metadata.name, p.metadata.uid]));
    let worstReady = 3;
    const timer = setInterval(() => {
      const now = pods();
      worstReady = Math.min(worstReady, now.filter((p) => isReady(p)).length);
      for (const p of now) {
        if (uids.get(p.metadata.name) !== p.metadata.uid && !replaced.includes(p.metadata.name)) {
          replaced.push(p.metadata.name);
        }
      }
    }, 2);
    await apps.patchNamespacedStatefulSet(
      {
        namespace: ns,
        name: 'db',
        body: {
          spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': 'now' } } } },
        },
      },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    await until(() => {
      const s = sts().status;
      return s.observedGeneration === 2 && s.currentRevision === s.updateRevision && s.readyReplicas === 3;
    });
    clearInterval(timer);
    expect(replaced).toEqual(['db-2', 'db-1', 'db-0']);
    expect(worstReady).toBeGreaterThanOrEqual(2);
    const after = sts().status;
    expect(after.updateRevision).not.toBe(before.updateRevision);
    expect(after).toMatchObject({
      readyReplicas: 3,
      currentReplicas: 3,
      updatedReplicas: 3,
      observedGeneration: 2,
    });
  });

  it('runs one DaemonSet pod on every node it fits and rolls them one node at a time', async () => {
    await apps.createNamespacedDaemonSet({
      namespace: 'kube-system',
      body: {
        metadata: { name: 'agent' },
        spec: {
          selector: { matchLabels: { app: 'agent' } },
          // Tolerates the super-node taint, so it fits all three nodes.
          template: template('agent', {
            tolerations: [{ key: 'eks.tke.cloud.tencent.com/eklet', operator: 'Exists' }],
          }),
        },
      },
    });
    await apps.createNamespacedDaemonSet({
      namespace: 'kube-system',
      body: {
        metadata: { name: 'plain' },
        spec: { selector: { matchLabels: { app: 'plain' } }, template: template('plain') },
      },
    });
    const ds = (name: string) => sim.get('daemonsets', 'kube-system', name)!;
    await until(() => ds('agent').status?.numberReady === 3 && ds('plain').status?.numberReady === 1);
    const nodesOf = (app: string) =>
      sim
        .list('pods', 'kube-system', { labelSelector: `app=${app}` })
        .map((p) => p.spec.nodeName)
        .sort();
    expect(nodesOf('agent')).toEqual([
      '10.0.0.1',
      'eklet-subnet-q21rasu6-2kd9xw1m',
      'eklet-subnet-q21rasu6-8bpgyx9r',
    ]);
    expect(nodesOf('plain')).toEqual(['10.0.0.1']);

    let worst = 3;
    const timer = setInterval(() => {
      const ready = sim.list('pods', 'kube-system', { labelSelector: 'app=agent' }).filter(isReady).length;
      worst = Math.min(worst, ready);
    }, 2);
    await apps.patchNamespacedDaemonSet(
      {
        namespace: 'kube-system',
        name: 'agent',
        body: { spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } } },
      },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch),
    );
    await until(() => {
      const s = ds('agent').status;
      return s.observedGeneration === 2 && s.updatedNumberScheduled === 3 && s.numberAvailable === 3;
    });
    clearInterval(timer);
    expect(worst).toBeGreaterThanOrEqual(2);
    const images = sim
      .list('pods', 'kube-system', { labelSelector: 'app=agent' })
      .map((p) => p.spec.containers[0].image as string);
    expect(images).toEqual(['nginx:1.27', 'nginx:1.27', 'nginx:1.27']);
  });

  it('keeps Endpoints in sync with the service selector and pod readiness', async () => {
    await core.createNamespacedService({
      namespace: ns,
      body: {
        metadata: { name: 'web' },
        spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
      },
    });
    await apps.createNamespacedDeployment({
      namespace: ns,
      body: {
        metadata: { name: 'web' },
        spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: template('web') },
      },
    });
    const ready = async () => {
      const ep = await core.readNamespacedEndpoints({ namespace: ns, name: 'web' });
      return ep.subsets?.[0]?.addresses ?? [];
    };
    await until(() => (sim.get('endpoints', ns, 'web')?.['subsets'] as unknown[] | undefined)?.length === 1);
    await until(
      () =>
        ((sim.get('endpoints', ns, 'web')?.['subsets'] as { addresses?: unknown[] }[])[0]!.addresses ?? [])
          .length === 2,
    );
    const addresses = await ready();
    const podIps = sim.list('pods', ns, { labelSelector: 'app=web' }).map((p) => p.status.podIP as string);
    expect(addresses.map((a) => a.ip).sort()).toEqual(podIps.sort());
    expect(addresses[0]!.targetRef?.kind).toBe('Pod');
    const ep = await core.readNamespacedEndpoints({ namespace: ns, name: 'web' });
    expect(ep.subsets?.[0]?.ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);

    await apps.patchNamespacedDeployment(
      { namespace: ns, name: 'web', body: { spec: { replicas: 0 } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    await until(() => sim.get('endpoints', ns, 'web')?.['subsets'] === undefined);
    await core.deleteNamespacedService({ namespace: ns, name: 'web' });
    await until(() => sim.get('endpoints', ns, 'web') === undefined);
  });

  it('refuses an eviction that would violate a PodDisruptionBudget with 429 and the real message', async () => {
    await policy.createNamespacedPodDisruptionBudget({
      namespace: ns,
      body: {
        metadata: { name: 'my-pdb' },
        spec: { minAvailable: 2, selector: { matchLabels: { app: 'my-app' } } },
      },
    });
    await until(() => sim.get('poddisruptionbudgets', ns, 'my-pdb')?.status?.currentHealthy === 2);
    const pdb = await policy.readNamespacedPodDisruptionBudget({ namespace: ns, name: 'my-pdb' });
    expect(pdb.status).toMatchObject({
      currentHealthy: 2,
      desiredHealthy: 2,
      disruptionsAllowed: 0,
      expectedPods: 2,
    });
    const victim = sim.list('pods', ns, { labelSelector: 'app=my-app' })[0]!.metadata.name;
    const error = await core
      .createNamespacedPodEviction({
        namespace: ns,
        name: victim,
        body: { metadata: { name: victim, namespace: ns } },
      })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(k8s.ApiException);
    expect((error as k8s.ApiException<string>).code).toBe(429);
    expect(JSON.parse((error as k8s.ApiException<string>).body)).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: "Cannot evict pod as it would violate the pod's disruption budget.",
      reason: 'TooManyRequests',
      details: {
        causes: [
          {
            reason: 'DisruptionBudget',
            message: 'The disruption budget my-pdb needs 2 healthy pods and has 2 currently',
          },
        ],
      },
      code: 429,
    });
    expect(sim.get('pods', ns, victim)).toBeDefined();

    // With room in the budget the eviction goes through and the pod is gone.
    await policy.patchNamespacedPodDisruptionBudget(
      { namespace: ns, name: 'my-pdb', body: { spec: { minAvailable: 1 } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    await core.createNamespacedPodEviction({
      namespace: ns,
      name: victim,
      body: { metadata: { name: victim, namespace: ns } },
    });
    expect(sim.get('pods', ns, victim)).toBeUndefined();
  });

  it('stores config maps, secrets (folding stringData into data) and RBAC objects', async () => {
    await core.createNamespacedConfigMap({
      namespace: ns,
      body: { metadata: { name: 'cfg' }, data: { a: '1' } },
    });
    await core.createNamespacedSecret({
      namespace: ns,
      body: { metadata: { name: 'sec' }, stringData: { password: 'hunter2' } },
    });
    const secret = await core.readNamespacedSecret({ namespace: ns, name: 'sec' });
    expect(secret.type).toBe('Opaque');
    expect(secret.data).toEqual({ password: Buffer.from('hunter2').toString('base64') });
    expect(secret.stringData).toBeUndefined();
    expect((await core.readNamespacedConfigMap({ namespace: ns, name: 'cfg' })).data).toEqual({ a: '1' });

    await rbac.createNamespacedRole({
      namespace: ns,
      body: {
        metadata: { name: 'reader' },
        rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }],
      },
    });
    await rbac.createNamespacedRoleBinding({
      namespace: ns,
      body: {
        metadata: { name: 'reader' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' },
        subjects: [{ kind: 'ServiceAccount', name: 'default', namespace: ns }],
      },
    });
    await rbac.createClusterRole({ body: { metadata: { name: 'viewer' }, rules: [] } });
    await rbac.createClusterRoleBinding({
      body: {
        metadata: { name: 'viewer' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'viewer' },
        subjects: [{ kind: 'Group', name: 'devs', apiGroup: 'rbac.authorization.k8s.io' }],
      },
    });
    expect(
      (await rbac.listNamespacedRoleBinding({ namespace: ns })).items.map((b) => b.roleRef.name),
    ).toEqual(['reader']);
    expect((await rbac.readClusterRoleBinding({ name: 'viewer' })).subjects?.[0]?.name).toBe('devs');
    const invalid = await rbac
      .createClusterRoleBinding({
        body: {
          metadata: { name: 'broken' },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: '' },
        },
      })
      .then(
        () => undefined,
        (e: unknown) => e as k8s.ApiException<string>,
      );
    expect(invalid?.code).toBe(422);
    expect(JSON.parse(invalid!.body).message).toContain('roleRef.name: Required value');
  });
});

function isReady(pod: KubeObject): boolean {
  return (pod.status?.conditions ?? []).some(
    (c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True',
  );
}
