/** The request's cluster, read before anything else: a wrong id or region stops the request here. */
import { AppError } from '../../src/errors.ts';
import type { ClusterInfo } from '../../src/ports/cloud-network.ts';
import type { StepPorts } from './step-ports.ts';
import { tccliLine } from './rules/tccli-lines.ts';

export async function findCluster(clusterId: string, ports: StepPorts): Promise<ClusterInfo> {
  const { region } = ports.settings;
  const { clusters } = await ports.cloud.describeClusters([clusterId]);
  const cluster = clusters.find((c) => c.id === clusterId);
  if (!cluster) {
    throw new AppError('PRECONDITION_FAILED', `Cluster ${clusterId} was not found in region ${region}.`, {
      hint: `Check the cluster id and region: ${tccliLine(region, 'tke', 'DescribeClusters', { ClusterIds: [clusterId] })}`,
    });
  }
  return cluster;
}
