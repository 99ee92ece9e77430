/**
 * Creates one super-node Deployment per app in the simulator (and its namespace when missing) and
 * waits until each has all its replicas available.
 */
import type { KubernetesSimulator } from '../../adapters/kubernetes/simulator/create-kubernetes-simulator.ts';
import { superNodeDeployment } from './super-node-deployment.ts';

export interface AppPlacement {
  app: string;
  namespace: string;
}

export async function deploySuperNodeApps(
  simulator: KubernetesSimulator,
  apps: AppPlacement[],
  options: { replicas?: number; timeoutMs?: number } = {},
): Promise<void> {
  const replicas = options.replicas ?? 1;
  for (const namespace of new Set(apps.map((a) => a.namespace))) {
    if (!simulator.get('namespaces', undefined, namespace))
      simulator.create('namespaces', undefined, {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: namespace },
      });
  }
  for (const { app, namespace } of apps)
    simulator.create('deployments', namespace, superNodeDeployment({ app, namespace, replicas }));
  await simulator.settle();
  const unavailable = () =>
    apps.filter(({ app, namespace }) => {
      const status = simulator.get('deployments', namespace, app)?.status as
        { availableReplicas?: number } | undefined;
      return (status?.availableReplicas ?? 0) !== replicas;
    });
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  while (unavailable().length > 0) {
    if (Date.now() > deadline)
      throw new Error(
        `never available: ${unavailable()
          .map((a) => `${a.namespace}/${a.app}`)
          .join(', ')}`,
      );
    await new Promise((r) => setTimeout(r, 50));
  }
}
