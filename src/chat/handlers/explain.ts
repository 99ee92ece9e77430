/**
 * `explain app|pod … to …|dns`: why a packet from the app's pods is or is not let through, read from
 * the live pods, policies and rules (bounded reads, audited under the person) and judged by the one
 * rule evaluator. Read-only, with the read scope of `status`: a namespace the person may not see
 * is refused before anything is read.
 */
import type { Command } from '../../commands/command.ts';
import { formatCommand } from '../../commands/format-command.ts';
import { policyName } from '../../domain/policy-name.ts';
import { nearestNames } from '../../domain/nearest-names.ts';
import type { Cluster } from '../../ports/cluster.ts';
import { tccliLine } from '../../../workflows/shared/rules/tccli-lines.ts';
import type { FixContext } from '../../domain/reachability/smallest-change.ts';
import { renderChange } from '../../domain/reachability/render-change.ts';
import { watchedGrants, policyKeyOf, policyKey } from '../../drift/watched-grants.ts';
import { readExplainWorld } from '../../explain/read-explain-world.ts';
import { explainAnswer } from '../../explain/explain-answer.ts';
import type { ChatDeps, ChatTurn } from '../chat-turn.ts';
import { explainFacts, renderExplain } from '../render-explain.ts';

export async function explain(
  command: Extract<Command, { kind: 'explain' }>,
  turn: ChatTurn,
  deps: ChatDeps,
) {
  const namespace = command.namespace ?? deps.settings.defaultNamespace;
  const clusterId = command.clusterId ?? deps.settings.defaultClusterId;
  const targetNamespace =
    'namespace' in command.target && command.target.namespace ? command.target.namespace : namespace;
  for (const ns of new Set([namespace, targetNamespace]))
    if (!deps.policy.maySee(turn.personId, clusterId, ns))
      return turn.reply(turn.t.namespaceNotVisible({ namespace: ns, cluster: clusterId }), { kind: 'error' });
  const dns = command.target.kind === 'dns';
  if (!dns && command.flow === undefined)
    return turn.reply(
      turn.t.explainNeedsFlow({
        line: formatCommand({ ...command, flow: { protocol: 'TCP', port: 443 } }, turn.locale),
      }),
      { kind: 'error' },
    );
  const app = command.source.kind === 'app' ? command.source.app : undefined;
  const ports = await deps.readPortsFor(turn.personId, clusterId);
  const world = await readExplainWorld(
    ports,
    { ...command, namespace, clusterId },
    {
      clusterGroupName: deps.settings.clusterGroupName(clusterId),
      ...(app ? { policyName: policyName(app) } : {}),
    },
  );
  if (world.sources.length === 0) return answerNoPods(command, namespace, clusterId, turn, ports.cluster);
  const target = command.target;
  if (target.kind === 'group') {
    const rules =
      world.targets[0]?.filtering.by === 'own' ? world.targets[0].filtering.groups[0]?.rules : undefined;
    if (rules === 'missing') {
      const { region } = ports;
      return turn.reply(
        turn.t.explainNoGroup({
          id: target.securityGroupId,
          region,
          line: tccliLine(region, 'vpc', 'DescribeSecurityGroups', {
            SecurityGroupIds: [target.securityGroupId],
          }),
        }),
        { kind: 'error' },
      );
    }
  }
  // The grant in force for the app's policy, so a missing DNS rule or pod group is `repair <id>`.
  const grant = app
    ? (await watchedGrants(deps.store)).find(
        (r) => policyKey(r) === policyKeyOf(clusterId, namespace, policyName(app)),
      )
    : undefined;
  const ctx: FixContext = {
    target: { kind: 'app', app: app ?? world.sourceApp ?? '' },
    namespace,
    ...(command.clusterId ? { clusterId } : {}),
    ...(grant ? { grantRequestId: grant.id } : {}),
  };
  const explained = explainAnswer(world, { ...(command.flow ? { flow: command.flow } : {}), dns }, ctx);
  // A pod without an app label has no grant line to offer: a grant names an app.
  const answer =
    ctx.target.kind === 'app' && ctx.target.app === ''
      ? { ...explained, changes: explained.changes.filter((c) => c.kind !== 'grant') }
      : explained;
  const offers = answer.changes.flatMap((change) => renderChange(change, ctx, turn.locale) ?? []);
  return turn.reply(
    renderExplain(answer, formatCommand(command, turn.locale), ctx, world.reads, turn.locale),
    { facts: explainFacts(answer, ctx, world.reads), ...(offers.length > 0 ? { offers } : {}) },
  );
}

/** No running pod to follow: said as a mistake, with the nearest apps of the namespace as lines to type. */
async function answerNoPods(
  command: Extract<Command, { kind: 'explain' }>,
  namespace: string,
  clusterId: string,
  turn: ChatTurn,
  cluster: Pick<Cluster, 'listPods'>,
) {
  const { source } = command;
  const who = source.kind === 'app' ? `app ${source.app}` : `pod ${source.pod}`;
  const whoZh = source.kind === 'app' ? `应用 ${source.app}` : `Pod ${source.pod}`;
  const said = turn.t.explainNoPods({
    who: turn.locale === 'zh' ? whoZh : who,
    namespace,
    cluster: clusterId,
  });
  if (source.kind !== 'app') return turn.reply(said, { kind: 'error' });
  // One more list, only for a mistake: the apps that do run there.
  const apps = new Set((await cluster.listPods(namespace, '')).flatMap((p) => p.labels['app'] ?? []));
  const nearest = nearestNames(source.app, apps);
  if (nearest.length === 0) return turn.reply(said, { kind: 'error' });
  const lines = nearest.map(
    (app) => `\`${formatCommand({ ...command, source: { kind: 'app', app } }, turn.locale)}\``,
  );
  return turn.reply(`${said}\n${turn.t.didYouMean({ lines: lines.join('\n') })}`, { kind: 'error' });
}
