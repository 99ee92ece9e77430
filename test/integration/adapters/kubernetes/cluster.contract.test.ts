import { describe } from 'vitest';
import { createKubernetesCluster } from '../../../../adapters/kubernetes/create-kubernetes-cluster.ts';
import { kubeConfigFor } from '../../../../adapters/kubernetes/kube-config-for.ts';
import { createKubernetesSimulator } from '../../../../adapters/kubernetes/simulator/create-kubernetes-simulator.ts';
import { seedSampleWorld } from '../../../../adapters/kubernetes/simulator/seed-sample-world.ts';
import { clusterContract } from '../../../contracts/cluster.contract.ts';

describe('the Kubernetes adapter against the simulator', () => {
  clusterContract(async () => {
    const sim = createKubernetesSimulator({ podStartLatencyMs: 5, token: 'contract-token' });
    const { url } = await sim.start();
    await seedSampleWorld(sim);
    const cluster = createKubernetesCluster({
      kubeConfig: kubeConfigFor({ server: url, token: 'contract-token' }),
    });
    return { cluster, teardown: () => sim.stop() };
  });
});
