/**
 * The cost of one call on this box without sgops' engine around it: the same adapters sgops uses
 * (the Tencent Cloud SDK, client-node over a kept-alive connection), against the same stand-ins,
 * made one after another, with nothing audited or stored. What a call costs over the stand-ins'
 * added latency here is HTTP, signing and the stand-ins' own work: not sgops'.
 */
import { createTencentCloudNetwork } from '../../adapters/tencentcloud/create-tencent-cloud-network.ts';
import { createKubernetesCluster, kubeConfigFor } from '../../adapters/kubernetes/index.ts';
import { clusterId, credentials } from '../../test/helpers/test-world.ts';
import type { StandIns } from './stand-ins.ts';

const samples = 20;

export async function bareCallMs(
  standIns: Pick<StandIns, 'cloudUrl' | 'kubeUrl'>,
): Promise<{ cloudMs: number; kubeMs: number; samples: number }> {
  const cloud = createTencentCloudNetwork({
    ...credentials,
    region: 'ap-guangzhou',
    endpoint: standIns.cloudUrl,
  });
  const kube = createKubernetesCluster({ kubeConfig: kubeConfigFor({ server: standIns.kubeUrl }) });
  const timed = async (call: () => Promise<unknown>) => {
    await call(); // warm: connection, JIT
    const started = performance.now();
    for (let i = 0; i < samples; i++) await call();
    return (performance.now() - started) / samples;
  };
  const cloudMs = await timed(() => cloud.describeClusters([clusterId]));
  const kubeMs = await timed(() => kube.getNamespace('my-namespace'));
  return { cloudMs, kubeMs, samples };
}
