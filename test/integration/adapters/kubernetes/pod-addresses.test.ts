import { afterEach, describe, expect, it } from 'vitest';
import type { KubernetesSimulator } from '../../../../adapters/kubernetes/simulator/create-kubernetes-simulator.ts';
import { createKubernetesSimulator } from '../../../../adapters/kubernetes/simulator/create-kubernetes-simulator.ts';
import { seedSampleWorld } from '../../../../adapters/kubernetes/simulator/seed-sample-world.ts';
import { superNodeLabel, superNodeTaintKey } from '../../../../src/ports/cluster.ts';

const ns = 'churn';

async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** The kubelet's pod addresses: once the super nodes' range wraps, a live pod's address is skipped. */
describe('pod addresses in the simulator', () => {
  let sim: KubernetesSimulator;
  afterEach(() => sim.stop());

  it('never gives a pod an address a running pod still holds, after more than 250 pods came and went', async () => {
    sim = createKubernetesSimulator({ podStartLatencyMs: 0 });
    await sim.start();
    await seedSampleWorld(sim);
    sim.create('namespaces', undefined, { metadata: { name: ns } });
    const pod = (name: string) => ({
      metadata: { name },
      spec: {
        containers: [{ name: 'web', image: 'nginx:1.25' }],
        nodeSelector: { [superNodeLabel.key]: superNodeLabel.value },
        tolerations: [{ effect: 'NoSchedule', key: superNodeTaintKey, operator: 'Exists' }],
      },
    });
    const running = (name: string) => sim.get('pods', ns, name)?.status?.phase === 'Running';
    sim.create('pods', ns, pod('stays'));
    await until(() => running('stays'));
    for (let i = 0; i < 260; i += 1) {
      sim.create('pods', ns, pod(`brief-${i}`));
      await until(() => running(`brief-${i}`));
      const held = sim
        .list('pods')
        .filter((p) => p.status?.phase === 'Running')
        .map((p) => String(p.status.podIP));
      expect(new Set(held).size, `after brief-${i}`).toBe(held.length);
      sim.delete('pods', ns, `brief-${i}`);
    }
  }, 30_000);
});
