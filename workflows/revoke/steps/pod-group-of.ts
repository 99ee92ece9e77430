/** The shared pod-group lookup, for a revoke's spec (the same names, tags and group choice as its grant). */
import type { SecurityGroup } from '../../../src/ports/cloud-network.ts';
import type { StepPorts } from '../../shared/step-ports.ts';
import { findPodGroup, isPodGroupOf } from '../../shared/groups/find-pod-group.ts';
import type { RevokeSpec } from '../types.ts';

/** The pod group found by exact name and sgops' tags; none with `using` (those groups are not sgops'). */
export function findRevokedPodGroup(spec: RevokeSpec, ports: StepPorts): Promise<SecurityGroup | null> {
  return findPodGroup(spec, ports);
}

/** A group this revoke may delete: exactly the pod group's name and every sgops tag. */
export function isSgopsPodGroup(spec: RevokeSpec, group: SecurityGroup): boolean {
  return spec.groups?.kind !== 'existing' && isPodGroupOf(spec, group);
}

/** The groups named in `using`, for a revoke of such a grant; empty otherwise. */
export const existingGroupIdsOf = (spec: RevokeSpec): string[] =>
  spec.groups?.kind === 'existing' ? spec.groups.ids : [];
