/**
 * Reads the emulator's and the simulator's own state (never the bot's view) and lists every way the
 * world differs from "each app was granted exactly once": a missing or doubled pod group, a rule too
 * many or too few, a duplicate rule anywhere, a group without its SecurityGroupPolicy or the
 * reverse, a pod without its group. An empty list means the world is right.
 */
import type { EmulatorStateView } from '../../adapters/tencentcloud/emulator/index.ts';
import type { KubernetesSimulator } from '../../adapters/kubernetes/simulator/create-kubernetes-simulator.ts';
import { securityGroupAnnotation } from '../../src/ports/cluster.ts';
import { clusterId } from './test-world.ts';

type Group = EmulatorStateView['securityGroups'][number];
type WireRule = Group['ingress'][number];

export interface GrantedWorldExpectation {
  clusterId: string;
  clusterGroupName: string;
  apps: { app: string; namespace: string }[];
}

const peerOf = (r: WireRule) => r.SecurityGroupId || r.CidrBlock || r.Ipv6CidrBlock || '?';
const ruleKey = (r: WireRule) => `${r.Protocol}/${r.Port}/${peerOf(r)}/${r.Action}`;

function duplicateRules(group: Group): string[] {
  const problems: string[] = [];
  for (const direction of ['ingress', 'egress'] as const) {
    const seen = new Set<string>();
    for (const rule of group[direction]) {
      const key = ruleKey(rule);
      if (seen.has(key)) problems.push(`${group.id} (${group.name}) has ${direction} rule ${key} twice`);
      seen.add(key);
    }
  }
  return problems;
}

function sameSet(actual: string[], expected: string[]): boolean {
  return JSON.stringify([...actual].sort()) === JSON.stringify([...expected].sort());
}

export function grantedWorldProblems(
  cloud: EmulatorStateView,
  simulator: KubernetesSimulator,
  expected: GrantedWorldExpectation,
): string[] {
  const problems: string[] = [];
  const groupsById = new Map(cloud.securityGroups.map((g) => [g.id, g]));
  for (const group of cloud.securityGroups) problems.push(...duplicateRules(group));

  const clusterGroups = cloud.securityGroups.filter((g) => g.name === expected.clusterGroupName);
  if (clusterGroups.length !== 1) {
    problems.push(`${clusterGroups.length} groups are named ${expected.clusterGroupName}`);
    return problems;
  }
  const clusterGroup = clusterGroups[0]!;
  const sgopsGroups = cloud.securityGroups.filter((g) => g.tags['sgops/managed'] === 'true');
  if (sgopsGroups.length !== expected.apps.length) {
    problems.push(`${sgopsGroups.length} sgops groups exist for ${expected.apps.length} apps`);
  }

  const policies = simulator.list('securitygrouppolicies') as {
    metadata: { name: string; namespace: string };
    spec: { securityGroups?: { groupIds?: string[] } };
  }[];
  for (const policy of policies) {
    for (const id of policy.spec.securityGroups?.groupIds ?? []) {
      if (!groupsById.has(id))
        problems.push(
          `policy ${policy.metadata.namespace}/${policy.metadata.name} names missing group ${id}`,
        );
    }
  }
  for (const group of sgopsGroups) {
    const app = group.tags['sgops/app'];
    const namespace = group.tags['sgops/namespace'];
    const has = policies.some(
      (p) =>
        p.metadata.namespace === namespace &&
        p.metadata.name === `sgops-${app}` &&
        (p.spec.securityGroups?.groupIds ?? []).includes(group.id),
    );
    if (!has) problems.push(`sgops group ${group.id} (${group.name}) has no SecurityGroupPolicy naming it`);
  }

  for (const { app, namespace } of expected.apps) {
    const name = `sgops-${namespace}-${app}`;
    const mine = cloud.securityGroups.filter(
      (g) =>
        g.name === name &&
        g.tags['sgops/managed'] === 'true' &&
        g.tags['sgops/app'] === app &&
        g.tags['sgops/namespace'] === namespace &&
        g.tags['sgops/cluster'] === expected.clusterId,
    );
    if (mine.length !== 1) {
      problems.push(`${mine.length} pod groups ${name} carry the sgops tags of ${app}`);
      continue;
    }
    const group = mine[0]!;
    const ingress = group.ingress.map(ruleKey);
    const wantIngress = [`ALL/ALL/${group.id}/ACCEPT`, `ALL/ALL/${clusterGroup.id}/ACCEPT`];
    if (!sameSet(ingress, wantIngress)) problems.push(`${name} ingress is ${JSON.stringify(ingress)}`);
    const egress = group.egress.map(ruleKey);
    if (!sameSet(egress, ['ALL/ALL/0.0.0.0/0/ACCEPT']))
      problems.push(`${name} egress is ${JSON.stringify(egress)}`);
    const dns = clusterGroup.ingress.filter((r) => r.SecurityGroupId === group.id).map(ruleKey);
    if (!sameSet(dns, [`TCP/53/${group.id}/ACCEPT`, `UDP/53/${group.id}/ACCEPT`]))
      problems.push(`the cluster group admits ${name} with ${JSON.stringify(dns)}`);

    const pods = simulator
      .list('pods', namespace, { labelSelector: `app=${app}` })
      .filter((p) => !p.metadata.deletionTimestamp);
    if (pods.length === 0) problems.push(`no pod of ${namespace}/${app} is left`);
    for (const pod of pods) {
      const carried = pod.metadata.annotations?.[securityGroupAnnotation];
      if (carried !== group.id)
        problems.push(`pod ${pod.metadata.name} of ${app} carries ${carried ?? 'no group'}`);
    }
  }
  return problems;
}

/** The same for the test worlds' one sandbox cluster (`clusterId`) and its cluster group. */
export function sandboxGrantProblems(
  world: { emulator: { state(): EmulatorStateView }; simulator: KubernetesSimulator },
  apps: { app: string; namespace: string }[],
): string[] {
  return grantedWorldProblems(world.emulator.state(), world.simulator, {
    clusterId,
    clusterGroupName: `tke-worker-security-for-${clusterId}`,
    apps,
  });
}
