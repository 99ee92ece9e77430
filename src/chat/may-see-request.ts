/**
 * Read scope for one request: whether a person may see its state, plan, pods and audit trail.
 * Every reader asks here — chat (`status request`, `audit`, `status app`, `requests`), the console
 * API and its live stream. Its requester always sees it; so do those the policy's `maySee` lets see
 * its namespace (its requesters and approvers, and platform-wide approvers), and, where the reader
 * has the request's context, the owners of each other team's group its plan touches (lists have
 * only the row, so owners find such a request through their card, its id or the console view).
 */
import type { Policy } from '../policy/create-policy.ts';
import type { RequestRow } from '../store/store.ts';
import type { GrantContext } from '../../workflows/grant/types.ts';

/** What the decision may look at: the request's row, and its workflow's context where the reader has it. */
export interface SeenRequest extends Pick<RequestRow, 'clusterId' | 'namespace' | 'requester'> {
  /** The workflow's context (the plan names every group the request touches); one-request views have it. */
  context?: unknown;
}

export function maySeeRequest(policy: Policy, personId: string, request: SeenRequest): boolean {
  if (request.requester === personId) return true;
  if (policy.maySee(personId, request.clusterId, request.namespace)) return true;
  // The owners of another team's group the plan touches sign for it, so they see all of it.
  const signoffs = (request.context as Partial<GrantContext> | undefined)?.outputs?.planning?.signoffs ?? [];
  return signoffs.some((set) => policy.signsFor(personId, set.key, request));
}

/**
 * For lists, which have only the row: a request the namespace rule does not show may still wait
 * for this person as an owner of a group its plan touches, so a waiting grant's context is read.
 */
export async function maySeeListed(
  policy: Policy,
  personId: string,
  row: RequestRow,
  readContext: (requestId: string) => Promise<unknown>,
): Promise<boolean> {
  if (maySeeRequest(policy, personId, row)) return true;
  if (row.workflow !== 'grant' || row.state !== 'awaitingApproval') return false;
  return maySeeRequest(policy, personId, { ...row, context: await readContext(row.id) });
}
