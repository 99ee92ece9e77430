/** `grant …` and `plan …`: check who may ask, then open a grant request (a dry run for `plan`). */
import type { Command } from '../../src/commands/command.ts';
import { formatCommand } from '../../src/commands/format-command.ts';
import { formatDuration } from '../../src/commands/format-duration.ts';
import type { GrantContext, GrantInput } from './types.ts';
import type { ChatDeps, ChatTurn } from '../../src/chat/chat-turn.ts';
import { describeGrant } from '../../src/chat/render-grant.ts';
import { durationPhrase } from '../../src/chat/render-lifecycle.ts';
import { buildGrantInput } from './build-grant-input.ts';
import { openRequest } from '../../src/chat/handlers/open-request.ts';

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
  // The rule's maxDuration caps `for`; where it is set, a grant without `for` lasts that maximum.
  const maxDurationMs = policy.maxDurationFor(clusterId, namespace);
  if (command.durationMs !== undefined && maxDurationMs !== null && command.durationMs > maxDurationMs) {
    return turn.reply(
      t.durationTooLong({
        requested: formatDuration(command.durationMs, turn.locale),
        max: formatDuration(maxDurationMs, turn.locale),
      }),
      { kind: 'error' },
    );
  }
  const durationMs = command.durationMs ?? maxDurationMs ?? undefined;

  const target = command.target;
  const dryRun = command.kind === 'plan';
  const autoApprove = !dryRun && policy.autoApproves(clusterId, namespace, personId);
  // The whole request as one line, with what the defaults resolved to: cards show it in full.
  const commandLine = formatCommand(
    { ...command, namespace, clusterId, ...(durationMs === undefined ? {} : { durationMs }) },
    'en',
  );
  const opened = await openRequest(turn, deps, {
    workflow: 'grant',
    clusterId,
    namespace,
    auditAction: dryRun ? 'plan' : 'request',
    // Recorded before the plan: the policy would approve it by itself, unless the plan finds another
    // team's group (then its owners and the namespace's approvers decide, as for any request).
    auditDetails: autoApprove ? { autoApprovable: true } : {},
    inputFor: (requestId) =>
      withLifecycle(
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
        durationMs,
        settings,
        commandLine,
      ),
  });
  return turn.reply(
    t.requestOpened({
      id: opened.requestId,
      what:
        describeGrant(opened.context as GrantContext, turn.locale) +
        durationPhrase('grant', opened.context as GrantContext, turn.locale),
    }),
    { requestId: opened.requestId, state: opened.state },
  );
}

/** The grant's life after approval: its duration (when time-bound), reminders and the expiry warning. */
function withLifecycle(
  input: GrantInput,
  durationMs: number | undefined,
  settings: ChatDeps['settings'],
  commandLine: string,
): GrantInput {
  return {
    ...input,
    spec: { ...input.spec, commandLine, ...(durationMs === undefined ? {} : { durationMs }) },
    approvalReminderMs: settings.approvalReminderMs,
    ...(settings.expiryWarningMs === undefined ? {} : { expiryWarningMs: settings.expiryWarningMs }),
  };
}
