/**
 * `revoke pod SG from app <app>`: whoever may request access for the namespace may give it back.
 * Revoking needs no approval; the workflow keeps whatever another policy or pod still uses.
 */
import type { Command } from '../../commands/command.ts';
import { podGroupName } from '../../domain/pod-group-name.ts';
import { policyName } from '../../domain/policy-name.ts';
import type { RevokeInput } from '../../../workflows/revoke/types.ts';
import type { ChatDeps, ChatTurn } from '../chat-turn.ts';
import { describeRequest } from '../render-grant.ts';
import { openRequest } from './open-request.ts';

export async function openRevoke(
  command: Extract<Command, { kind: 'revoke' }>,
  turn: ChatTurn,
  deps: ChatDeps,
) {
  const { t, personId } = turn;
  const clusterId = command.clusterId ?? deps.settings.defaultClusterId;
  const namespace = command.namespace ?? deps.settings.defaultNamespace;
  if (!deps.policy.canRequest(personId, clusterId, namespace).allowed) {
    return turn.reply(t.notARequester({ person: personId, namespace, cluster: clusterId }), {
      kind: 'error',
    });
  }
  if (command.target.kind !== 'app')
    return turn.reply(t.notSupportedYet({ what: 'serviceaccount' }), { kind: 'error' });
  const app = command.target.app;
  // Policies of other live grants in the namespace: the workflow re-reads each before removing anything shared.
  const live = await deps.store.listRequests({ states: ['done', 'needsAttention'], limit: 1000 });
  const otherPolicyNames = [
    ...new Set(
      live
        .filter((r) => r.workflow === 'grant' && r.clusterId === clusterId && r.namespace === namespace)
        .map((r) => (r.spec as { target?: { app?: string } }).target?.app)
        .filter((a): a is string => typeof a === 'string' && a !== app)
        .map((a) => policyName(a)),
    ),
  ];
  const opened = await openRequest(turn, deps, {
    workflow: 'revoke',
    clusterId,
    namespace,
    auditAction: 'revoke',
    inputFor: (requestId): RevokeInput => ({
      spec: {
        requestId,
        requester: personId,
        clusterId,
        namespace,
        target: { kind: 'app', app },
        podSelector: { app },
        podGroupName: podGroupName(namespace, app),
        policyName: policyName(app),
        ...(command.reason ? { reason: command.reason } : {}),
        otherPolicyNames,
      },
      requestedAt: turn.at,
    }),
  });
  return turn.reply(
    t.requestOpened({
      id: opened.requestId,
      what: describeRequest('revoke', opened.context as never, turn.locale),
    }),
    { requestId: opened.requestId, state: opened.state },
  );
}
