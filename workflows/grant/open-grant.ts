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
import { refuseRequester, refuseUnknownNamespace } from '../../src/chat/refuse-requester.ts';
import type { GrantTarget } from '../shared/target-spec.ts';
import { unmatchedTarget } from './unmatched-target.ts';
import type { UnmatchedTarget } from './unmatched-target.ts';

export async function openGrant(
  command: Extract<Command, { kind: 'grant' | 'plan' }>,
  turn: ChatTurn,
  deps: ChatDeps,
) {
  const { t, personId } = turn;
  const { policy, settings } = deps;
  const clusterId = command.clusterId ?? settings.defaultClusterId;
  const namespace = command.namespace ?? settings.defaultNamespace;
  // The same line in another namespace, for an answer that offers one.
  const retype = (other: string) => formatCommand({ ...command, namespace: other }, turn.locale);
  if (!policy.canRequest(personId, clusterId, namespace).allowed)
    return refuseRequester(turn, deps, clusterId, namespace, retype);
  if (await refuseUnknownNamespace(turn, deps, clusterId, namespace, retype)) return;
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
  // A selector that matches nothing is a typo far more often than an app to come: answered here,
  // before any request is opened or any approver asked.
  const unmatched = await unmatchedTargetOf(turn, deps, clusterId, namespace, target);
  if (unmatched) return refuseUnmatched(command, turn, { clusterId, namespace }, unmatched);
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

/** Unreadable counts as matched: planning then reads the cluster again and says what is wrong. */
async function unmatchedTargetOf(
  turn: ChatTurn,
  deps: ChatDeps,
  clusterId: string,
  namespace: string,
  target: GrantTarget,
): Promise<UnmatchedTarget | null> {
  try {
    return await unmatchedTarget(await deps.clusterFor(turn.personId, clusterId), namespace, target);
  } catch (error) {
    deps.logger.warn({ err: error, clusterId, namespace }, 'could not check the grant target before opening');
    return null;
  }
}

/** What is not there, and the line to type instead (or, with nothing near, what is there). */
function refuseUnmatched(
  command: Extract<Command, { kind: 'grant' | 'plan' }>,
  turn: ChatTurn,
  where: { clusterId: string; namespace: string },
  unmatched: UnmatchedTarget,
) {
  const { t } = turn;
  const { clusterId: cluster, namespace } = where;
  const target = command.target;
  const missing =
    target.kind === 'app'
      ? t.appNotFound({ app: target.app, namespace, cluster })
      : t.accountNotFound({ serviceAccount: target.serviceAccount, namespace, cluster });
  const list = (names: string[]) =>
    names.length === 0 ? '-' : names.slice(0, 10).join(', ') + (names.length > 10 ? ', …' : '');
  const instead =
    unmatched.nearest.length > 0
      ? t.didYouMean({
          lines: unmatched.nearest
            .map((near) => `\`${formatCommand({ ...command, target: near }, turn.locale)}\``)
            .join('\n'),
        })
      : t.targetsThere({ namespace, apps: list(unmatched.apps), accounts: list(unmatched.accounts) });
  return turn.reply(`${missing}\n${instead}`, { kind: 'error' });
}
