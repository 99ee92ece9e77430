import * as k8s from '@kubernetes/client-node';
import type { KubeConfig } from '@kubernetes/client-node';
import type { Cluster, WorkloadRef } from '../../src/ports/cluster.ts';
import { clusterActionOf, restartedAtAnnotation, workloadPlural } from '../../src/ports/cluster.ts';
import { AppError } from '../../src/errors.ts';
import { toWorkloadInfo, type AnyWorkload } from './to-workload-info.ts';
import { mapKubernetesError } from './map-kubernetes-error.ts';
import { keepAliveApiClients } from './keep-alive-api-client.ts';
import { watchObjects } from './watch-objects.ts';
import {
  toEventInfo,
  toNodeInfo,
  toPodInfo,
  toReplicaSetInfo,
  toSecurityGroupPolicyBody,
  toSecurityGroupPolicyInfo,
  toServiceAccountInfo,
} from './to-port-types.ts';

const sgp = {
  group: 'vpcresources.tke.cloud.tencent.com',
  version: 'v1beta1',
  plural: 'securitygrouppolicies',
} as const;
const sgpCrdName = `${sgp.plural}.${sgp.group}`;

export interface KubernetesClusterOptions {
  kubeConfig: KubeConfig;
}

/** The Cluster port over @kubernetes/client-node: every method is exactly one API request. */
export function createKubernetesCluster(options: KubernetesClusterOptions): Cluster {
  const kc = options.kubeConfig;
  const apiClient = keepAliveApiClients(kc);
  const core = apiClient(k8s.CoreV1Api);
  const apps = apiClient(k8s.AppsV1Api);
  const custom = apiClient(k8s.CustomObjectsApi);
  const extensions = apiClient(k8s.ApiextensionsV1Api);

  const call = async <T>(
    method: keyof Cluster,
    request: () => Promise<T>,
    args: readonly unknown[] = [],
  ): Promise<T> => {
    try {
      return await request();
    } catch (error) {
      throw mapKubernetesError(error, clusterActionOf(method, args));
    }
  };
  /** get* methods answer null for 404: absence is a normal answer there. */
  const find = async <T>(
    method: keyof Cluster,
    request: () => Promise<T>,
    args: readonly unknown[] = [],
  ): Promise<T | null> => {
    try {
      return await call(method, request, args);
    } catch (error) {
      if ((error as { code?: unknown }).code === 'K8S_NOT_FOUND') return null;
      throw error;
    }
  };

  const readWorkload = (namespace: string, ref: WorkloadRef): Promise<AnyWorkload> => {
    const { name } = ref;
    if (ref.kind === 'StatefulSet') return apps.readNamespacedStatefulSet({ namespace, name });
    if (ref.kind === 'DaemonSet') return apps.readNamespacedDaemonSet({ namespace, name });
    return apps.readNamespacedDeployment({ namespace, name });
  };

  return {
    async getSecurityGroupPolicyCrd() {
      const crd = await find('getSecurityGroupPolicyCrd', () =>
        extensions.readCustomResourceDefinition({ name: sgpCrdName }),
      );
      if (crd === null) return null;
      return {
        name: crd.metadata?.name ?? sgpCrdName,
        versions: crd.spec.versions.filter((v) => v.served).map((v) => v.name),
      };
    },
    async getNamespace(name) {
      const ns = await find('getNamespace', () => core.readNamespace({ name }));
      return ns === null ? null : { name: ns.metadata?.name ?? name, phase: ns.status?.phase ?? 'Active' };
    },
    async listNamespaces() {
      const list = await call('listNamespaces', () => core.listNamespace());
      return list.items.flatMap((ns) => (ns.metadata?.name ? [ns.metadata.name] : []));
    },
    async createNamespace(name) {
      await call('createNamespace', () => core.createNamespace({ body: { metadata: { name } } }));
    },
    async listNodes() {
      const list = await call('listNodes', () => core.listNode());
      return list.items.map(toNodeInfo);
    },
    async listPods(namespace, labelSelector, fieldSelector) {
      const list = await call('listPods', () =>
        core.listNamespacedPod({ namespace, labelSelector, ...(fieldSelector ? { fieldSelector } : {}) }),
      );
      return list.items.map(toPodInfo);
    },
    async listEvents(namespace, involvedObjectName) {
      const fieldSelector = `involvedObject.name=${involvedObjectName}`;
      const list = await call('listEvents', () => core.listNamespacedEvent({ namespace, fieldSelector }));
      return list.items.map(toEventInfo);
    },
    async listReplicaSets(namespace, labelSelector) {
      const list = await call('listReplicaSets', () =>
        apps.listNamespacedReplicaSet({ namespace, labelSelector }),
      );
      return list.items.map(toReplicaSetInfo);
    },
    async getWorkload(namespace, ref) {
      const w = await find('getWorkload', () => readWorkload(namespace, ref), [namespace, ref]);
      return w === null ? null : toWorkloadInfo(ref.kind, w);
    },
    async restartWorkload(namespace, ref, restartedAt) {
      // What `kubectl rollout restart` sends, as a merge patch: client-node defaults to JSON Patch.
      const body = {
        spec: { template: { metadata: { annotations: { [restartedAtAnnotation]: restartedAt } } } },
      };
      const merge = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);
      const patched = await call(
        'restartWorkload',
        (): Promise<AnyWorkload> => {
          const { name } = ref;
          if (ref.kind === 'StatefulSet')
            return apps.patchNamespacedStatefulSet({ namespace, name, body }, merge);
          if (ref.kind === 'DaemonSet')
            return apps.patchNamespacedDaemonSet({ namespace, name, body }, merge);
          return apps.patchNamespacedDeployment({ namespace, name, body }, merge);
        },
        [namespace, ref],
      );
      return toWorkloadInfo(ref.kind, patched);
    },
    waitForRollout(namespace, ref, { timeoutMs, signal }) {
      return watchRollout(new k8s.Watch(kc), namespace, ref, timeoutMs, signal);
    },
    async getSecurityGroupPolicy(namespace, name) {
      const o: unknown = await find('getSecurityGroupPolicy', () =>
        custom.getNamespacedCustomObject({ ...sgp, namespace, name }),
      );
      return o === null ? null : toSecurityGroupPolicyInfo(o);
    },
    async createSecurityGroupPolicy(policy) {
      const body = toSecurityGroupPolicyBody(
        { ...policy, resourceVersion: undefined },
        `${sgp.group}/${sgp.version}`,
      );
      const o: unknown = await call('createSecurityGroupPolicy', () =>
        custom.createNamespacedCustomObject({ ...sgp, namespace: policy.namespace, body }),
      );
      return toSecurityGroupPolicyInfo(o);
    },
    async replaceSecurityGroupPolicy(policy) {
      const body = toSecurityGroupPolicyBody(policy, `${sgp.group}/${sgp.version}`);
      const o: unknown = await call('replaceSecurityGroupPolicy', () =>
        custom.replaceNamespacedCustomObject({
          ...sgp,
          namespace: policy.namespace,
          name: policy.name,
          body,
        }),
      );
      return toSecurityGroupPolicyInfo(o);
    },
    async deleteSecurityGroupPolicy(namespace, name) {
      await call('deleteSecurityGroupPolicy', () =>
        custom.deleteNamespacedCustomObject({ ...sgp, namespace, name }),
      );
    },
    async listSecurityGroupPolicies(namespace) {
      // Without a namespace, one list across all of them (GET /apis/<group>/<version>/<plural>).
      const request = (): Promise<unknown> =>
        namespace === undefined
          ? custom.listClusterCustomObject({ ...sgp })
          : custom.listNamespacedCustomObject({ ...sgp, namespace });
      const list = (await call('listSecurityGroupPolicies', request)) as { items?: unknown[] };
      return (list.items ?? []).map(toSecurityGroupPolicyInfo);
    },
    watchSecurityGroupPolicies(onChange, signal) {
      const list = async () => {
        const listed = (await custom.listClusterCustomObject({ ...sgp })) as {
          items?: { metadata?: { namespace?: string; name?: string; resourceVersion?: string } }[];
          metadata?: { resourceVersion?: string };
        };
        return { items: listed.items ?? [], resourceVersion: listed.metadata?.resourceVersion };
      };
      return watchObjects(
        {
          kubeConfig: kc,
          path: `/apis/${sgp.group}/${sgp.version}/${sgp.plural}`,
          list,
          actions: { watch: 'watchSecurityGroupPolicies', list: 'listSecurityGroupPolicies' },
          changeOf: (type, { metadata }) => ({
            type,
            namespace: metadata?.namespace ?? '',
            name: metadata?.name ?? '',
          }),
        },
        onChange,
        signal,
      );
    },
    watchPods(onChange, signal) {
      const list = async () => {
        const listed = await core.listPodForAllNamespaces();
        return { items: listed.items, resourceVersion: listed.metadata?.resourceVersion };
      };
      return watchObjects(
        {
          kubeConfig: kc,
          path: '/api/v1/pods',
          list,
          actions: { watch: 'watchPods', list: 'listPods' },
          changeOf: (type, pod: k8s.V1Pod) => ({ type, pod: toPodInfo(pod) }),
        },
        onChange,
        signal,
      );
    },
    async listServiceAccounts(namespace) {
      const list = await call('listServiceAccounts', () => core.listNamespacedServiceAccount({ namespace }));
      return list.items.map(toServiceAccountInfo);
    },
    async getServiceAccount(namespace, name) {
      const account = await find('getServiceAccount', () =>
        core.readNamespacedServiceAccount({ namespace, name }),
      );
      return account === null ? null : toServiceAccountInfo(account);
    },
    async patchServiceAccountLabels(namespace, name, labels) {
      // A merge patch: a null value deletes the label, the others are set; nothing else changes.
      const merge = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);
      const patched = await call('patchServiceAccountLabels', () =>
        core.patchNamespacedServiceAccount({ namespace, name, body: { metadata: { labels } } }, merge),
      );
      return toServiceAccountInfo(patched);
    },
  };
}

