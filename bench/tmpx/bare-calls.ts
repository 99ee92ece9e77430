import { startStandIns } from '../harness/stand-ins.ts';
import { createTencentCloudNetwork } from '../../adapters/tencentcloud/create-tencent-cloud-network.ts';
import { createKubernetesCluster, kubeConfigFor } from '../../adapters/kubernetes/index.ts';
import { credentials } from '../../test/helpers/test-world.ts';
const s = await startStandIns({ cloudLatencyMs: 50, kubeLatencyMs: 50 });
const cloud = createTencentCloudNetwork({ ...credentials, region: 'ap-guangzhou', endpoint: s.cloudUrl });
const kube = createKubernetesCluster({ kubeConfig: kubeConfigFor({ server: s.kubeUrl }) });
for (let round = 0; round < 3; round++) {
  let t = performance.now();
  for (let i = 0; i < 10; i++) await cloud.describeClusters(['cls-sandbox1']);
  const c = (performance.now() - t) / 10;
  t = performance.now();
  for (let i = 0; i < 10; i++) await kube.getNamespace('my-namespace').catch(() => null);
  const k = (performance.now() - t) / 10;
  console.log(`cloud ${c.toFixed(1)} ms/call, kube ${k.toFixed(1)} ms/call`);
}
await s.stop();
process.exit(0);
