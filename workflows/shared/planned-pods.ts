/** The target's pods as a plan lists them: where each runs, and which workload owns it. */
import type { PodInfo } from '../../src/ports/cluster.ts';

export interface PlannedPod {
  name: string;
  node: string | null;
  superNode: boolean;
  workload: string | null;
}

/** `superNodes`: the names of the cluster's super nodes; `podWorkload`: each pod's owning workload key. */
export function plannedPods(
  pods: readonly PodInfo[],
  superNodes: ReadonlySet<string>,
  podWorkload: ReadonlyMap<string, string>,
): PlannedPod[] {
  return pods.map((p) => ({
    name: p.name,
    node: p.nodeName,
    superNode: p.nodeName !== null && superNodes.has(p.nodeName),
    workload: podWorkload.get(p.name) ?? null,
  }));
}
