import type { KubeObject } from './kube-object.ts';

/** The seed procedure's `sample-application.yaml` (step 4a), verbatim. */
export function sampleApplication(namespace = 'my-namespace'): {
  deployment: KubeObject;
  service: KubeObject;
} {
  return {
    deployment: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'my-deployment', namespace, labels: { app: 'my-app' } },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'my-app' } },
        template: {
          metadata: { labels: { app: 'my-app' } },
          spec: {
            terminationGracePeriodSeconds: 120,
            containers: [{ name: 'nginx', image: 'nginx:latest', ports: [{ containerPort: 80 }] }],
            nodeSelector: { 'node.kubernetes.io/instance-type': 'eklet' },
            tolerations: [
              { effect: 'NoSchedule', key: 'eks.tke.cloud.tencent.com/eklet', operator: 'Exists' },
            ],
          },
        },
      },
    },
    service: {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'my-app', namespace, labels: { app: 'my-app' } },
      spec: { selector: { app: 'my-app' }, ports: [{ protocol: 'TCP', port: 80, targetPort: 80 }] },
    },
  };
}

/** The seed procedure's `my-security-group-policy.yaml` (step 3a) for one group id. */
export function sampleSecurityGroupPolicy(groupId: string, namespace = 'my-namespace'): KubeObject {
  return {
    apiVersion: 'vpcresources.tke.cloud.tencent.com/v1beta1',
    kind: 'SecurityGroupPolicy',
    metadata: { name: 'my-security-group-policy', namespace },
    spec: { podSelector: { matchLabels: { app: 'my-app' } }, securityGroups: { groupIds: [groupId] } },
  };
}
