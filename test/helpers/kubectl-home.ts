/**
 * A throwaway HOME holding a kubeconfig for one simulator and namespace, as the kubectl tests use
 * it: kubectl reads nothing of the machine's own configuration, and its cache stays in the test's.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function kubectlHome(server: string, namespace: string, prefix: string): Promise<string> {
  const home = await mkdtemp(join(tmpdir(), prefix));
  const config = [
    'apiVersion: v1',
    'kind: Config',
    `clusters: [{name: sim, cluster: {server: "${server}"}}]`,
    'users: [{name: u, user: {}}]',
    `contexts: [{name: sim, context: {cluster: sim, user: u, namespace: ${namespace}}}]`,
    'current-context: sim',
  ].join('\n');
  await writeFile(join(home, 'config'), config);
  return home;
}
