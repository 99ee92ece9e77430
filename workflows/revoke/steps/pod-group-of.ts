/** The grant's pod-group lookup and tags, for a revoke's spec (same names, no egress). */
import type { SecurityGroup } from '../../../src/ports/cloud-network.ts';
import type { StepPorts } from '../../grant/step-ports.ts';
import { findPodGroup, podGroupTags } from '../../grant/steps/find-pod-group.ts';
import type { RevokeSpec } from '../types.ts';

// findPodGroup and podGroupTags read only the names; a revoke has no egress to give them.
const asGrantSpec = (spec: RevokeSpec) => ({ ...spec, egress: [] });

export function findRevokedPodGroup(spec: RevokeSpec, ports: StepPorts): Promise<SecurityGroup | null> {
  return findPodGroup(asGrantSpec(spec), ports);
}

/** A group this revoke may delete: exactly the app's name and every sgops tag. */
export function isSgopsPodGroup(spec: RevokeSpec, group: SecurityGroup): boolean {
  const tags = podGroupTags(asGrantSpec(spec));
  return group.name === spec.podGroupName && Object.entries(tags).every(([k, v]) => group.tags[k] === v);
}
