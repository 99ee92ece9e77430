/**
 * Another grant that still gives the access an expiring grant gave (same cluster, namespace and
 * policy name): then the expiry takes nothing away, e.g. when the requester asked again to extend.
 * A grant counts while it is done, active or needs attention, and only if no revoke of that policy
 * was opened after it settled (a `done` grant stays `done` after a revoke by hand).
 */
import type { Engine } from '../engine/engine.ts';
import type { Store } from '../store/store.ts';
import type { GrantContext } from '../../workflows/grant/types.ts';
import { liveGrants, liveGrantsLimit } from './live-grants.ts';

export async function coveringGrant(
  deps: { engine: Engine; store: Store },
  grant: { requestId: string; clusterId: string; namespace: string; policyName: string },
): Promise<string | null> {
  const samePolicy = (spec: unknown) => (spec as { policyName?: unknown }).policyName === grant.policyName;
  const candidates = (
    await liveGrants(deps.store, { ...grant, states: ['done', 'needsAttention', 'active'] })
  ).filter((r) => r.id !== grant.requestId && samePolicy(r.spec));
  if (candidates.length === 0) return null;
  // Revokes of this namespace, newest first: only those newer than a candidate matter, so the
  // newest page is enough.
  const revokes = (
    await deps.store.listRequests({
      workflow: 'revoke',
      clusterId: grant.clusterId,
      namespace: grant.namespace,
      limit: liveGrantsLimit,
    })
  ).filter((r) => r.state !== 'cancelled' && samePolicy(r.spec));
  for (const candidate of candidates) {
    const view = await deps.engine.read(candidate.id);
    const appliedAt = (view?.context as GrantContext | undefined)?.outputs.applyPolicy?.appliedAt;
    if (!appliedAt) continue;
    // appliedAt is the policy's creationTimestamp (whole seconds, and older when the policy was
    // reused); the row's last change is when the grant settled. The later of the two errs towards
    // "still covered": a lapse that keeps access a revoke already removed takes nothing from anyone.
    const since = Math.max(Date.parse(appliedAt), candidate.updatedAt.getTime());
    if (!revokes.some((r) => r.createdAt.getTime() > since)) return candidate.id;
  }
  return null;
}
