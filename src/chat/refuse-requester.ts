/**
 * The answer to someone who may not open a request in a namespace. When the namespace does not
 * exist, the helpful answer is that it does not — but only to people who may see the cluster (a
 * requester or approver of some rule covering it); anyone else gets the same refusal whether it
 * exists or not, so probing tells them nothing about which namespaces there are.
 */
import type { ChatDeps, ChatTurn } from './chat-turn.ts';

export async function refuseRequester(
  turn: ChatTurn,
  deps: Pick<ChatDeps, 'policy' | 'clusterFor' | 'logger'>,
  clusterId: string,
  namespace: string,
): Promise<void> {
  const { t, personId } = turn;
  if (
    deps.policy.maySeeCluster(personId, clusterId) &&
    !(await namespaceExists(turn, deps, clusterId, namespace))
  )
    return turn.reply(t.unknownNamespace({ namespace, cluster: clusterId }), { kind: 'error' });
  return turn.reply(t.notARequester({ person: personId, namespace, cluster: clusterId }), { kind: 'error' });
}

/** Unreadable counts as existing: the refusal then stays the policy's, which is true either way. */
async function namespaceExists(
  turn: ChatTurn,
  deps: Pick<ChatDeps, 'clusterFor' | 'logger'>,
  clusterId: string,
  namespace: string,
): Promise<boolean> {
  try {
    const cluster = await deps.clusterFor(turn.personId, clusterId);
    return (await cluster.getNamespace(namespace)) !== null;
  } catch (error) {
    deps.logger.warn({ err: error, clusterId, namespace }, 'could not read the namespace for a refusal');
    return true;
  }
}
