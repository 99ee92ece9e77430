/** The request's cluster, read before anything else: a wrong id or region stops the request here. */
import { words } from '../../src/domain/words.ts';
import { stepError } from './step-error.ts';
import type { ClusterInfo } from '../../src/ports/cloud-network.ts';
import type { StepPorts } from './step-ports.ts';
import { tccliLine } from './rules/tccli-lines.ts';

export async function findCluster(clusterId: string, ports: StepPorts): Promise<ClusterInfo> {
  const { region } = ports.settings;
  const { clusters } = await ports.cloud.describeClusters([clusterId]);
  const cluster = clusters.find((c) => c.id === clusterId);
  if (!cluster) {
    const describe = tccliLine(region, 'tke', 'DescribeClusters', { ClusterIds: [clusterId] });
    throw stepError(
      'PRECONDITION_FAILED',
      words(
        `Cluster ${clusterId} was not found in region ${region}.`,
        `在地域 ${region} 中找不到集群 ${clusterId}。`,
      ),
      {
        hint: words(`Check the cluster id and region: ${describe}`, `请核对集群 ID 和地域：${describe}`),
      },
    );
  }
  return cluster;
}
