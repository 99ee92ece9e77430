export { createKubernetesCluster } from './create-kubernetes-cluster.ts';
export type { KubernetesClusterOptions } from './create-kubernetes-cluster.ts';
export { kubeConfigFor } from './kube-config-for.ts';
export { mapKubernetesError } from './map-kubernetes-error.ts';
