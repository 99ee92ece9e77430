import * as k8s from '@kubernetes/client-node';
import type { KubeConfig } from '@kubernetes/client-node';
import type { Cluster } from '../../src/ports/cluster.ts';
import { clusterActions, restartedAtAnnotation } from '../../src/ports/cluster.ts';
import { mapKubernetesError } from './map-kubernetes-error.ts';
import {
  toDeploymentInfo,
  toEventInfo,
  toNodeInfo,
  toPodInfo,
  toReplicaSetInfo,
  toSecurityGroupPolicyBody,
  toSecurityGroupPolicyInfo,
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
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const apps = kc.makeApiClient(k8s.AppsV1Api);
  const custom = kc.makeApiClient(k8s.CustomObjectsApi);
  const extensions = kc.makeApiClient(k8s.ApiextensionsV1Api);

  const call = async <T>(method: keyof Cluster, request: () => Promise<T>): Promise<T> => {
    try {
      return await request();
    } catch (error) {
      throw mapKubernetesError(error, clusterActions[method]);
    }
  };
  /** get* methods answer null for 404: absence is a normal answer there. */
  const find = async <T>(method: keyof Cluster, request: () => Promise<T>): Promise<T | null> => {
    try {
      return await call(method, request);
    } catch (error) {
      if ((error as { code?: unknown }).code === 'K8S_NOT_FOUND') return null;
      throw error;
    }
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
    async createNamespace(name) {
      await call('createNamespace', () => core.createNamespace({ body: { metadata: { name } } }));
    },
    async listNodes() {
      const list = await call('listNodes', () => core.listNode());
      return list.items.map(toNodeInfo);
    },
    async listPods(namespace, labelSelector) {
      const list = await call('listPods', () => core.listNamespacedPod({ namespace, labelSelector }));
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
    async getDeployment(namespace, name) {
      const d = await find('getDeployment', () => apps.readNamespacedDeployment({ namespace, name }));
      return d === null ? null : toDeploymentInfo(d);
    },
    async restartDeployment(namespace, name, restartedAt) {
      // What `kubectl rollout restart` sends, as a merge patch: client-node defaults to JSON Patch.
      const body = {
        spec: { template: { metadata: { annotations: { [restartedAtAnnotation]: restartedAt } } } },
      };
      const d = await call('restartDeployment', () =>
        apps.patchNamespacedDeployment(
          { namespace, name, body },
          k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
        ),
      );
      return toDeploymentInfo(d);
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
  };
}
