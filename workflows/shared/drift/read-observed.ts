/**
 * Reads what the world holds of one grant's approved state, for findDrift: each group's rules (one
 * DescribeSecurityGroupPolicies per group, shared through `reads` by every grant looked at in the
 * same sweep — the cluster group is read once, not once per grant), the policy, the account's
 * labels, and the target's pods (one list; events only for a running pod that lacks a group).
 * Reads only.
 */
import { isAppError } from '../../../src/errors.ts';
import type { NodeInfo } from '../../../src/ports/cluster.ts';
import type { StepPorts } from '../step-ports.ts';
import { listTargetPods } from '../pods/target-pods.ts';
import type { Targeted } from '../pods/target-pods.ts';
import type { ApprovedState } from './approved-state.ts';
import type { ObservedGroup, ObservedState } from './drift-item.ts';

/** What one sweep has read already, by group id and by cluster: shared by all its grants. */
export interface SweepReads {
  groups: Map<string, Promise<ObservedGroup | null>>;
  nodes: Map<string, Promise<NodeInfo[]>>;
}

export const newSweepReads = (): SweepReads => ({ groups: new Map(), nodes: new Map() });

export async function readObserved(
  ports: Pick<StepPorts, 'cloud' | 'cluster'>,
  grant: { clusterId: string; spec: Targeted },
  approved: ApprovedState,
  reads: SweepReads = newSweepReads(),
): Promise<ObservedState> {
  const groupOf = (id: string) => {
    let read = reads.groups.get(id);
    if (!read) {
      read = readRules(ports, id);
      reads.groups.set(id, read);
    }
    return read;
  };
  let nodes = reads.nodes.get(grant.clusterId);
  if (!nodes) {
    nodes = ports.cluster.listNodes();
    reads.nodes.set(grant.clusterId, nodes);
  }
  const { namespace, name } = approved.policy;
  const account = approved.serviceAccountLabel;
  const [groups, policy, labels, pods, nodeList] = await Promise.all([
    Promise.all(approved.groups.map(async (g) => [g.id, await groupOf(g.id)] as const)),
    ports.cluster.getSecurityGroupPolicy(namespace, name),
    account
      ? ports.cluster
          .getServiceAccount(account.namespace, account.serviceAccount)
          .then((sa) => (sa ? sa.labels : null))
      : Promise.resolve(undefined),
    listTargetPods(ports, namespace, grant.spec),
    nodes,
  ]);
  const superNodes = new Set(nodeList.filter((n) => n.superNode).map((n) => n.name));
  const policyGroups = policy?.groupIds ?? approved.policy.groupIds;
  const observedPods = await Promise.all(
    pods
      .filter((p) => !p.terminating && p.phase === 'Running')
      .map(async (p) => {
        const lacks = policyGroups.some((id) => !p.securityGroupIds.includes(id));
        // Why a pod lacks its group is in its events (the add-on's warning); read only for those.
        const events = lacks
          ? (await ports.cluster.listEvents(namespace, p.name))
              .filter((e) => e.type === 'Warning')
              .map((e) => e.message)
          : undefined;
        return {
          name: p.name,
          nodeName: p.nodeName,
          superNode: p.nodeName !== null && superNodes.has(p.nodeName),
          securityGroupIds: p.securityGroupIds,
          ready: p.ready,
          ...(events ? { events } : {}),
        };
      }),
  );
  return {
    groups: Object.fromEntries(groups),
    policy,
    ...(labels === undefined ? {} : { serviceAccountLabels: labels }),
    pods: observedPods,
  };
}

/** A group's rules, or null when the cloud no longer has the group. */
async function readRules(
  ports: Pick<StepPorts, 'cloud'>,
  securityGroupId: string,
): Promise<ObservedGroup | null> {
  try {
    const { ruleSet } = await ports.cloud.describeSecurityGroupPolicies(securityGroupId);
    return { version: ruleSet.version, ingress: ruleSet.ingress, egress: ruleSet.egress };
  } catch (error) {
    if (isAppError(error) && error.code === 'CLOUD_NOT_FOUND') return null;
    throw error;
  }
}
