/**
 * The reads behind one explanation, bounded whatever the number of pods: on the cluster, one list
 * of nodes, of the source's pods, of the namespace's policies, and (when asked about) of the target's
 * pods (an app's, a pod, or the pod at a target IP) and of CoreDNS; in the cloud, the cluster group found by name, the groups' names in one call,
 * and each distinct group's rules once. So at most 5 Kubernetes requests and 2 + G cloud calls,
 * G being the distinct groups involved. Every read goes through the person's audited ports.
 */
import type { CloudNetwork } from '../ports/cloud-network.ts';
import type { Cluster, PodInfo, SecurityGroupPolicyInfo } from '../ports/cluster.ts';
import { isAppError } from '../errors.ts';
import type { Endpoint, Filtering } from '../domain/reachability/endpoint.ts';
import type { GroupRules } from '../domain/reachability/evaluate-rules.ts';
import { addressRange } from '../domain/reachability/address-range.ts';
import type { Command, ExplainSource, ExplainTarget } from '../commands/command.ts';

/** What `explain` asks, with the namespace and cluster resolved. */
export type ExplainQuestion = Extract<Command, { kind: 'explain' }> & {
  namespace: string;
  clusterId: string;
};

export interface ExplainReads {
  cloud: Pick<CloudNetwork, 'describeSecurityGroups' | 'describeSecurityGroupPolicies'>;
  cluster: Pick<Cluster, 'listNodes' | 'listPods' | 'listSecurityGroupPolicies'>;
}

export interface ExplainWorld {
  /** One endpoint per source pod (not finished, not on its way out). */
  sources: Endpoint[];
  /** The target's endpoints: one for a group, an address or a block; one per pod of an app. */
  targets: Endpoint[];
  /** The ready CoreDNS pods (`explain … dns`). */
  coreDns: Endpoint[];
  clusterGroup: GroupRules | undefined;
  /** The pod group the namespace's sgops policy for the app names, when there is one. */
  podGroupId: string | undefined;
  /** The source pods' `app` label (a pod source's app, for the line that would grant it). */
  sourceApp: string | undefined;
  /** Where each call went, for the answer's cost line. */
  reads: { kubernetes: number; cloud: number };
}

const live = (pod: PodInfo) => !pod.terminating && pod.phase !== 'Succeeded' && pod.phase !== 'Failed';

function podsOf(cluster: ExplainReads['cluster'], namespace: string, who: ExplainSource | ExplainTarget) {
  if (who.kind === 'app') return cluster.listPods(namespace, `app=${who.app}`);
  if (who.kind === 'pod') return cluster.listPods(namespace, '', `metadata.name=${who.pod}`);
  // An address: the namespace's pod that holds it (a field the API server selects pods by).
  if (who.kind === 'ip') return cluster.listPods(namespace, '', `status.podIP=${who.ip}`);
  return Promise.resolve([]);
}

/** Whether a policy's pod selector selects the pod (matchLabels; the form sgops writes). */
function selects(policy: SecurityGroupPolicyInfo, pod: PodInfo): boolean {
  const labels = policy.podSelector?.matchLabels;
  if (labels === undefined) return false;
  return Object.entries(labels).every(([k, v]) => pod.labels[k] === v);
}

