/**
 * Before a grant is opened: does its selector match anything? A typo (`app my-ap`) would otherwise
 * become a request an approver is asked about, for a policy that selects nothing. Read only, under
 * the asking person. A namespace that does not exist yet is left alone: the seed's order is the
 * policy first and the app later, and the plan creates the namespace (for a requester allowed in
 * every namespace, src/chat/refuse-requester.ts answers it as unknown first).
 */
import type { GrantTarget } from '../shared/target-spec.ts';
import type { Cluster } from '../../src/ports/cluster.ts';
import { nearestNames } from '../../src/domain/nearest-names.ts';

/** What the namespace holds instead: the nearest targets, and all of its app labels and accounts. */
export interface UnmatchedTarget {
  nearest: GrantTarget[];
  apps: string[];
  accounts: string[];
}

export async function unmatchedTarget(
  cluster: Pick<
    Cluster,
    | 'getNamespace'
    | 'listPods'
    | 'listReplicaSets'
    | 'getWorkload'
    | 'getServiceAccount'
    | 'listServiceAccounts'
  >,
  namespace: string,
  target: GrantTarget,
): Promise<UnmatchedTarget | null> {
  if (!(await cluster.getNamespace(namespace))) return null;
  if (target.kind === 'app') {
    const selector = `app=${target.app}`;
    if ((await cluster.listPods(namespace, selector)).length > 0) return null;
    // A Deployment scaled to zero keeps its ReplicaSets, labelled as its pods would be.
    if ((await cluster.listReplicaSets(namespace, selector)).length > 0) return null;
    // A StatefulSet scaled to zero, or a DaemonSet on no node yet, has no pods and no ReplicaSet:
    // found by its name, when its pods would carry the app's label.
    for (const kind of ['StatefulSet', 'DaemonSet'] as const) {
      const workload = await cluster.getWorkload(namespace, { kind, name: target.app });
      if (workload?.template.labels.app === target.app) return null;
    }
  } else if (await cluster.getServiceAccount(namespace, target.serviceAccount)) {
    return null;
  }
  const [pods, serviceAccounts] = await Promise.all([
    cluster.listPods(namespace, ''),
    cluster.listServiceAccounts(namespace),
  ]);
  const apps = [...new Set(pods.flatMap((p) => (p.labels.app ? [p.labels.app] : [])))].sort();
  const accounts = serviceAccounts.map((a) => a.name).sort();
  const typed = target.kind === 'app' ? target.app : target.serviceAccount;
  const asApps = nearestNames(typed, apps).map((app): GrantTarget => ({ kind: 'app', app }));
  const asAccounts = nearestNames(typed, accounts).map((serviceAccount): GrantTarget => ({
    kind: 'serviceAccount',
    serviceAccount,
  }));
  // The kind that was typed first: a typo of an app name is most likely another app.
  const nearest = (target.kind === 'app' ? [...asApps, ...asAccounts] : [...asAccounts, ...asApps]).slice(
    0,
    3,
  );
  return { nearest, apps, accounts };
}
