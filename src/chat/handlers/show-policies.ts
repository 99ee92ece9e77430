/**
 * `status policies [in <ns>]`: the SecurityGroupPolicies of one namespace, or of every namespace
 * the person may see (the policy's read scope: where they may request or approve, everywhere for
 * platform-wide approvers). Other namespaces stay hidden: the policies there would tell them about
 * groups they have no part in.
 * The Kubernetes reads do not grow with the number of policies: one list of policies, one of
 * nodes, one of pods per namespace shown (and of service accounts, where a policy selects by them).
 */
import type { Command } from '../../commands/command.ts';
import { isAppError } from '../../errors.ts';
import type { SecurityGroupPolicyInfo } from '../../ports/cluster.ts';
import type { ChatDeps, ChatTurn } from '../chat-turn.ts';
import { policiesToShow, renderPolicies, requestOf } from '../render-policies.ts';

export async function showPolicies(
  command: Extract<Command, { kind: 'statusPolicies' }>,
  turn: ChatTurn,
  deps: ChatDeps,
) {
  const { t, personId } = turn;
  const clusterId = deps.settings.defaultClusterId;
  const maySee = (namespace: string) => deps.policy.maySee(personId, clusterId, namespace);
  const { namespace } = command;
  if (namespace !== undefined && !maySee(namespace))
    return turn.reply(t.namespaceNotVisible({ namespace, cluster: clusterId }), { kind: 'error' });

  const cluster = await deps.clusterFor(personId, clusterId);
  let listed: SecurityGroupPolicyInfo[];
  try {
    listed = await cluster.listSecurityGroupPolicies(namespace);
  } catch (error) {
    // The resource itself is not served: the add-on is missing, so there are no policies to show.
    if (isAppError(error) && error.code === 'K8S_NOT_FOUND')
      return turn.reply(t.noPolicyCrd({ cluster: clusterId }));
    throw error;
  }
  const visible = listed.filter((p) => maySee(p.namespace));
  const shown = policiesToShow(visible);
  const namespaces = [...new Set(shown.map((p) => p.namespace))];
  const byAccount = [
    ...new Set(shown.filter((p) => p.serviceAccountSelector !== undefined).map((p) => p.namespace)),
  ];
  const requestIds = [...new Set(shown.map(requestOf).filter((id) => id !== null))];
  const [nodes, pods, accounts, requests] = await Promise.all([
    shown.length > 0 ? cluster.listNodes() : [],
    Promise.all(namespaces.map((ns) => cluster.listPods(ns, ''))),
    Promise.all(byAccount.map((ns) => cluster.listServiceAccounts(ns))),
    Promise.all(requestIds.map((id) => deps.store.getRequest(id))),
  ]);
  return turn.reply(
    renderPolicies(
      {
        namespace,
        total: visible.length,
        shown,
        pods: pods.flat(),
        accounts: accounts.flat(),
        superNodes: new Set(nodes.filter((n) => n.superNode).map((n) => n.name)),
        requestStates: new Map(requests.flatMap((r) => (r === null ? [] : [[r.id, r.state] as const]))),
      },
      t,
    ),
  );
}
