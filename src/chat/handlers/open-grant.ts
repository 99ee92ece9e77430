/** `grant …` and `plan …`: check who may ask, then open a grant request (a dry run for `plan`). */
import type { Command } from '../../commands/command.ts';
import type { GrantContext } from '../../../workflows/grant/types.ts';
import type { ChatDeps, ChatTurn } from '../chat-turn.ts';
import { describeGrant } from '../render-grant.ts';
import { buildGrantInput } from './build-grant-input.ts';
import { openRequest } from './open-request.ts';

export async function openGrant(
  command: Extract<Command, { kind: 'grant' | 'plan' }>,
  turn: ChatTurn,
  deps: ChatDeps,
) {
  const { t, personId } = turn;
  const { policy, settings } = deps;
  const clusterId = command.clusterId ?? settings.defaultClusterId;
  const namespace = command.namespace ?? settings.defaultNamespace;
  if (!policy.canRequest(personId, clusterId, namespace).allowed) {
    return turn.reply(t.notARequester({ person: personId, namespace, cluster: clusterId }), {
      kind: 'error',
    });
  }
  // Said, not silently dropped: what the grammar knows but the workflow cannot do yet.
  const unsupported =
    command.target.kind !== 'app'
      ? 'serviceaccount'
      : command.groups?.kind === 'existing'
        ? 'using <sg-id>'
        : command.groups?.kind === 'named'
          ? 'as group <name>'
          : command.durationMs !== undefined
            ? 'for <duration>'
            : null;
  if (unsupported || command.target.kind !== 'app') {
    return turn.reply(t.notSupportedYet({ what: unsupported ?? 'serviceaccount' }), { kind: 'error' });
  }

  const target = command.target;
  const dryRun = command.kind === 'plan';
  const autoApprove = !dryRun && policy.autoApproves(clusterId, namespace, personId);
  const opened = await openRequest(turn, deps, {
    workflow: 'grant',
    clusterId,
    namespace,
    auditAction: dryRun ? 'plan' : 'request',
    auditDetails: autoApprove ? { autoApproved: true } : {},
    inputFor: (requestId) =>
      buildGrantInput({
        options: { ...command, target },
        requestId,
        requester: personId,
        clusterId,
        namespace,
        quorum: policy.quorumFor(clusterId, namespace),
        approvalTimeoutMs: settings.approvalTimeoutMs,
        dryRun,
        autoApprove,
      }),
  });
  return turn.reply(
    t.requestOpened({
      id: opened.requestId,
      what: describeGrant(opened.context as GrantContext, turn.locale),
    }),
    { requestId: opened.requestId, state: opened.state },
  );
}
