/**
 * The pod group is found by its exact name AND sgops' tags before anything is created: one group
 * per (cluster, namespace, app) or (cluster, namespace, service account), or one per
 * (cluster, namespace, name) for `as group <name>` — which every grant naming it shares.
 * With `using` there is no pod group: the named groups are the requester's.
 */
import type { SecurityGroup } from '../../../src/ports/cloud-network.ts';
import type { TargetSpec } from '../target-spec.ts';
import type { StepPorts } from '../step-ports.ts';

type Named = Pick<TargetSpec, 'clusterId' | 'namespace' | 'target' | 'groups' | 'podGroupName'>;

export function podGroupTags(spec: Named): Record<string, string> {
  const owner: Record<string, string> =
    spec.groups?.kind === 'named'
      ? { 'sgops/group': spec.groups.name }
      : spec.target.kind === 'serviceAccount'
        ? { 'sgops/serviceaccount': spec.target.serviceAccount }
        : { 'sgops/app': spec.target.app };
  return {
    'sgops/cluster': spec.clusterId,
    'sgops/namespace': spec.namespace,
    ...owner,
    'sgops/managed': 'true',
  };
}

export function podGroupDescription(spec: Named): string {
  const whose =
    spec.groups?.kind === 'named'
      ? `shared pod group ${spec.groups.name}`
      : spec.target.kind === 'serviceAccount'
        ? `pods of serviceaccount ${spec.target.serviceAccount}`
        : `pods app=${spec.target.app}`;
  return `sgops: ${whose} in ${spec.namespace} on ${spec.clusterId}`.slice(0, 100);
}

/** Whether a group is this spec's pod group: exactly its name and every sgops tag. */
export function isPodGroupOf(spec: Named, group: SecurityGroup): boolean {
  const tags = podGroupTags(spec);
  return group.name === spec.podGroupName && Object.entries(tags).every(([k, v]) => group.tags[k] === v);
}

export async function findPodGroup(spec: Named, ports: StepPorts): Promise<SecurityGroup | null> {
  if (spec.groups?.kind === 'existing') return null;
  const tags = podGroupTags(spec);
  const { groups } = await ports.cloud.describeSecurityGroups({ name: spec.podGroupName, tags });
  return groups.find((g) => isPodGroupOf(spec, g)) ?? null;
}

/** Groups that carry the pod group's name but are not it (someone else's, or another namespace's). */
export async function groupsNamedLike(spec: Named, ports: StepPorts): Promise<SecurityGroup[]> {
  const { groups } = await ports.cloud.describeSecurityGroups({ name: spec.podGroupName });
  return groups.filter((g) => g.name === spec.podGroupName && !isPodGroupOf(spec, g));
}

/**
 * All the security groups the policy names: the pod group, or with `using` the named groups.
 * `outputs` is the grant's ensurePodSecurityGroup result.
 */
export function policyGroupIds(output: { podGroupId: string; groupIds?: string[] }): string[] {
  return output.groupIds ?? [output.podGroupId];
}
