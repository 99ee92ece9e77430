/** The pod group is found by its exact name AND sgops' tags before anything is created: one group per (cluster, namespace, app). */
import type { SecurityGroup } from '../../../src/ports/cloud-network.ts';
import type { GrantSpec } from '../types.ts';
import type { StepPorts } from '../step-ports.ts';

export function podGroupTags(spec: GrantSpec): Record<string, string> {
  return {
    'sgops/cluster': spec.clusterId,
    'sgops/namespace': spec.namespace,
    'sgops/app': spec.target.app,
    'sgops/managed': 'true',
  };
}

export function podGroupDescription(spec: GrantSpec): string {
  return `sgops: pods app=${spec.target.app} in ${spec.namespace} on ${spec.clusterId}`.slice(0, 100);
}

export async function findPodGroup(spec: GrantSpec, ports: StepPorts): Promise<SecurityGroup | null> {
  const tags = podGroupTags(spec);
  const { groups } = await ports.cloud.describeSecurityGroups({ name: spec.podGroupName, tags });
  return (
    groups.find(
      (g) => g.name === spec.podGroupName && Object.entries(tags).every(([k, v]) => g.tags[k] === v),
    ) ?? null
  );
}
