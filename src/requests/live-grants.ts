/**
 * Grants whose SecurityGroupPolicy may still be in place: a revoke re-reads their policies before
 * it removes a DNS rule or a pod group that another grant may share.
 */
import { AppError } from '../errors.ts';
import type { RequestRow, Store } from '../store/store.ts';

/** `done` and `needsAttention` applied their policy; `active` and `expiring` are time-bound grants still in force. */
export const liveGrantStates = ['done', 'needsAttention', 'active', 'expiring'];

/** Past this many, a namespace has more live grants than any team could hold; the read says so. */
export const liveGrantsLimit = 10_000;

export async function liveGrants(
  store: Store,
  where: { clusterId: string; namespace: string; states?: string[] },
): Promise<RequestRow[]> {
  const rows = await store.listRequests({
    workflow: 'grant',
    clusterId: where.clusterId,
    namespace: where.namespace,
    states: where.states ?? liveGrantStates,
    limit: liveGrantsLimit + 1,
  });
  // A cut-off list could hide a grant that shares a group: refuse rather than guess.
  if (rows.length > liveGrantsLimit)
    throw new AppError(
      'INTERNAL',
      `More than ${liveGrantsLimit} live grants in ${where.clusterId}/${where.namespace}; sgops cannot tell which share a group.`,
    );
  return rows;
}

/** The policy names among `grants` other than `policyName` (the one being revoked), sorted. */
export function otherPolicyNamesOf(grants: RequestRow[], policyName: string): string[] {
  const names = grants
    .map((r) => (r.spec as { policyName?: unknown }).policyName)
    .filter((n): n is string => typeof n === 'string' && n !== policyName);
  return [...new Set(names)].sort();
}

/** The policy names of the other live grants in the namespace (not `policyName`, the one being revoked). */
export async function otherLivePolicyNames(
  store: Store,
  where: { clusterId: string; namespace: string; policyName: string },
): Promise<string[]> {
  return otherPolicyNamesOf(await liveGrants(store, where), where.policyName);
}
