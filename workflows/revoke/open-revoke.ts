/**
 * `revoke pod SG from app <app> | serviceaccount <sa>`: whoever may request access for the
 * namespace may give it back. Revoking needs no approval; the workflow keeps whatever another
 * policy or pod still uses. Which group the target got (its own, an `as group` one, or the
 * groups of `using`) is what its latest live grant recorded.
 */
import type { Command } from '../../src/commands/command.ts';
import { podGroupName, serviceAccountPodGroupName } from '../../src/domain/pod-group-name.ts';
import { policyName, serviceAccountPolicyName } from '../../src/domain/policy-name.ts';
import type { TargetSpec } from '../shared/target-spec.ts';
import type { RevokeInput } from './types.ts';
import { endTimeBoundGrants } from '../../src/requests/end-time-bound-grants.ts';
import { liveGrants, otherPolicyNamesOf } from '../../src/requests/live-grants.ts';
import type { ChatDeps, ChatTurn } from '../../src/chat/chat-turn.ts';
import { describeRequest } from '../../src/chat/render-grant.ts';

/** What a revoke reads of a live grant's spec: its names, and the other teams' groups it wrote into. */
type GrantedSpec = TargetSpec & { targetGroups?: { securityGroupId: string }[] };
import { openRequest } from '../../src/chat/handlers/open-request.ts';
import { refuseRequester } from '../../src/chat/refuse-requester.ts';
import { formatCommand } from '../../src/commands/format-command.ts';

export async function openRevoke(
  command: Extract<Command, { kind: 'revoke' }>,
  turn: ChatTurn,
  deps: ChatDeps,
) {
  const { t, personId } = turn;
  const clusterId = command.clusterId ?? deps.settings.defaultClusterId;
  const namespace = command.namespace ?? deps.settings.defaultNamespace;
  if (!deps.policy.canRequest(personId, clusterId, namespace).allowed)
    return refuseRequester(turn, deps, clusterId, namespace, (other) =>
      formatCommand({ ...command, namespace: other }, turn.locale),
    );
  const target = command.target;
  const names =
    target.kind === 'app'
      ? { policyName: policyName(target.app), podGroupName: podGroupName(namespace, target.app) }
      : {
          policyName: serviceAccountPolicyName(target.serviceAccount),
          podGroupName: serviceAccountPodGroupName(namespace, target.serviceAccount),
        };
  // Policies of other live grants in the namespace: the workflow re-reads each before removing anything shared.
  const live = await liveGrants(deps.store, { clusterId, namespace });
  const otherPolicyNames = otherPolicyNamesOf(live, names.policyName);
  // The target's live grants, newest first: the latest says which group it got.
  const granted = live
    .map((r) => r.spec as Partial<GrantedSpec>)
    .filter((s) => s.policyName === names.policyName);
  const latest = granted[0];
  const targetGroupIds = [
    ...new Set(granted.flatMap((s) => (s.targetGroups ?? []).map((g) => g.securityGroupId))),
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
        target,
        podSelector: target.kind === 'app' ? { app: target.app } : {},
        podGroupName: latest?.podGroupName ?? names.podGroupName,
        policyName: names.policyName,
        ...(latest?.groups ? { groups: latest.groups } : {}),
        ...(latest?.groups?.kind === 'existing' && targetGroupIds.length > 0 ? { targetGroupIds } : {}),
        ...(command.reason ? { reason: command.reason } : {}),
        otherPolicyNames,
      },
      requestedAt: turn.at,
    }),
  });
  // A time-bound grant of this policy ends here, so its expiry opens no second revoke.
  await endTimeBoundGrants(deps, {
    clusterId,
    namespace,
    policyName: names.policyName,
    revokeRequestId: opened.requestId,
    by: personId,
    at: turn.at,
  });
  return turn.reply(
    t.requestOpened({
      id: opened.requestId,
      what: describeRequest('revoke', opened.context as never, turn.locale),
    }),
    { requestId: opened.requestId, state: opened.state },
  );
}
