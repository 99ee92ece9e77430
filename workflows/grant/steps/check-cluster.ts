/**
 * The seed's restrictions, checked before anything is written: Kubernetes ≥ 1.20, the
 * SecurityGroupPolicy add-on healthy, not dual-stack, super nodes present. Every failing check
 * names itself and its fix; all of them are reported at once.
 */
import { AppError } from '../../../src/errors.ts';
import type { ClusterInfo } from '../../../src/ports/cloud-network.ts';
import { findCluster } from '../../shared/find-cluster.ts';
import type { StepPorts } from '../../shared/step-ports.ts';

const atLeast = (version: string, major: number, minor: number) => {
  const [ma = 0, mi = 0] = version
    .replace(/^v/, '')
    .split('.')
    .map((p) => Number.parseInt(p, 10));
  return ma > major || (ma === major && mi >= minor);
};

export async function checkCluster(clusterId: string, ports: StepPorts): Promise<ClusterInfo> {
  const { cloud, settings } = ports;
  const cluster = await findCluster(clusterId, ports);
  const problems: string[] = [];
  const fixes: string[] = [];
  if (!atLeast(cluster.version, 1, 20)) {
    problems.push(`Kubernetes ${cluster.version} is older than 1.20`);
    fixes.push('upgrade the cluster to 1.20 or later (TKE console → Cluster → Basic info → Upgrade)');
  }
  if (cluster.isDualStack) {
    problems.push('the cluster is dual-stack, which pod security groups do not support');
    fixes.push('use a single-stack cluster for these pods');
  }
  const { addons } = await cloud.describeAddon(clusterId, settings.addonName);
  const addon = addons.find((a) => a.name === settings.addonName);
  if (!addon) {
    problems.push(`the ${settings.addonName} add-on is not installed`);
    fixes.push(`install it: TKE console → ${clusterId} → Add-on management → Create → SecurityGroupPolicy`);
  } else if (addon.phase !== 'Succeeded') {
    problems.push(
      `the ${settings.addonName} add-on is ${addon.phase}${addon.reason ? ` (${addon.reason})` : ''}`,
    );
    fixes.push(`wait for or repair it: TKE console → ${clusterId} → Add-on management`);
  }
  const { nodes } = await cloud.describeClusterVirtualNodes(clusterId);
  if (nodes.length === 0) {
    problems.push('the cluster has no super nodes, and only pods on super nodes get security groups');
    fixes.push(`add a super node pool: TKE console → ${clusterId} → Node management → Super node → Create`);
  }
  if (problems.length > 0) {
    throw new AppError(
      'PRECONDITION_FAILED',
      `Cluster ${clusterId} cannot use pod security groups: ${problems.join('; ')}.`,
      {
        hint: `To fix: ${fixes.join('; ')}.`,
        details: { problems },
      },
    );
  }
  return cluster;
}
