/**
 * `status request <id>` and `audit <id>`: what a request is doing, and what it did, from the record.
 * A request the person may not see is answered as an unknown id, so its existence does not leak.
 */
import { saidIn } from '../../domain/words.ts';
import { errorIn } from '../error-in.ts';
import type { Command } from '../../commands/command.ts';
import type { GrantContext } from '../../../workflows/grant/types.ts';
import type { ChatDeps, ChatTurn } from '../chat-turn.ts';
import { maySeeRequest } from '../may-see-request.ts';
import { renderVerdicts } from '../render-grant.ts';
import { renderApprovalEssentials } from '../render-sign-offs.ts';
import { driftParts, expiryLine, revocationLine } from '../render-lifecycle.ts';
import { workflowOf } from './workflow-of.ts';
import type { WorkflowsDep } from './workflow-of.ts';

export async function showRequest(
  command: Extract<Command, { kind: 'status' | 'audit' }>,
  turn: ChatTurn,
  deps: ChatDeps & WorkflowsDep,
) {
  const { t } = turn;
  const id = command.requestId;
  const view = await deps.engine.read(id);
  if (!view || !maySeeRequest(deps.policy, turn.personId, { ...view.request, context: view.context }))
    return turn.reply(t.noSuchRequest({ id }), { kind: 'error' });
  if (command.kind === 'audit') {
    return turn.reply(await deps.auditSummary(id, turn.locale), { requestId: id, state: view.state });
  }
  const context = view.context as GrantContext;
  const workflow = workflowOf(deps, view.request.workflow);
  const detail = [
    // A time-bound grant: when it ends (as of now), or how it ended.
    expiryLine(context, turn.at, turn.locale),
    revocationLine(context, turn.locale),
    context.progress ? t.progressLine({ progress: saidIn(context.progress, turn.locale) }) : '',
    context.error ? errorLine(errorIn(context.error, turn.locale)) : '',
    context.drift?.notes.length ? t.driftLine(driftParts(context, turn.locale)) : '',
    // A grant's line as asked, other teams' groups it touches and whose sign-off each set has.
    workflow?.view.facts?.signOffs && context.outputs?.planning
      ? renderApprovalEssentials(context, deps.policy, turn.locale)
      : '',
    // A grant's verdicts; another workflow's `verifying` (a repair's) has its own shape.
    Array.isArray(context.outputs?.verifying?.pods)
      ? renderVerdicts(context.outputs.verifying.pods, turn.locale)
      : '',
  ]
    .filter(Boolean)
    .join('\n');
  return turn.reply(
    t.status({
      id,
      // A workflow says what its requests are; one that does not is named with where it acts.
      what:
        workflow?.describe?.(context as never, turn.locale) ??
        `${view.request.workflow} in ${view.request.namespace} on ${view.request.clusterId}`,
      state: view.state,
      detail,
    }),
    {
      requestId: id,
      state: view.state,
    },
  );
}

const errorLine = ({ message, hint }: { message: string; hint: string }) =>
  hint ? `${message} — ${hint}` : message;
