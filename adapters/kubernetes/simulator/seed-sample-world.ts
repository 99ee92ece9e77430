import { superNodeLabel, superNodeTaintKey } from '../../../src/ports/cluster.ts';
import type { KubernetesSimulator } from './create-kubernetes-simulator.ts';
import type { KubeObject } from './kube-object.ts';
import { sampleApplication } from './sample-application.ts';
import { waitForRollout } from './wait-for-rollout.ts';

export interface SeedSampleWorldOptions {
  /** Replicas of `legacy-app` (default 1). */
  legacyReplicas?: number;
  zoneName?: string;
  subnetId?: string;
  /** Wait until every seeded deployment is rolled out (default true). */
  waitForRollout?: boolean;
}

export const superNodeNames = ['eklet-subnet-q21rasu6-8bpgyx9r', 'eklet-subnet-q21rasu6-2kd9xw1m'] as const;
export const normalNodeName = '10.0.0.1';

function node(
  name: string,
  labels: Record<string, string>,
  taints: unknown[],
  internalIp: string,
  superNode: boolean,
): KubeObject {
  return {
    metadata: {
      name,
      labels: {
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        ...labels,
      },
    },
    spec: { taints, ...(superNode ? {} : { podCIDR: '10.0.0.0/24' }) },
    status: {
      conditions: [
        { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' },
      ],
      addresses: [
        { type: 'InternalIP', address: internalIp },
        { type: 'Hostname', address: name },
      ],
      capacity: {
        cpu: superNode ? '8' : '4',
        memory: superNode ? '32Gi' : '8008812Ki',
        pods: superNode ? '200' : '61',
      },
      allocatable: {
        cpu: superNode ? '8' : '3920m',
        memory: superNode ? '32Gi' : '6805356Ki',
        pods: superNode ? '200' : '61',
      },
      nodeInfo: {
        kubeletVersion: superNode ? 'v1.30.0-eks.1' : 'v1.30.0-tke.1',
        kubeProxyVersion: '',
        osImage: superNode ? 'eklet' : 'TencentOS Server 3.1 (Final)',
        kernelVersion: superNode ? '' : '5.4.119-19.0009.44',
        containerRuntimeVersion: superNode ? 'eklet://2.0' : 'containerd://1.6.9-tke.8',
        operatingSystem: 'linux',
        architecture: 'amd64',
        machineID: '',
        systemUUID: '',
        bootID: '',
      },
    },
  };
}

function deployment(
  namespace: string,
  name: string,
  labels: Record<string, string>,
  replicas: number,
  image: string,
): KubeObject {
  return {
    metadata: { name, namespace, labels },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: name.replace(/-.*$/, ''), image }] } },
    },
  };
}

function ensureNamespace(sim: KubernetesSimulator, name: string): void {
  if (sim.get('namespaces', undefined, name) === undefined)
    sim.create('namespaces', undefined, { metadata: { name } });
}

/**
 * The seed procedure's world: two super nodes and one normal node, CoreDNS in kube-system,
 * and in `my-namespace` the sample application plus `legacy-app` (which lands on the normal node).
 */
export async function seedSampleWorld(
  sim: KubernetesSimulator,
  options: SeedSampleWorldOptions = {},
): Promise<void> {
  const zone = options.zoneName ?? 'ap-guangzhou-3';
  const subnet = options.subnetId ?? 'subnet-q21rasu6';
  superNodeNames.forEach((name, index) => {
    const labels = {
      [superNodeLabel.key]: superNodeLabel.value,
      'eks.tke.cloud.tencent.com/subnet-id': subnet,
      'eks.tke.cloud.tencent.com/zone-name': zone,
      'topology.kubernetes.io/zone': zone,
      type: 'virtual-kubelet',
    };
    const taints = [{ key: superNodeTaintKey, value: 'true', effect: 'NoSchedule' }];
    sim.create('nodes', undefined, node(name, labels, taints, `10.0.64.${250 - index}`, true));
  });
  sim.create(
    'nodes',
    undefined,
    node(
      normalNodeName,
      { 'node.kubernetes.io/instance-type': 'S5.MEDIUM4', 'topology.kubernetes.io/zone': zone },
      [],
      normalNodeName,
      false,
    ),
  );

  ensureNamespace(sim, 'kube-system');
  sim.create(
    'deployments',
    'kube-system',
    deployment(
      'kube-system',
      'coredns',
      { 'k8s-app': 'kube-dns' },
      2,
      'ccr.ccs.tencentyun.com/tkeimages/coredns:1.11.1',
    ),
  );
  sim.create('services', 'kube-system', {
    metadata: { name: 'kube-dns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } },
    spec: {
      selector: { 'k8s-app': 'kube-dns' },
      ports: [
        { name: 'dns', protocol: 'UDP', port: 53, targetPort: 53 },
        { name: 'dns-tcp', protocol: 'TCP', port: 53, targetPort: 53 },
      ],
    },
  });

  ensureNamespace(sim, 'my-namespace');
  const app = sampleApplication('my-namespace');
  sim.create('deployments', 'my-namespace', app.deployment);
  sim.create('services', 'my-namespace', app.service);
  sim.create(
    'deployments',
    'my-namespace',
    deployment(
      'my-namespace',
      'legacy-app',
      { app: 'legacy-app' },
      options.legacyReplicas ?? 1,
      'nginx:1.25',
    ),
  );
  if (options.waitForRollout ?? true) {
    await waitForRollout(sim, 'kube-system', 'coredns');
    await waitForRollout(sim, 'my-namespace', 'my-deployment');
    await waitForRollout(sim, 'my-namespace', 'legacy-app');
  }
}
