/**
 * What a person may do to a request from its console view, now: approve, deny, cancel, retry,
 * rollback, revoke, repair. Each action is offered as the chat line that does it, and the console's button
 * sends that very line through the chat service (/api/say): the chat's own checks decide, so the
 * console can never allow more than the chat. These rules only choose which buttons to show; they
 * mirror the chat's handlers (decide.ts, steer-request.ts, opening a revoke) and the machine's
 * transitions (an action is offered only where the current state has that event). The line is in
 * the person's language, so the chat answers a button in the words the person reads.
 */
import type { RequestView } from '../engine/engine.ts';
import type { Policy } from '../policy/create-policy.ts';
import { ownNamespaceKey } from '../ports/group-owners.ts';
import type { GrantTarget, Locale } from '../commands/command.ts';
import { formatCommand } from '../commands/format-command.ts';
import { verbWord } from '../commands/keywords.ts';
import type { WorkflowModule } from '../../workflows/workflow-module.ts';
import { phaseOf } from '../../workflows/workflow-module.ts';
import type { WorkflowGraph } from './workflow-graph.ts';

/** A grant's states in which its access is in place. */
const grantInPlace = new Set(['done', 'active', 'needsAttention']);
/** A grant's states in which it is in force: what a repair puts back. */
const grantInForce = new Set(['done', 'active']);

export type RequestActionId = 'approve' | 'deny' | 'cancel' | 'retry' | 'rollback' | 'revoke' | 'repair';

export interface RequestAction {
  id: RequestActionId;
  /** The chat line that takes it; `deny` ends in the reason the person gives. */
  line: string;
}

export type ActionWorkflow = Pick<WorkflowModule, 'phases'> & Partial<Pick<WorkflowModule, 'approverKeys'>>;

export function requestActions(
  personId: string,
  view: RequestView,
  graph: WorkflowGraph,
  workflow: ActionWorkflow | undefined,
  policy: Policy,
  locale: Locale = 'en',
): RequestAction[] {
  const { request } = view;
  const id = request.id;
  // A deny's line ends where the person's reason goes.
  const lineOf = (verb: 'approve' | 'cancel' | 'retry' | 'rollback' | 'deny') =>
    verb === 'deny'
      ? `${verbWord('deny', locale)} ${id}`
      : formatCommand({ kind: verb, requestId: id }, locale);
  const events = new Set(
    graph.states.find((s) => s.id === view.state)?.transitions.map((t) => t.event) ?? [],
  );
  const actions: RequestAction[] = [];

  // decide.ts: a signer of one of the request's sign-off sets (never the requester, unless the
  // rule allows it), while the request waits; an approval given once is not offered again.
  const waiting = workflow !== undefined && phaseOf(workflow, view.state) === 'waiting';
  const sets = workflow?.approverKeys?.(view.context as never) ?? [ownNamespaceKey];
  const signs = sets.some((key) => policy.signsFor(personId, key, request));
  if (waiting && signs) {
    const approvals = (view.context as { approvals?: { by: string }[] } | null)?.approvals ?? [];
    if (events.has('approve') && !approvals.some((a) => a.by === personId))
      actions.push({ id: 'approve', line: lineOf('approve') });
    if (events.has('deny')) actions.push({ id: 'deny', line: lineOf('deny') });
  }

  // steer-request.ts: the requester or one of the namespace's approvers, where the state allows.
  const involved =
    request.requester === personId ||
    policy.approversFor(request.clusterId, request.namespace).includes(personId);
  if (involved)
    for (const steer of ['cancel', 'retry', 'rollback'] as const)
      if (events.has(steer)) actions.push({ id: steer, line: lineOf(steer) });

  // open-repair.ts: the same people may ask to repair a grant in force the drift watch found drifted.
  const drift = (view.context as { drift?: { notes: unknown[] } | null } | null)?.drift;
  if (
    involved &&
    request.workflow === 'grant' &&
    grantInForce.has(view.state) &&
    (drift?.notes.length ?? 0) > 0
  )
    actions.push({ id: 'repair', line: formatCommand({ kind: 'repair', requestId: id }, locale) });

  // A grant whose access is in place is ended by a revoke request, which anyone who may request
  // there may open (the chat's `revoke` line). A dry run (`planned`) changed nothing to revoke.
  const target = request.spec['target'];
  if (
    request.workflow === 'grant' &&
    target &&
    grantInPlace.has(view.state) &&
    policy.canRequest(personId, request.clusterId, request.namespace).allowed
  )
    actions.push({
      id: 'revoke',
      line: formatCommand(
        {
          kind: 'revoke',
          target: target as GrantTarget,
          namespace: request.namespace,
          clusterId: request.clusterId,
        },
        locale,
      ),
    });
  return actions;
}
