/** `approve` / `deny`: the policy decides who may, the machine decides what it changes; both are audited. */
import type { Command } from '../../commands/command.ts';
import type { GrantContext } from '../../../workflows/grant/types.ts';
import type { ChatDeps, ChatTurn } from '../chat-turn.ts';

export async function decide(
  command: Extract<Command, { kind: 'approve' | 'deny' }>,
  turn: ChatTurn,
  deps: ChatDeps,
) {
  const { t, personId } = turn;
  const id = command.requestId;
  const view = await deps.engine.read(id);
  if (!view) return turn.reply(t.noSuchRequest({ id }), { kind: 'error' });
  const decision = deps.policy.canApprove(personId, {
    requester: view.request.requester,
    clusterId: view.request.clusterId,
    namespace: view.request.namespace,
  });
  if (!decision.allowed) {
    // Refusals are audited too: a security team wants to see who tried.
    await deps.engine.recordAudit([turn.decision(id, command.kind, `refused:${decision.reason}`)]);
    const text =
      decision.reason === 'self_approval'
        ? t.selfApproval({ id })
        : t.notAnApprover({ person: personId, id });
    return turn.reply(text, { kind: 'error', requestId: id, state: view.state });
  }
  if (view.state !== 'awaitingApproval') {
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
          ...(command.comment ? { comment: command.comment } : {}),
        }
      : { type: 'deny', by: personId, at: turn.at, reason: command.reason };
  const result = await deps.engine.deliver(id, event, async (tx) => {
    await tx.insertApproval({
      requestId: id,
      personId,
      decision: command.kind,
      comment: command.kind === 'approve' ? (command.comment ?? null) : command.reason,
      platform: turn.inbound.platform,
      messageId: turn.inbound.messageId,
    });
    // Which listing or directory made them an approver, as it stood at this decision.
    const approverVia = deps.policy.approverVia(personId, view.request.clusterId, view.request.namespace);
    await tx.appendAudit([turn.decision(id, command.kind, 'accepted', { approverVia })]);
  });
  if (!result.changed) return turn.reply(t.alreadyDecided({ id }), { requestId: id, state: result.state });
  // The decider hears it here, in reply to their line; the notifier tells everyone else.
  const context = result.context as GrantContext;
  const text =
    command.kind === 'deny'
      ? t.denied({ id, by: personId, reason: command.reason })
      : result.state === 'awaitingApproval'
        ? t.approvalRecorded({ id, by: personId, count: context.approvals.length, quorum: context.quorum })
        : t.approved({ id, by: context.approvals.map((a) => a.by).join(', ') });
  return turn.reply(text, { requestId: id, state: result.state });
}
