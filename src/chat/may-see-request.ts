/**
 * Read scope for one request: whether a person may see its state, plan, pods and audit trail.
 * Every reader asks here — chat (`status request`, `audit`, `status app`, `requests`), the console
 * API and its live stream — so a wider rule (say, owners of a group the request touches) is one
 * change. Its requester always sees it; anyone else needs the policy's `maySee` for its namespace
 * (that namespace's requesters and approvers, and platform-wide approvers).
 */
import type { Policy } from '../policy/create-policy.ts';
import type { RequestRow } from '../store/store.ts';

/** What the decision may look at: the request's row, and its workflow's context where the reader has it. */
export interface SeenRequest extends Pick<RequestRow, 'clusterId' | 'namespace' | 'requester'> {
  /** What was asked (e.g. the groups of `using` and `allow … to`); lists have the row, so this. */
  spec?: RequestRow['spec'];
  /** The workflow's context (the plan names every group the request touches); one-request views have it. */
  context?: unknown;
}

export function maySeeRequest(policy: Policy, personId: string, request: SeenRequest): boolean {
  if (request.requester === personId) return true;
  return policy.maySee(personId, request.clusterId, request.namespace);
}
