/**
 * A person revoked access by hand: the time-bound grants of that policy end now, naming the
 * revoke, and their expiry timers are cancelled. Done after the revoke is opened, not in its
 * transaction: if this is lost (a crash in between), the grant's own expiry later opens a second
 * revoke, which finds nothing left to remove — harmless, as every revoke step is idempotent.
 */
import type { Engine } from '../engine/engine.ts';
import type { Store } from '../store/store.ts';
import { liveGrants } from './live-grants.ts';

export async function endTimeBoundGrants(
  deps: { engine: Engine; store: Store },
  revoke: {
    clusterId: string;
    namespace: string;
    policyName: string;
    revokeRequestId: string;
    by: string;
    at: string;
  },
): Promise<string[]> {
  const grants = (
    await liveGrants(deps.store, { ...revoke, states: ['active', 'expiring', 'needsAttention'] })
  ).filter((r) => (r.spec as { policyName?: unknown }).policyName === revoke.policyName);
  const ended: string[] = [];
  for (const grant of grants) {
    // The machine decides: only a time-bound grant moves; any other ignores the event.
    const moved = await deps.engine.deliver(grant.id, {
      type: 'revoke',
      revokeRequestId: revoke.revokeRequestId,
      by: revoke.by,
      at: revoke.at,
    });
    if (moved.changed) ended.push(grant.id);
  }
  return ended;
}
