/** A Deployment pinned to super nodes (the seed's nodeSelector and toleration), with the rollout knobs tests need. */
import type { KubeObject } from '../../adapters/kubernetes/simulator/kube-object.ts';

export function superNodeDeployment(options: {
  app: string;
  namespace?: string;
  replicas: number;
  maxSurge?: string | number;
  maxUnavailable?: string | number;
  progressDeadlineSeconds?: number;
}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: options.app,
      namespace: options.namespace ?? 'my-namespace',
      labels: { app: options.app },
    },
    spec: {
      replicas: options.replicas,
      ...(options.progressDeadlineSeconds
        ? { progressDeadlineSeconds: options.progressDeadlineSeconds }
        : {}),
      strategy: {
        type: 'RollingUpdate',
        rollingUpdate: {
          maxSurge: options.maxSurge ?? '25%',
          maxUnavailable: options.maxUnavailable ?? '25%',
        },
      },
      selector: { matchLabels: { app: options.app } },
      template: {
        metadata: { labels: { app: options.app } },
        spec: {
          containers: [{ name: 'web', image: 'nginx:latest', ports: [{ containerPort: 80 }] }],
          nodeSelector: { 'node.kubernetes.io/instance-type': 'eklet' },
          tolerations: [{ effect: 'NoSchedule', key: 'eks.tke.cloud.tencent.com/eklet', operator: 'Exists' }],
        },
      },
    },
  };
}
