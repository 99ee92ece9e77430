/**
 * The answer to someone who may not open a request in a namespace. When the namespace does not
 * exist, the helpful answer is that it does not — but only to people who may see the cluster (a
 * requester or approver of some rule covering it); anyone else gets the same refusal whether it
 * exists or not, so probing tells them nothing about which namespaces there are.
 *
 * `retype` is the line asked, in another namespace: with it, the answer offers the nearest
 * existing namespaces the person may request in, as lines to type.
 */
import { nearestNames } from '../domain/nearest-names.ts';
import type { ChatDeps, ChatTurn } from './chat-turn.ts';

export type Retype = (namespace: string) => string;

export async function refuseRequester(
  turn: ChatTurn,
  deps: Pick<ChatDeps, 'policy' | 'clusterFor' | 'logger'>,
  clusterId: string,
  namespace: string,
  retype?: Retype,
): Promise<void> {
  const { t, personId } = turn;
  if (deps.policy.maySeeCluster(personId, clusterId)) {
    if (await answerUnknownNamespace(turn, deps, clusterId, namespace, retype)) return;
  }
  return turn.reply(t.notARequester({ person: personId, namespace, cluster: clusterId }), { kind: 'error' });
}

/**
 * For a requester whose rule there covers every namespace (`namespaces: ['*']`), a namespace that
 * does not exist is a typo far more often than one to come: it is answered as unknown, and nothing
 * is opened. Where her rule names the namespace, the seed's order holds (the policy first, the
 * namespace later: applying the policy creates it). False when the request may go on.
 */
export async function refuseUnknownNamespace(
  turn: ChatTurn,
  deps: Pick<ChatDeps, 'policy' | 'clusterFor' | 'logger'>,
  clusterId: string,
  namespace: string,
  retype: Retype,
): Promise<boolean> {
  const namespaces = deps.policy.ruleFor(clusterId, namespace)?.rule.namespaces ?? [];
  if (!namespaces.includes('*') || namespaces.includes(namespace)) return false;
  return answerUnknownNamespace(turn, deps, clusterId, namespace, retype);
}

/** Answers that the namespace does not exist, with the nearest lines to type; false when it exists. */
async function answerUnknownNamespace(
  turn: ChatTurn,
  deps: Pick<ChatDeps, 'policy' | 'clusterFor' | 'logger'>,
  clusterId: string,
  namespace: string,
  retype: Retype | undefined,
): Promise<boolean> {
  const { t, personId } = turn;
  const existing = await namespacesIfMissing(turn, deps, clusterId, namespace);
  if (existing === null) return false;
  const unknown = t.unknownNamespace({ namespace, cluster: clusterId });
  // Only where the person may ask: a line they would be refused is no help.
  const nearest = retype
    ? nearestNames(
        namespace,
        existing.filter((ns) => deps.policy.canRequest(personId, clusterId, ns).allowed),
      )
    : [];
  const text =
    nearest.length === 0
      ? unknown
      : `${unknown}\n${t.didYouMean({ lines: nearest.map((ns) => `\`${retype!(ns)}\``).join('\n') })}`;
  await turn.reply(text, { kind: 'error' });
  return true;
}

/**
 * The cluster's namespaces when `namespace` is not among them; null when it exists. Unreadable
 * counts as existing: the answer then stays the policy's, which is true either way.
 */
async function namespacesIfMissing(
  turn: ChatTurn,
  deps: Pick<ChatDeps, 'clusterFor' | 'logger'>,
  clusterId: string,
  namespace: string,
): Promise<string[] | null> {
  try {
    const cluster = await deps.clusterFor(turn.personId, clusterId);
    if ((await cluster.getNamespace(namespace)) !== null) return null;
    // The names are only a help: without them the answer is still that it does not exist.
    return await cluster.listNamespaces().catch((error: unknown) => {
      deps.logger.warn({ err: error, clusterId }, 'could not list the namespaces for a refusal');
      return [];
    });
  } catch (error) {
    deps.logger.warn({ err: error, clusterId, namespace }, 'could not read the namespace for a refusal');
    return null;
  }
}