/**
 * One watch on one workload (fieldSelector by name; without a resourceVersion the API server first
 * sends the current object as ADDED), ended as soon as the rollout completes or stalls.
 */
function watchRollout(
  watch: k8s.Watch,
  namespace: string,
  ref: WorkloadRef,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<ReturnType<typeof toWorkloadInfo>> {
  const action = clusterActionOf('waitForRollout', [namespace, ref]);
  return new Promise((resolve, reject) => {
    let last: ReturnType<typeof toWorkloadInfo> | null = null;
    let controller: AbortController | null = null;
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      controller?.abort();
      outcome();
    };
    const answerLast = () =>
      last
        ? resolve(last)
        : reject(
            new AppError('TIMEOUT', `No state of ${ref.kind} ${namespace}/${ref.name} arrived on the watch.`),
          );
    const onAbort = () => settle(answerLast);
    const timer = setTimeout(() => settle(answerLast), timeoutMs);
    signal?.addEventListener('abort', onAbort);
    watch
      .watch(
        `/apis/apps/v1/namespaces/${namespace}/${workloadPlural(ref.kind)}`,
        { fieldSelector: `metadata.name=${ref.name}` },
        (type: string, object: AnyWorkload) => {
          if (type === 'DELETED') {
            settle(() =>
              reject(
                new AppError(
                  'K8S_NOT_FOUND',
                  `${ref.kind} ${namespace}/${ref.name} was deleted during its rollout.`,
                ),
              ),
            );
            return;
          }
          if (type !== 'ADDED' && type !== 'MODIFIED') return;
          last = toWorkloadInfo(ref.kind, object);
          if (last.rollout.complete || last.rollout.stalled) settle(answerLast);
        },
        (error: unknown) =>
          settle(() => (error && !last ? reject(mapKubernetesError(error, action)) : answerLast())),
      )
      .then(
        (c) => {
          controller = c;
          if (settled) c.abort();
        },
        (error: unknown) => settle(() => reject(mapKubernetesError(error, action))),
      );
  });
}
