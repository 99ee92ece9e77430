import { expect, it } from 'vitest';
import { AppError } from '../../src/errors.ts';
import type { Cluster } from '../../src/ports/cluster.ts';
import { restartedAtAnnotation } from '../../src/ports/cluster.ts';

/**
 * What every Cluster must do, against a cluster holding the seed procedure's sample world:
 * `my-namespace` with Deployment `my-deployment` (2 replicas, app=my-app, on super nodes),
 * at least one super node, and the SecurityGroupPolicy add-on installed.
 */
export interface ClusterContractWorld {
  cluster: Cluster;
  teardown(): Promise<void>;
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected the call to fail');
}

export function clusterContract(makeWorld: () => Promise<ClusterContractWorld>): void {
  const withWorld = (test: (cluster: Cluster) => Promise<void>) => async () => {
    const world = await makeWorld();
    try {
      await test(world.cluster);
    } finally {
      await world.teardown();
    }
  };

  it(
    'reports the SecurityGroupPolicy CRD with v1beta1 served',
    withWorld(async (cluster) => {
      const crd = await cluster.getSecurityGroupPolicyCrd();
      expect(crd).toEqual({
        name: 'securitygrouppolicies.vpcresources.tke.cloud.tencent.com',
        versions: ['v1beta1'],
      });
    }),
  );

  it(
    'answers null for a missing namespace and finds it once created, in the list of namespaces too',
    withWorld(async (cluster) => {
      expect(await cluster.getNamespace('contract-ns')).toBeNull();
      expect(await cluster.listNamespaces()).not.toContain('contract-ns');
      await cluster.createNamespace('contract-ns');
      expect(await cluster.getNamespace('contract-ns')).toEqual({ name: 'contract-ns', phase: 'Active' });
      expect(await cluster.listNamespaces()).toEqual(expect.arrayContaining(['contract-ns', 'default']));
      const again = await rejection(cluster.createNamespace('contract-ns'));
      expect(again.code).toBe('K8S_CONFLICT');
      expect(again.retryable).toBe(false);
    }),
  );

  it(
    'lists super nodes with their eklet taint',
    withWorld(async (cluster) => {
      const nodes = await cluster.listNodes();
      const supers = nodes.filter((n) => n.superNode);
      expect(supers.length).toBeGreaterThan(0);
      for (const n of supers) {
        expect(n.labels['node.kubernetes.io/instance-type']).toBe('eklet');
        expect(n.taints).toContainEqual(
          expect.objectContaining({ key: 'eks.tke.cloud.tencent.com/eklet', effect: 'NoSchedule' }),
        );
      }
    }),
  );

  it(
    'lists only the pods the label selector matches, with their owners',
    withWorld(async (cluster) => {
      const pods = await cluster.listPods('my-namespace', 'app=my-app');
      expect(pods).toHaveLength(2);
      for (const p of pods) {
        expect(p.labels['app']).toBe('my-app');
        expect(p.owners[0]?.kind).toBe('ReplicaSet');
        expect(p.phase).toBe('Running');
        expect(p.ready).toBe(true);
        expect(Number.isNaN(Date.parse(p.createdAt))).toBe(false);
      }
      expect(await cluster.listPods('my-namespace', 'app in (nobody)')).toEqual([]);
    }),
  );

  it(
    'finds the deployment, its template and the replica sets it owns',
    withWorld(async (cluster) => {
      expect(
        await cluster.getWorkload('my-namespace', { kind: 'Deployment', name: 'no-such-deployment' }),
      ).toBeNull();
      const d = await cluster.getWorkload('my-namespace', { kind: 'Deployment', name: 'my-deployment' });
      expect(d?.rollout).toMatchObject({ desired: 2, complete: true, stalled: null });
      expect(d?.template.nodeSelector).toEqual({ 'node.kubernetes.io/instance-type': 'eklet' });
      const sets = await cluster.listReplicaSets('my-namespace', 'app=my-app');
      expect(sets.some((rs) => rs.owners.some((o) => o.kind === 'Deployment' && o.uid === d?.uid))).toBe(
        true,
      );
    }),
  );

  it(
    'restarts a deployment by stamping restartedAt on its pod template, and watches its rollout to the end',
    withWorld(async (cluster) => {
      const ref = { kind: 'Deployment' as const, name: 'my-deployment' };
      const at = '2024-05-01T10:00:00Z';
      const after = await cluster.restartWorkload('my-namespace', ref, at);
      expect(after.template.annotations[restartedAtAnnotation]).toBe(at);
      expect(after.rollout.complete).toBe(false);
      const done = await cluster.waitForRollout('my-namespace', ref, { timeoutMs: 20_000 });
      expect(done.rollout).toMatchObject({ complete: true, desired: 2, updated: 2, available: 2 });
      const missing = await rejection(
        cluster.restartWorkload('my-namespace', { kind: 'Deployment', name: 'no-such-deployment' }, at),
      );
      expect(missing.code).toBe('K8S_NOT_FOUND');
    }),
  );

  it(
    'creates, reads, replaces and deletes a SecurityGroupPolicy',
    withWorld(async (cluster) => {
      expect(await cluster.getSecurityGroupPolicy('my-namespace', 'sgops-my-app')).toBeNull();
      const created = await cluster.createSecurityGroupPolicy({
        name: 'sgops-my-app',
        namespace: 'my-namespace',
        labels: { 'sgops/managed': 'true' },
        podSelector: { matchLabels: { app: 'my-app' } },
        groupIds: ['sg-abcd1234'],
      });
      expect(created.resourceVersion).toBeDefined();
      const read = await cluster.getSecurityGroupPolicy('my-namespace', 'sgops-my-app');
      expect(read).toMatchObject({
        podSelector: { matchLabels: { app: 'my-app' } },
        groupIds: ['sg-abcd1234'],
        labels: { 'sgops/managed': 'true' },
      });
      const replaced = await cluster.replaceSecurityGroupPolicy({
        ...read!,
        groupIds: ['sg-abcd1234', 'sg-efgh5678'],
      });
      expect(replaced.groupIds).toEqual(['sg-abcd1234', 'sg-efgh5678']);
      const stale = await rejection(
        cluster.replaceSecurityGroupPolicy({ ...read!, groupIds: ['sg-zzzz9999'] }),
      );
      expect(stale.code).toBe('K8S_CONFLICT');
      expect(stale.retryable).toBe(true);
      await cluster.deleteSecurityGroupPolicy('my-namespace', 'sgops-my-app');
      expect(await cluster.getSecurityGroupPolicy('my-namespace', 'sgops-my-app')).toBeNull();
      const gone = await rejection(cluster.deleteSecurityGroupPolicy('my-namespace', 'sgops-my-app'));
      expect(gone.code).toBe('K8S_NOT_FOUND');
    }),
  );

  it(
    'lists the SecurityGroupPolicies of one namespace, or of all namespaces when none is given',
    withWorld(async (cluster) => {
      await cluster.createNamespace('contract-ns');
      await cluster.createSecurityGroupPolicy({
        name: 'sgops-my-app',
        namespace: 'my-namespace',
        labels: { 'app.kubernetes.io/managed-by': 'sgops' },
        podSelector: { matchLabels: { app: 'my-app' } },
        groupIds: ['sg-abcd1234'],
      });
      await cluster.createSecurityGroupPolicy({
        name: 'by-account',
        namespace: 'contract-ns',
        serviceAccountSelector: { matchExpressions: [{ key: 'team', operator: 'In', values: ['pay'] }] },
        groupIds: ['sg-efgh5678', 'sg-abcd1234'],
      });
      const mine = await cluster.listSecurityGroupPolicies('my-namespace');
      expect(mine).toEqual([
        expect.objectContaining({
          name: 'sgops-my-app',
          namespace: 'my-namespace',
          labels: { 'app.kubernetes.io/managed-by': 'sgops' },
          podSelector: { matchLabels: { app: 'my-app' } },
          groupIds: ['sg-abcd1234'],
        }),
      ]);
      expect(mine[0]?.resourceVersion).toBeDefined();
      const all = await cluster.listSecurityGroupPolicies();
      expect(all.map((p) => `${p.namespace}/${p.name}`).sort()).toEqual([
        'contract-ns/by-account',
        'my-namespace/sgops-my-app',
      ]);
      expect(all.find((p) => p.name === 'by-account')).toMatchObject({
        serviceAccountSelector: { matchExpressions: [{ key: 'team', operator: 'In', values: ['pay'] }] },
        groupIds: ['sg-efgh5678', 'sg-abcd1234'],
      });
      expect(all.find((p) => p.name === 'by-account')?.podSelector).toBeUndefined();
      expect(await cluster.listSecurityGroupPolicies('no-such-namespace')).toEqual([]);
    }),
  );

  it(
    'watches the SecurityGroupPolicies of every namespace: those there first, then each change, until aborted',
    withWorld(async (cluster) => {
      await cluster.createNamespace('contract-ns');
      const before = await cluster.createSecurityGroupPolicy({
        name: 'before',
        namespace: 'my-namespace',
        podSelector: { matchLabels: { app: 'my-app' } },
        groupIds: ['sg-abcd1234'],
      });
      const heard: string[] = [];
      const stop = new AbortController();
      const watching = cluster.watchSecurityGroupPolicies(
        (c) => heard.push(`${c.type} ${c.namespace}/${c.name}`),
        stop.signal,
      );
      await expect.poll(() => heard).toEqual(['ADDED my-namespace/before']);
      await cluster.createSecurityGroupPolicy({
        name: 'elsewhere',
        namespace: 'contract-ns',
        podSelector: {},
        groupIds: ['sg-efgh5678'],
      });
      await cluster.replaceSecurityGroupPolicy({ ...before, groupIds: ['sg-efgh5678'] });
      await cluster.deleteSecurityGroupPolicy('my-namespace', 'before');
      await expect
        .poll(() => heard.slice(1))
        .toEqual([
          'ADDED contract-ns/elsewhere',
          'MODIFIED my-namespace/before',
          'DELETED my-namespace/before',
        ]);
      stop.abort();
      await watching;
    }),
  );

  it(
    'watches every pod: those there first, then the pods a rollout replaces, each as it is, until aborted',
    withWorld(async (cluster) => {
      const first = await cluster.listPods('my-namespace', 'app=my-app');
      expect(first.length).toBeGreaterThan(0);
      const heard: { type: string; name: string; nodeName: string | null; groups: string[] }[] = [];
      const stop = new AbortController();
      const watching = cluster.watchPods(
        ({ type, pod }) =>
          heard.push({ type, name: pod.name, nodeName: pod.nodeName, groups: pod.securityGroupIds }),
        stop.signal,
      );
      await expect
        .poll(() => heard.filter((h) => h.type === 'ADDED').map((h) => h.name))
        .toEqual(expect.arrayContaining(first.map((p) => p.name)));
      const ref = { kind: 'Deployment' as const, name: 'my-deployment' };
      await cluster.restartWorkload('my-namespace', ref, '2024-05-01T10:00:00Z');
      await cluster.waitForRollout('my-namespace', ref, { timeoutMs: 20_000 });
      const now = await cluster.listPods('my-namespace', 'app=my-app');
      // Each old pod is told gone, each new one told with its node.
      await expect
        .poll(() => heard.filter((h) => h.type === 'DELETED').map((h) => h.name))
        .toEqual(expect.arrayContaining(first.map((p) => p.name)));
      for (const pod of now)
        expect(heard.filter((h) => h.name === pod.name).at(-1)?.nodeName).toBe(pod.nodeName);
      stop.abort();
      await watching;
    }),
  );

  it(
    "lists a namespace's service accounts with their labels",
    withWorld(async (cluster) => {
      const accounts = await cluster.listServiceAccounts('my-namespace');
      expect(accounts).toContainEqual({ name: 'default', namespace: 'my-namespace', labels: {} });
      expect(await cluster.listServiceAccounts('no-such-namespace')).toEqual([]);
    }),
  );

  it(
    'reads a service account, sets and removes its labels with one merge patch each, and lists the pods running as it',
    withWorld(async (cluster) => {
      expect(await cluster.getServiceAccount('my-namespace', 'no-such-account')).toBeNull();
      const before = await cluster.getServiceAccount('my-namespace', 'default');
      expect(before).toMatchObject({ name: 'default', namespace: 'my-namespace' });
      const labelled = await cluster.patchServiceAccountLabels('my-namespace', 'default', {
        'sgops/serviceaccount': 'default',
        'sgops/labelled-by': 'R2345',
      });
      expect(labelled.labels).toEqual({
        ...before!.labels,
        'sgops/serviceaccount': 'default',
        'sgops/labelled-by': 'R2345',
      });
      const unlabelled = await cluster.patchServiceAccountLabels('my-namespace', 'default', {
        'sgops/serviceaccount': null,
        'sgops/labelled-by': null,
      });
      expect(unlabelled.labels).toEqual(before!.labels);
      expect((await cluster.getServiceAccount('my-namespace', 'default'))?.labels).toEqual(before!.labels);
      const missing = await rejection(
        cluster.patchServiceAccountLabels('my-namespace', 'no-such-account', { a: 'b' }),
      );
      expect(missing.code).toBe('K8S_NOT_FOUND');

      const asDefault = await cluster.listPods(
        'my-namespace',
        'app=my-app',
        'spec.serviceAccountName=default',
      );
      expect(asDefault).toHaveLength(2);
      expect(asDefault.every((p) => p.serviceAccountName === 'default')).toBe(true);
      expect(await cluster.listPods('my-namespace', '', 'spec.serviceAccountName=nobody')).toEqual([]);
    }),
  );

  it(
    'refuses an invalid SecurityGroupPolicy with K8S_INVALID',
    withWorld(async (cluster) => {
      const bad = await rejection(
        cluster.createSecurityGroupPolicy({
          name: 'bad',
          namespace: 'my-namespace',
          podSelector: {},
          groupIds: ['not-a-group'],
        }),
      );
      expect(bad.code).toBe('K8S_INVALID');
      expect(bad.message).toContain('spec.securityGroups.groupIds[0]');
      const twoSelectors = await rejection(
        cluster.createSecurityGroupPolicy({
          name: 'bad',
          namespace: 'my-namespace',
          podSelector: {},
          serviceAccountSelector: {},
          groupIds: ['sg-abcd1234'],
        }),
      );
      expect(twoSelectors.code).toBe('K8S_INVALID');
    }),
  );

  it(
    'lists the events about one pod',
    withWorld(async (cluster) => {
      const [pod] = await cluster.listPods('my-namespace', 'app=my-app');
      const events = await cluster.listEvents('my-namespace', pod!.name);
      expect(events.length).toBeGreaterThan(0);
      expect(events.every((e) => e.involvedObject.name === pod!.name)).toBe(true);
    }),
  );
}
