import { notSuperNodeReason, securityGroupAnnotation, superNodeLabel } from '../../../src/ports/cluster.ts';
import type { KubeObject } from './kube-object.ts';
import { matchesLabelSelector } from '../../../src/domain/label-selector.ts';
import type { ResourceApi } from './resource-api.ts';

export interface BindingOutcome {
  annotations: Record<string, string>;
  warning?: { reason: string; message: string };
}

/**
 * The SecurityGroupPolicy add-on: the groups a pod gets are decided from the policies that
 * exist when the pod is created (running pods never change), and they only take effect if
 * the pod is bound to a super node.
 */
export class SecurityGroupAdmission {
  private readonly intended = new Map<string, string[]>();
  constructor(private readonly api: ResourceApi) {}

  private policies(namespace: string): KubeObject[] {
    if (!this.api.types.some((t) => t.plural === 'securitygrouppolicies')) return [];
    return this.api
      .list(this.api.type('securitygrouppolicies'), namespace)
      .sort((a, b) =>
        (a.metadata.creationTimestamp ?? '') === (b.metadata.creationTimestamp ?? '')
          ? Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion)
          : (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? ''),
      );
  }

  /** The de-duplicated group ids, in policy order, that select this pod now. */
  groupsFor(pod: KubeObject): string[] {
    const namespace = pod.metadata.namespace ?? 'default';
    const account = this.api.find('serviceaccounts', namespace, pod.spec?.serviceAccountName ?? 'default');
    const ids: string[] = [];
    for (const policy of this.policies(namespace)) {
      const { podSelector, serviceAccountSelector } = policy.spec ?? {};
      if (podSelector == null && serviceAccountSelector == null) continue;
      if (podSelector != null && !matchesLabelSelector(podSelector, pod.metadata.labels)) continue;
      if (
        serviceAccountSelector != null &&
        !matchesLabelSelector(serviceAccountSelector, account?.metadata.labels)
      )
        continue;
      for (const id of (policy.spec?.securityGroups?.groupIds ?? []) as string[])
        if (!ids.includes(id)) ids.push(id);
    }
    return ids;
  }

  admitPod(pod: KubeObject): void {
    const ids = this.groupsFor(pod);
    if (ids.length > 0 && pod.metadata.uid !== undefined) this.intended.set(pod.metadata.uid, ids);
  }

  onBound(pod: KubeObject, node: KubeObject): BindingOutcome {
    const ids = this.intended.get(pod.metadata.uid ?? '');
    if (ids === undefined) return { annotations: {} };
    this.intended.delete(pod.metadata.uid ?? '');
    if (node.metadata.labels?.[superNodeLabel.key] === superNodeLabel.value) {
      return { annotations: { [securityGroupAnnotation]: ids.join(',') } };
    }
    return {
      annotations: {},
      warning: {
        reason: 'SecurityGroupNotSupported',
        message: `${notSuperNodeReason}, node ${node.metadata.name} is not super node`,
      },
    };
  }
}
