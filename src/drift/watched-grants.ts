/**
 * The grants the drift watch looks at: those in force (`done`, `active`) that still own their
 * access. Of several grants of one policy (a re-grant), the newest speaks for it, so one change is
 * told once; a grant with a revoke of its policy opened after it owns nothing any more (the revoke
 * takes the access away, and reports what it could not), so it is not looked at.
 */
import type { RequestRow, Store } from '../store/store.ts';

/** Past this many live grants one sweep would take longer than any interval: it says so. */
export const watchedGrantsLimit = 10_000;

/** One SecurityGroupPolicy among every cluster's: what a grant owns, and what a watch hears of. */
export const policyKeyOf = (clusterId: string, namespace: string, name: string) =>
  `${clusterId}/${namespace}/${name}`;

export const policyKey = (r: RequestRow) =>
  policyKeyOf(r.clusterId, r.namespace, String((r.spec as { policyName?: unknown }).policyName ?? ''));

export async function watchedGrants(store: Store): Promise<RequestRow[]> {
  const [grants, revokes] = await Promise.all([
    store.listRequests({ workflow: 'grant', states: ['done', 'active'], limit: watchedGrantsLimit }),
    store.listRequests({ workflow: 'revoke', limit: watchedGrantsLimit }),
  ]);
  const newest = new Map<string, RequestRow>();
  for (const grant of grants) {
    const key = policyKey(grant);
    const seen = newest.get(key);
    if (!seen || grant.createdAt > seen.createdAt) newest.set(key, grant);
  }
  const lastRevoke = new Map<string, Date>();
  for (const revoke of revokes) {
    const key = policyKey(revoke);
    const seen = lastRevoke.get(key);
    if (!seen || revoke.createdAt > seen) lastRevoke.set(key, revoke.createdAt);
  }
  return [...newest.entries()]
    .filter(([key, grant]) => !((lastRevoke.get(key) ?? new Date(0)) > grant.createdAt))
    .map(([, grant]) => grant)
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
}
