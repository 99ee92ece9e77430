/**
 * Which workloads own the selected pods: pod → ReplicaSet → Deployment (one ReplicaSet list for
 * all pods), or pod → StatefulSet / DaemonSet directly. Pods with no owner are bare pods.
 */
import type { PodInfo, WorkloadInfo, WorkloadKind, WorkloadRef } from '../../../src/ports/cluster.ts';
import type { StepPorts } from '../step-ports.ts';

export const selectorString = (labels: Record<string, string>) =>
  Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');

export const workloadKey = (ref: WorkloadRef) => `${ref.kind}/${ref.name}`;

export async function workloadsOfPods(
  namespace: string,
  selector: string,
  pods: PodInfo[],
  ports: StepPorts,
): Promise<{ workloads: WorkloadInfo[]; podWorkload: Map<string, string> }> {
  const podWorkload = new Map<string, string>();
  const refs = new Map<string, WorkloadRef>();
  const own = (pod: PodInfo, ref: WorkloadRef) => {
    podWorkload.set(pod.name, workloadKey(ref));
    refs.set(workloadKey(ref), ref);
  };

  const viaReplicaSet = pods.filter((p) => p.owners.some((o) => o.kind === 'ReplicaSet'));
  if (viaReplicaSet.length > 0) {
    const replicaSets = await ports.cluster.listReplicaSets(namespace, selector);
    const deploymentOf = new Map(
      replicaSets.flatMap((rs) => {
        const owner = rs.owners.find((o) => o.kind === 'Deployment');
        return owner ? [[rs.name, owner.name] as const] : [];
      }),
    );
    for (const pod of viaReplicaSet) {
      const rs = pod.owners.find((o) => o.kind === 'ReplicaSet');
      const deployment = rs ? deploymentOf.get(rs.name) : undefined;
      if (deployment) own(pod, { kind: 'Deployment', name: deployment });
    }
  }
  for (const pod of pods) {
    const direct = pod.owners.find((o) => o.kind === 'StatefulSet' || o.kind === 'DaemonSet');
    if (direct) own(pod, { kind: direct.kind as WorkloadKind, name: direct.name });
  }

  const workloads: WorkloadInfo[] = [];
  for (const key of [...refs.keys()].sort()) {
    const w = await ports.cluster.getWorkload(namespace, refs.get(key)!);
    if (w) workloads.push(w);
  }
  return { workloads, podWorkload };
}
