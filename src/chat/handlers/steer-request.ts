/**
 * `cancel`, `retry`, `rollback`: the requester or an approver steers a request; the machine says
 * whether its state allows it (cancel only before the first write; retry and rollback after it failed).
 */
import type { Command } from '../../commands/command.ts';
import type { ChatDeps, ChatTurn } from '../chat-turn.ts';
import { maySeeRequest } from '../may-see-request.ts';
import { stepLabels } from '../reply-texts.ts';

export async function steerRequest(
  command: Extract<Command, { kind: 'cancel' | 'retry' | 'rollback' }>,
  turn: ChatTurn,
  deps: ChatDeps,
) {
  const { t, personId } = turn;
  const id = command.requestId;
  const view = await deps.engine.read(id);
  if (!view) return turn.reply(t.noSuchRequest({ id }), { kind: 'error' });
  const approvers = deps.policy.approversFor(view.request.clusterId, view.request.namespace);
  if (view.request.requester !== personId && !approvers.includes(personId)) {
    await deps.engine.recordAudit([turn.decision(id, command.kind, 'refused:not_involved')]);
    // Someone who may not even see the request hears what an unknown id gets: nothing of its state.
    if (!maySeeRequest(deps.policy, personId, { ...view.request, context: view.context }))
      return turn.reply(t.noSuchRequest({ id }), { kind: 'error' });
    return turn.reply(t.notInvolved({ id }), { kind: 'error', requestId: id, state: view.state });
  }
  const result = await deps.engine.deliver(
    id,
    { type: command.kind, by: personId, at: turn.at },
    async (tx) => {
      await tx.appendAudit([turn.decision(id, command.kind, 'asked')]);
    },
  );
  if (!result.changed) {
    const refusal =
      command.kind === 'cancel'
        ? t.tooLateToCancel({ id, state: result.state })
        : command.kind === 'retry'
          ? t.cannotRetry({ id, state: result.state })
          : t.cannotRollBack({ id, state: result.state });
    return turn.reply(refusal, { kind: 'error', requestId: id, state: result.state });
  }
  const text =
    command.kind === 'cancel'
      ? t.cancelled({ id, by: personId })
      : command.kind === 'retry'
        ? t.retrying({ id, step: stepLabels[turn.locale][result.state] ?? result.state })
        : t.rollingBack({ id });
  return turn.reply(text, { requestId: id, state: result.state });
}