export async function readExplainWorld(
  ports: ExplainReads,
  question: ExplainQuestion,
  settings: { clusterGroupName: string; policyName?: string },
): Promise<ExplainWorld> {
  const { cloud, cluster } = ports;
  const { namespace, target } = question;
  const targetNamespace = 'namespace' in target && target.namespace ? target.namespace : namespace;
  let kubernetes = 0;
  const counted = <T>(p: Promise<T>) => {
    kubernetes += 1;
    return p;
  };
  const podTarget = target.kind === 'app' || target.kind === 'pod';
  const [nodes, sourcePods, policies, targetPods, coreDnsPods, found] = await Promise.all([
    counted(cluster.listNodes()),
    counted(podsOf(cluster, namespace, question.source)),
    counted(cluster.listSecurityGroupPolicies(namespace)),
    podTarget || target.kind === 'ip'
      ? counted(podsOf(cluster, targetNamespace, target))
      : Promise.resolve([]),
    target.kind === 'dns'
      ? counted(cluster.listPods('kube-system', 'k8s-app=kube-dns'))
      : Promise.resolve([]),
    cloud.describeSecurityGroups({ name: settings.clusterGroupName }),
  ]);
  const clusterGroupId = found.groups.find((g) => g.name === settings.clusterGroupName)?.id;
  const superNodes = new Set(nodes.filter((n) => n.superNode).map((n) => n.name));

  const ids = new Set<string>();
  if (clusterGroupId) ids.add(clusterGroupId);
  for (const pod of [...sourcePods, ...targetPods]) for (const id of pod.securityGroupIds) ids.add(id);
  if (target.kind === 'group') ids.add(target.securityGroupId);
  const groups = await readGroups(cloud, [...ids]);
  const clusterGroup = clusterGroupId ? groups.get(clusterGroupId) : undefined;

  const endpointOfPod = (pod: PodInfo, podPolicies: readonly SecurityGroupPolicyInfo[]): Endpoint => {
    const onSuper = pod.nodeName !== null && superNodes.has(pod.nodeName);
    const subject = {
      kind: 'pod' as const,
      name: pod.name,
      namespace: pod.namespace,
      node: onSuper ? ('super' as const) : ('normal' as const),
      ...(pod.nodeName ? { nodeName: pod.nodeName } : {}),
    };
    let filtering: Filtering;
    if (pod.securityGroupIds.length > 0)
      filtering = { by: 'own', groups: pod.securityGroupIds.map((id) => groups.get(id)!) };
    else if (clusterGroup === undefined) filtering = { by: 'unknown' };
    else {
      const why = !onSuper
        ? 'normalNode'
        : podPolicies.some((p) => selects(p, pod))
          ? 'createdBeforePolicy'
          : 'noPolicy';
      filtering = { by: 'clusterGroup', why, group: clusterGroup };
    }
    return { subject, ...(pod.ip ? { address: pod.ip } : {}), filtering };
  };

  // A pod asked about by name is explained even when it has finished (a Job's pod that could not
  // connect is the question); of an app, only the pods that run.
  const asked =
    question.source.kind === 'pod' ? sourcePods.filter((p) => !p.terminating) : sourcePods.filter(live);
  const sources = asked.map((pod) => endpointOfPod(pod, policies));
  let targets: Endpoint[] = [];
  if (podTarget) {
    // Policies of another namespace are not read: a pod there without groups is taken as not selected.
    const samePolicies = targetNamespace === namespace ? policies : [];
    targets = targetPods.filter(live).map((pod) => endpointOfPod(pod, samePolicies));
  } else if (target.kind === 'group') {
    const group = groups.get(target.securityGroupId)!;
    targets = [
      {
        subject: { kind: 'securityGroup', id: group.id, ...(group.name ? { name: group.name } : {}) },
        filtering: { by: 'own', groups: [group] },
      },
    ];
  } else if (target.kind === 'ip' || target.kind === 'cidr') {
    const text = target.kind === 'ip' ? target.ip : target.cidr;
    // A live pod of the source's namespace at that address is that pod (a finished one may still
    // show the address it gave back); any other address sgops cannot place (it does not read the
    // VPC's blocks, nor namespaces beyond the question's), so what filters it is unknown, never guessed.
    const pod = target.kind === 'ip' ? targetPods.find((p) => live(p) && p.ip === target.ip) : undefined;
    targets = [
      pod
        ? endpointOfPod(pod, policies)
        : {
            subject: { kind: 'address', text },
            ...(addressRange(text) ? { address: text } : {}),
            filtering: { by: 'unknown' },
          },
    ];
  }
  const coreDns = coreDnsPods.filter((p) => live(p) && p.ready).map((pod) => endpointOfPod(pod, []));
  const podGroupId = settings.policyName
    ? policies.find((p) => p.name === settings.policyName)?.groupIds[0]
    : undefined;
  return {
    sources,
    targets,
    coreDns,
    clusterGroup,
    podGroupId,
    sourceApp: sourcePods.map((p) => p.labels['app']).find((a) => a !== undefined),
    // The cluster group by name, then (when any group is involved) the names and each one's rules.
    reads: { kubernetes, cloud: 1 + (ids.size > 0 ? 1 + ids.size : 0) },
  };
}

/** Each group's name (one call) and rules (one call per group); unreadable and missing said as such. */
async function readGroups(
  cloud: ExplainReads['cloud'],
  ids: readonly string[],
): Promise<Map<string, GroupRules>> {
  if (ids.length === 0) return new Map();
  const [named, ruleSets] = await Promise.all([
    cloud.describeSecurityGroups({ ids: [...ids] }).then(
      (r) => new Map(r.groups.map((g) => [g.id, g.name])),
      () => new Map<string, string>(),
    ),
    Promise.all(
      ids.map((id) =>
        cloud.describeSecurityGroupPolicies(id).then(
          (r): GroupRules['rules'] => ({ ingress: r.ruleSet.ingress, egress: r.ruleSet.egress }),
          (error: unknown): GroupRules['rules'] =>
            isAppError(error) && error.code === 'CLOUD_NOT_FOUND' ? 'missing' : 'unreadable',
        ),
      ),
    ),
  ]);
  return new Map(
    ids.map((id, i) => {
      const name = named.get(id);
      return [id, { id, ...(name ? { name } : {}), rules: ruleSets[i]! }];
    }),
  );
}
