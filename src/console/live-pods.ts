/**
 * The pods of a request while they restart: what the console shows pod by pod during a grant's or
 * a revoke's `recreatePods` and `verifying`, read live from the cluster because no step output
 * holds them until verification ends. One pod list per look, whatever the number of pods; the
 * nodes (which of them are super nodes) are read once a while per cluster, since they hardly move.
 */
import type { Cluster, NodeInfo, PodInfo } from '../ports/cluster.ts';
import type { GrantTarget } from '../../workflows/shared/target-spec.ts';
import { podQueryOf } from '../../workflows/shared/pods/target-pods.ts';
import { policyGroupIds } from '../../workflows/shared/groups/find-pod-group.ts';

/** The states in which pods come and go. */
export const podStates: ReadonlySet<string> = new Set(['recreatePods', 'verifying']);

/** Where a pod is in its restart: an old one going, a new one on its way, one up. */
export type PodPhase = 'terminating' | 'pending' | 'starting' | 'running' | 'failed';

export interface LivePod {
  name: string;
  node: string | null;
  superNode: boolean;
  phase: PodPhase;
  /** The groups the pod carries (its security-group annotation). */
  groups: string[];
  /** Whether it carries every group the request is about (a grant's to add, a revoke's to remove). */
  withGroup: boolean;
  createdAt: string;
}

interface PodsContext {
  spec?: { namespace?: string; target?: GrantTarget; podSelector?: Record<string, string> };
  outputs?: {
    ensurePodSecurityGroup?: { podGroupId: string; groupIds?: string[] };
    planning?: { podGroupId?: string | null; policy?: { groupIds?: string[] } };
  };
}

/** The groups a request is about: a grant's from its group step, a revoke's from its plan. */
export function groupIdsOf(context: unknown): string[] {
  const outputs = (context as PodsContext | null)?.outputs ?? {};
  if (outputs.ensurePodSecurityGroup) return policyGroupIds(outputs.ensurePodSecurityGroup);
  const plan = outputs.planning;
  return [...new Set([...(plan?.podGroupId ? [plan.podGroupId] : []), ...(plan?.policy?.groupIds ?? [])])];
}

export function phaseOfPod(pod: PodInfo): PodPhase {
  if (pod.terminating) return 'terminating';
  if (pod.phase === 'Failed') return 'failed';
  if (pod.phase === 'Running') return pod.ready ? 'running' : 'starting';
  return pod.phase === 'Succeeded' ? 'running' : 'pending';
}

const nodesTtlMs = 30_000;

/** Reads the pods of a request in one of `podStates`, oldest first; null for any other. */
export function livePodsReader(clusterFor: (actor: string, clusterId: string) => Promise<Cluster>) {
  const nodes = new Map<string, { at: number; superNodes: Promise<Set<string>> }>();
  const superNodesOf = (clusterId: string, cluster: Cluster): Promise<Set<string>> => {
    const kept = nodes.get(clusterId);
    if (kept && Date.now() - kept.at < nodesTtlMs) return kept.superNodes;
    const superNodes = cluster
      .listNodes()
      .then((list: NodeInfo[]) => new Set(list.filter((n) => n.superNode).map((n) => n.name)));
    // A failed read is not kept: the next look asks again.
    superNodes.catch(() => nodes.delete(clusterId));
    nodes.set(clusterId, { at: Date.now(), superNodes });
    return superNodes;
  };

  /** `actor` is whom the reads are made for (and audited under). */
  return async function livePods(
    actor: string,
    clusterId: string,
    state: string,
    context: unknown,
  ): Promise<LivePod[] | null> {
    const spec = (context as PodsContext | null)?.spec;
    if (!podStates.has(state) || !spec?.namespace || !spec.target || !spec.podSelector) return null;
    const cluster = await clusterFor(actor, clusterId);
    const { labelSelector, fieldSelector } = podQueryOf({
      target: spec.target,
      podSelector: spec.podSelector,
    });
    const [pods, superNodes] = await Promise.all([
      fieldSelector === undefined
        ? cluster.listPods(spec.namespace, labelSelector)
        : cluster.listPods(spec.namespace, labelSelector, fieldSelector),
      superNodesOf(clusterId, cluster),
    ]);
    const wanted = groupIdsOf(context);
    return pods
      .map((pod) => ({
        name: pod.name,
        node: pod.nodeName,
        superNode: pod.nodeName !== null && superNodes.has(pod.nodeName),
        phase: phaseOfPod(pod),
        groups: pod.securityGroupIds,
        withGroup: wanted.length > 0 && wanted.every((id) => pod.securityGroupIds.includes(id)),
        createdAt: pod.createdAt,
      }))
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.name.localeCompare(b.name));
  };
}

export type LivePodsReader = ReturnType<typeof livePodsReader>;
