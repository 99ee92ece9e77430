/** `grant …` and `plan …`: check who may ask, then open a grant request (a dry run for `plan`). */
import type { Command } from '../../commands/command.ts';
import { newRequestId } from '../../domain/request-id.ts';
import { AppError } from '../../errors.ts';
import type { GrantContext } from '../../../workflows/grant/types.ts';
import type { ChatDeps, ChatTurn } from '../chat-turn.ts';
import { describeGrant } from '../render-grant.ts';
import { buildGrantInput } from './build-grant-input.ts';

export async function openGrant(
  command: Extract<Command, { kind: 'grant' | 'plan' }>,
  turn: ChatTurn,
  deps: ChatDeps,
) {
  const { t, personId } = turn;
  const { policy, settings, engine } = deps;
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

  const dryRun = command.kind === 'plan';
  for (let tries = 0; ; tries++) {
    const requestId = newRequestId(deps.random);
    const input = buildGrantInput({
      options: { ...command, target: command.target },
      requestId,
      requester: personId,
      clusterId,
      namespace,
      quorum: policy.quorumFor(clusterId, namespace),
      approvalTimeoutMs: settings.approvalTimeoutMs,
      dryRun,
      autoApprove: !dryRun && policy.autoApproves(clusterId, namespace, personId),
    });
    try {
      const opened = await engine.open(
        {
          id: requestId,
          workflow: 'grant',
          requester: personId,
          clusterId,
          namespace,
          spec: input.spec as unknown as Record<string, unknown>,
          origin: {
            platform: turn.inbound.platform,
            conversationId: turn.inbound.conversationId,
            ...(turn.inbound.threadId ? { threadId: turn.inbound.threadId } : {}),
            locale: turn.locale,
          } as never,
        },
        input,
        async (tx) => {
          await tx.appendAudit([
            turn.decision(requestId, dryRun ? 'plan' : 'request', 'accepted', {
              text: turn.inbound.text,
              ...(input.autoApprove ? { autoApproved: true } : {}),
            }),
          ]);
        },
      );
      return turn.reply(
        t.requestOpened({ id: requestId, what: describeGrant(opened.context as GrantContext, turn.locale) }),
        {
          requestId,
          state: opened.state,
        },
      );
    } catch (error) {
      // Short ids collide now and then: draw another, a few times.
      if (error instanceof AppError && error.code === 'STATE_CONFLICT' && tries < 5) continue;
      throw error;
    }
  }
}
