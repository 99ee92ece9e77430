/**
 * `status app <app> [in <ns>]`: the sgops policy that selects it, its pods with node, node type,
 * groups and warnings, and its open requests — read from the cluster, audited under the person.
 * Only for a namespace the person may see: otherwise refused before the cluster is asked anything.
 */
import type { Command } from '../../commands/command.ts';
import { policyName } from '../../domain/policy-name.ts';
import { notSuperNodeReason } from '../../ports/cluster.ts';
import type { ChatDeps, ChatTurn } from '../chat-turn.ts';
import { maySeeRequest } from '../may-see-request.ts';
import { settledStates } from '../../../workflows/grant/machine.ts';

export async function showApp(
  command: Extract<Command, { kind: 'statusApp' }>,
  turn: ChatTurn,
  deps: ChatDeps,
) {
  const namespace = command.namespace ?? deps.settings.defaultNamespace;
  const clusterId = deps.settings.defaultClusterId;
  if (!deps.policy.maySee(turn.personId, clusterId, namespace))
    return turn.reply(turn.t.namespaceNotVisible({ namespace, cluster: clusterId }), { kind: 'error' });
  const cluster = await deps.clusterFor(turn.personId, clusterId);
  const [policy, pods, nodes, requests] = await Promise.all([
    cluster.getSecurityGroupPolicy(namespace, policyName(command.app)),
    cluster.listPods(namespace, `app=${command.app}`),
    cluster.listNodes(),
    deps.store.listRequests({ namespace, limit: 200 }),
  ]);
  const superNodes = new Set(nodes.filter((n) => n.superNode).map((n) => n.name));
  const lines: string[] = [];
  for (const pod of pods) {
    const onSuper = pod.nodeName !== null && superNodes.has(pod.nodeName);
    let warning = '';
    if (!onSuper && policy) {
      const events = await cluster.listEvents(namespace, pod.name);
      warning =
        events.find((e) => e.type === 'Warning' && e.message.startsWith(notSuperNodeReason))?.message ?? '';
    }
    lines.push(
      turn.t.appPodLine({
        pod: pod.name,
        phase: pod.phase,
        ready: pod.ready,
        node: pod.nodeName ?? '-',
        onSuper,
        groups: pod.securityGroupIds.join(',') || '-',
        warning,
      }),
    );
  }
  const open = requests
    .filter((r) => !(settledStates as readonly string[]).includes(r.state))
    .filter((r) => (r.spec as { target?: { app?: string } }).target?.app === command.app)
    // The same namespace on another cluster may be out of the person's sight.
    .filter((r) => maySeeRequest(deps.policy, turn.personId, r))
    .map((r) => turn.t.openRequest({ id: r.id, state: r.state }));
  return turn.reply(
    turn.t.appStatus({
      app: command.app,
      namespace,
      policy: policy ? `${policy.name} → ${policy.groupIds.join(', ')}` : '-',
      pods: lines.join('\n') || '-',
      requests: open.join(', ') || '-',
    }),
  );
}
