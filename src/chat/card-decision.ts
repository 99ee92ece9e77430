/**
 * How a request's wait for a decision ended, read from the conventional context fields every
 * workflow keeps (`approvals`, `decision`) and its state, with people's display names: what an
 * approval card shows once its buttons are gone. Undefined while it still waits, and for a request
 * that never waited for anyone (nothing to show on a card it never had).
 */
import type { CardDecision } from '../ports/chat-message.ts';
import type { StatePhase } from '../ports/state-phase.ts';
import type { Policy } from '../policy/create-policy.ts';

interface DecisionFields {
  approvals?: { by: string }[];
  decision?: { by: string; reason?: string } | null;
}

const endedWithoutApproval = new Set<CardDecision['outcome']>(['denied', 'cancelled', 'expired']);

export function cardDecisionOf(
  context: unknown,
  state: string,
  phase: StatePhase,
  policy: Pick<Policy, 'person'>,
): CardDecision | undefined {
  if (phase === 'waiting') return undefined;
  const fields = (context ?? {}) as DecisionFields;
  const person = (personId: string) => ({ personId, name: policy.person(personId)?.name ?? personId });
  if (endedWithoutApproval.has(state as CardDecision['outcome'])) {
    const outcome = state as CardDecision['outcome'];
    const decider = outcome === 'expired' ? undefined : fields.decision?.by;
    const reason = outcome === 'expired' ? undefined : fields.decision?.reason;
    return { outcome, by: decider ? [person(decider)] : [], ...(reason ? { reason } : {}) };
  }
  const approvers = (fields.approvals ?? []).map((a) => a.by);
  return approvers.length > 0 ? { outcome: 'approved', by: approvers.map(person) } : undefined;
}

/**
 * What the cards of `personId` show once his approval counted and the request still waits for
 * others': that he approved, his buttons gone; everyone else's cards stay as they are. Undefined
 * unless the request waits and he is among its approvers.
 */
export function ownApprovalOf(
  context: unknown,
  personId: string,
  phase: StatePhase,
  policy: Pick<Policy, 'person'>,
): CardDecision | undefined {
  if (phase !== 'waiting') return undefined;
  const approved = ((context ?? {}) as DecisionFields).approvals?.some((a) => a.by === personId);
  return approved
    ? { outcome: 'approved', by: [{ personId, name: policy.person(personId)?.name ?? personId }] }
    : undefined;
}
