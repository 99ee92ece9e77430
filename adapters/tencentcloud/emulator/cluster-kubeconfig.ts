/** How a kubeconfig reaches its API server: a bearer token, or none (a plain-HTTP simulator). */
export type KubeconfigServer = { url: string; token: string } | { url: string; plainHttp: true };

/**
 * The kubeconfig DescribeClusterKubeconfig hands out for a cluster: one cluster, one user and one
 * context, named after the cluster as TKE names them.
 */
export function clusterKubeconfig(clusterId: string, server: KubeconfigServer): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: ${clusterId}`,
    '  cluster:',
    `    server: ${server.url}`,
    // A simulator speaks plain HTTP, which client-node allows only with this set.
    ...('plainHttp' in server ? ['    insecure-skip-tls-verify: true'] : []),
    'users:',
    `- name: ${clusterId}-admin`,
    ...('token' in server ? ['  user:', `    token: ${server.token}`] : ['  user: {}']),
    'contexts:',
    `- name: ${clusterId}-context-default`,
    '  context:',
    `    cluster: ${clusterId}`,
    `    user: ${clusterId}-admin`,
    `current-context: ${clusterId}-context-default`,
    '',
  ].join('\n');
}
