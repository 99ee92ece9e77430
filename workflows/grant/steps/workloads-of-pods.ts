/** Which Deployments own the selected pods (pod → ReplicaSet → Deployment), read with one ReplicaSet list. */
import type { DeploymentInfo, PodInfo } from '../../../src/ports/cluster.ts';
import type { StepPorts } from '../step-ports.ts';

export const selectorString = (labels: Record<string, string>) =>
  Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');

export async function workloadsOfPods(
  namespace: string,
  selector: string,
  pods: PodInfo[],
  ports: StepPorts,
): Promise<{ deployments: DeploymentInfo[]; podWorkload: Map<string, string> }> {
  const podWorkload = new Map<string, string>();
  const owned = pods.filter((p) => p.owners.some((o) => o.kind === 'ReplicaSet'));
  if (owned.length === 0) return { deployments: [], podWorkload };
  const replicaSets = await ports.cluster.listReplicaSets(namespace, selector);
  const deploymentOfRs = new Map<string, string>();
  for (const rs of replicaSets) {
    const owner = rs.owners.find((o) => o.kind === 'Deployment');
    if (owner) deploymentOfRs.set(rs.name, owner.name);
  }
  for (const pod of owned) {
    const rs = pod.owners.find((o) => o.kind === 'ReplicaSet');
    const deployment = rs ? deploymentOfRs.get(rs.name) : undefined;
    if (deployment) podWorkload.set(pod.name, `Deployment/${deployment}`);
  }
  const names = [...new Set([...podWorkload.values()].map((w) => w.slice('Deployment/'.length)))].sort();
  const deployments: DeploymentInfo[] = [];
  for (const name of names) {
    const d = await ports.cluster.getDeployment(namespace, name);
    if (d) deployments.push(d);
  }
  return { deployments, podWorkload };
}
