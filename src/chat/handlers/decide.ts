/**
 * `approve` / `deny`: the policy decides whose decision counts for which sign-off set (the
 * namespace's approvers, each touched group's owners), the machine decides what it changes, and
 * the audit says which happened — `accepted` only when the decision moved the request, in the
 * same transaction; a duplicate, late or unauthorised one is recorded as refused, with why.
 */
import type { Command } from '../../commands/command.ts';
import type { ApprovalSubject } from '../../policy/create-policy.ts';
import { ownNamespaceKey } from '../../ports/group-owners.ts';
import { phaseOf } from '../../../workflows/workflow-module.ts';
import type { GrantContext } from '../../../workflows/grant/types.ts';
import type { ChatDeps, ChatTurn } from '../chat-turn.ts';
import { cardDecisionOf } from '../card-decision.ts';
import { maySeeRequest } from '../may-see-request.ts';
import { peopleNamed, stillWaitingText } from '../sign-off-words.ts';
import { workflowOf } from './workflow-of.ts';
import type { WorkflowsDep } from './workflow-of.ts';

export async function decide(
  command: Extract<Command, { kind: 'approve' | 'deny' }>,
  turn: ChatTurn,
  deps: ChatDeps & WorkflowsDep,
) {
  const { t, personId } = turn;
  const { policy } = deps;
  const id = command.requestId;
  const view = await deps.engine.read(id);
  if (!view) return turn.reply(t.noSuchRequest({ id }), { kind: 'error' });
  // The request's row names whose it is and where: the subject of every policy question below.
  const subject: ApprovalSubject = view.request;
  const workflow = workflowOf(deps, view.request.workflow);
  // Waiting for a person is waiting for a decision: no workflow waits for anyone else.
  const waitsIn = (state: string) => workflow !== undefined && phaseOf(workflow, state) === 'waiting';
  const waiting = waitsIn(view.state);
  // A grant's plan names the sets besides the namespace's approvers (so an owner who comes late is
  // told it is late, not that she may not decide); other workflows have the namespace's alone.
  const sets = workflow?.approverKeys?.(view.context as never) ?? [ownNamespaceKey];
  const as = sets.filter((key) => policy.signsFor(personId, key, subject));
  const refuse = (reason: string, details: Record<string, unknown> = {}) =>
    turn.decision(id, command.kind, `refused:${reason}`, details);

  if (as.length === 0) {
    // Refusals are audited too: a security team wants to see who tried.
    const decision = policy.canApprove(personId, subject);
    const reason = decision.allowed ? 'not_an_approver' : decision.reason;
    await deps.engine.recordAudit([refuse(reason)]);
    // Out of their sight, a request is answered as if there were none.
    if (!maySeeRequest(policy, personId, { ...view.request, context: view.context }))
      return turn.reply(t.noSuchRequest({ id }), { kind: 'error' });
    const text =
      reason === 'self_approval'
        ? command.kind === 'deny'
          ? t.selfDenial({ id })
          : t.selfApproval({
              id,
              approvers: peopleNamed(
                [...new Set(sets.flatMap((key) => policy.signersFor(key, subject)))].filter(
                  (who) => who !== personId,
                ),
                policy,
                turn.locale,
              ),
            })
        : t.notAnApprover({ person: personId, id });
    return turn.reply(text, { kind: 'error', requestId: id, state: view.state });
  }
  if (!waiting) {
    await deps.engine.recordAudit([refuse('not_awaiting_approval', { state: view.state })]);
    return turn.reply(t.notAwaitingApproval({ id, state: view.state }), {
      kind: 'error',
      requestId: id,
      state: view.state,
    });
  }
  const event =
    command.kind === 'approve'
      ? {
          type: 'approve',
          by: personId,
          at: turn.at,
          as,
          ...(command.comment ? { comment: command.comment } : {}),
        }
      : { type: 'deny', by: personId, at: turn.at, reason: command.reason };
  const result = await deps.engine.deliver(id, event, async (tx, current, outcome) => {
    if (!outcome.changed) {
      // Decided meanwhile (a duplicate over another channel, or the request moved on): nothing counted.
      const already = (current.context as GrantContext).approvals?.some((a) => a.by === personId);
      await tx.appendAudit([
        refuse(waitsIn(current.state) && already ? 'already_decided' : 'not_awaiting_approval', {
          state: current.state,
        }),
      ]);
      return;
    }
    await tx.insertApproval({
      requestId: id,
      personId,
      decision: command.kind,
      comment: command.kind === 'approve' ? (command.comment ?? null) : command.reason,
      platform: turn.inbound.platform,
      messageId: turn.inbound.messageId,
    });
    // Which listing or directory made them a signer of each set, as it stood at this decision.
    const approverVia = Object.fromEntries(as.map((key) => [key, policy.signerVia(personId, key, subject)]));
    await tx.appendAudit([
      turn.decision(id, command.kind, 'accepted', {
        approverVia: approverVia[ownNamespaceKey] ?? [],
        signsFor: as,
        ...(as.some((key) => key !== ownNamespaceKey) ? { signerVia: approverVia } : {}),
      }),
    ]);
  });
  if (!result.changed) {
    const text = waitsIn(result.state)
      ? t.alreadyDecided({ id })
      : t.notAwaitingApproval({ id, state: result.state });
    return turn.reply(text, { kind: 'error', requestId: id, state: result.state });
  }
  // The decider hears it here, in reply to their line; the notifier tells everyone else.
  const context = result.context as GrantContext;
  const text =
    command.kind === 'deny'
      ? t.denied({ id, by: personId, reason: command.reason })
      : waitsIn(result.state)
        ? t.approvalRecorded({
            id,
            by: personId,
            waiting: stillWaitingText(context, policy, turn.locale),
          })
        : t.approved({ id, by: context.approvals.map((a) => a.by).join(', ') });
  // The decider's card here closes showing the decision in words; the notifier closes the rest.
  const phase = workflow ? phaseOf(workflow, result.state) : 'working';
  const decision = cardDecisionOf(result.context, result.state, phase, policy);
  return turn.reply(text, { requestId: id, state: result.state, ...(decision ? { decision } : {}) });
}
