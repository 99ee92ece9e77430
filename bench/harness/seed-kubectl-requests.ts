/**
 * The seed procedure's kubectl steps 2, 3b and 4b, run with the stock kubectl against the
 * simulator, so their API requests can be counted the same way as sgops' (discovery not counted).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { stringify as toYaml } from 'yaml';

const run = promisify(execFile);
const namespace = 'seed-namespace';

const policy = {
  apiVersion: 'vpcresources.tke.cloud.tencent.com/v1beta1',
  kind: 'SecurityGroupPolicy',
  metadata: { name: 'my-security-group-policy', namespace },
  spec: { podSelector: { matchLabels: { app: 'seed-app' } }, securityGroups: { groupIds: ['sg-seed0001'] } },
};

const application = [
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'my-deployment', namespace, labels: { app: 'seed-app' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'seed-app' } },
      template: {
        metadata: { labels: { app: 'seed-app' } },
        spec: {
          terminationGracePeriodSeconds: 120,
          containers: [{ name: 'nginx', image: 'nginx:latest', ports: [{ containerPort: 80 }] }],
          nodeSelector: { 'node.kubernetes.io/instance-type': 'eklet' },
          tolerations: [{ effect: 'NoSchedule', key: 'eks.tke.cloud.tencent.com/eklet', operator: 'Exists' }],
        },
      },
    },
  },
  {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'seed-app', namespace, labels: { app: 'seed-app' } },
    spec: { selector: { app: 'seed-app' }, ports: [{ protocol: 'TCP', port: 80, targetPort: 80 }] },
  },
];

/** Runs the three kubectl commands; `count` reads the simulator's request total. Null when kubectl is missing. */
export async function seedKubectlRequests(
  kubeUrl: string,
  count: () => Promise<number>,
): Promise<{ commands: number; requests: number } | null> {
  const dir = await mkdtemp(path.join(tmpdir(), 'sgops-bench-kubectl-'));
  try {
    const kubeconfig = path.join(dir, 'kubeconfig');
    await writeFile(
      kubeconfig,
      toYaml({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'sim', cluster: { server: kubeUrl } }],
        users: [{ name: 'bench', user: {} }],
        contexts: [{ name: 'sim', context: { cluster: 'sim', user: 'bench' } }],
        'current-context': 'sim',
      }),
    );
    await writeFile(path.join(dir, 'policy.yaml'), toYaml(policy));
    await writeFile(path.join(dir, 'app.yaml'), application.map((d) => toYaml(d)).join('---\n'));
    const kubectl = (...args: string[]) =>
      run('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', path.join(dir, 'cache'), ...args], {
        timeout: 20_000,
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir },
      });
    try {
      await run('kubectl', ['version', '--client'], { timeout: 10_000 });
    } catch {
      return null;
    }
    const before = await count();
    await kubectl('create', 'namespace', namespace);
    await kubectl('apply', '-f', path.join(dir, 'policy.yaml'));
    await kubectl('apply', '-f', path.join(dir, 'app.yaml'));
    return { commands: 3, requests: (await count()) - before };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
