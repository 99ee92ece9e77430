/**
 * The kubeconfig the sandbox writes for its simulated cluster: an HTTPS server and the sandbox
 * CA that signed its certificate, as TKE's own kubeconfigs name theirs, so every client (kubectl,
 * client-node, the Python client, `sgops start`) reads it unchanged. The user is a bearer token
 * the simulator insists on: kubectl asks for a password when a kubeconfig names no credential.
 */
export function sandboxKubeconfig(server: string, caCert: string, token: string): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: sgops-sandbox',
    '  cluster:',
    `    server: ${server}`,
    `    certificate-authority-data: ${Buffer.from(caCert).toString('base64')}`,
    'users:',
    '- name: sandbox-user',
    '  user:',
    `    token: ${token}`,
    'contexts:',
    '- name: sgops-sandbox',
    '  context:',
    '    cluster: sgops-sandbox',
    '    user: sandbox-user',
    '    namespace: my-namespace',
    'current-context: sgops-sandbox',
    '',
  ].join('\n');
}
