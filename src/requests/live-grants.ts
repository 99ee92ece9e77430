/**
 * Grants whose SecurityGroupPolicy may still be in place: a revoke re-reads their policies before
 * it removes a DNS rule or a pod group that another grant may share.
 */
import type { RequestRow, Store } from '../store/store.ts';

/** `done` and `needsAttention` applied their policy; `active` and `expiring` are time-bound grants still in force. */
export const liveGrantStates = ['done', 'needsAttention', 'active', 'expiring'];

export async function liveGrants(
  store: Store,
  where: { clusterId: string; namespace: string; states?: string[] },
): Promise<RequestRow[]> {
  const rows = await store.listRequests({ states: where.states ?? liveGrantStates, limit: 1000 });
  return rows.filter(
    (r) => r.workflow === 'grant' && r.clusterId === where.clusterId && r.namespace === where.namespace,
  );
}

/** The policy names of the other live grants in the namespace (not `policyName`, the one being revoked). */
export async function otherLivePolicyNames(
  store: Store,
  where: { clusterId: string; namespace: string; policyName: string },
): Promise<string[]> {
  const names = (await liveGrants(store, where))
    .map((r) => (r.spec as { policyName?: unknown }).policyName)
    .filter((n): n is string => typeof n === 'string' && n !== where.policyName);
  return [...new Set(names)].sort();
}
