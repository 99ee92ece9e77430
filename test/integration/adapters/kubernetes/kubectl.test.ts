import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubernetesSimulator } from '../../../../adapters/kubernetes/simulator/create-kubernetes-simulator.ts';
import { createKubernetesSimulator } from '../../../../adapters/kubernetes/simulator/create-kubernetes-simulator.ts';
import { seedSampleWorld } from '../../../../adapters/kubernetes/simulator/seed-sample-world.ts';

const run = promisify(execFile);
const fixtures = join(import.meta.dirname, '../../../fixtures/kubernetes');

async function hasKubectl(): Promise<boolean> {
  try {
    await run('kubectl', ['version', '--client']);
    return true;
  } catch {
    return false;
  }
}

describe.runIf(await hasKubectl())('stock kubectl against the simulator', () => {
  let sim: KubernetesSimulator;
  let home: string;
  const kubectl = async (...args: string[]) =>
    (
      await run('kubectl', args, {
        env: { ...process.env, HOME: home, KUBECONFIG: join(home, 'config') },
        timeout: 30_000,
      })
    ).stdout;

  beforeAll(async () => {
    // No token: kubectl (client-go) does not send bearer tokens to a plain-http server.
    sim = createKubernetesSimulator({ podStartLatencyMs: 10 });
    const { url } = await sim.start();
    await seedSampleWorld(sim);
    home = await mkdtemp(join(tmpdir(), 'sgops-kubectl-'));
    const config = [
      'apiVersion: v1',
      'kind: Config',
      `clusters: [{name: sim, cluster: {server: "${url}"}}]`,
      'users: [{name: u, user: {}}]',
      'contexts: [{name: sim, context: {cluster: sim, user: u, namespace: my-namespace}}]',
      'current-context: sim',
    ].join('\n');
    await writeFile(join(home, 'config'), config);
  });
  afterAll(async () => {
    await sim.stop();
    await rm(home, { recursive: true, force: true });
  });

  it('lists the nodes as a table', async () => {
    const out = await kubectl('get', 'nodes');
    expect(out.split('\n')[0]).toMatch(/^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION$/);
    expect(out).toMatch(/eklet-subnet-q21rasu6-8bpgyx9r\s+Ready/);
    expect(out).toMatch(/10\.0\.0\.1\s+Ready/);
  });

  it('lists pods wide with their IPs and nodes', async () => {
    const out = await kubectl('get', 'pods', '-n', 'my-namespace', '-o', 'wide');
    expect(out.split('\n')[0]).toMatch(
      /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES$/,
    );
    expect(out).toMatch(
      /my-deployment-\S+\s+1\/1\s+Running\s+0\s+\S+\s+10\.0\.64\.\d+\s+eklet-subnet-q21rasu6-\w+\s+<none>\s+<none>/,
    );
  });

  it('applies the seed policy, restarts the deployment and waits for the rollout', async () => {
    expect(await kubectl('apply', '-f', join(fixtures, 'my-security-group-policy.yaml'))).toContain(
      'securitygrouppolicy.vpcresources.tke.cloud.tencent.com/my-security-group-policy created',
    );
    expect(await kubectl('apply', '-f', join(fixtures, 'sample-application.yaml'))).toContain(
      'deployment.apps/my-deployment',
    );
    expect(await kubectl('rollout', 'restart', 'deployment/my-deployment', '-n', 'my-namespace')).toContain(
      'restarted',
    );
    expect(
      await kubectl('rollout', 'status', 'deployment/my-deployment', '-n', 'my-namespace', '--timeout=20s'),
    ).toContain('successfully rolled out');
    const annotations = await kubectl(
      'get',
      'pods',
      '-n',
      'my-namespace',
      '-l',
      'app=my-app',
      '-o',
      'jsonpath={range .items[*]}{.metadata.annotations.eks\\.tke\\.cloud\\.tencent\\.com/security-group-id}{"\\n"}{end}',
    );
    expect(annotations.trim().split('\n')).toEqual(['sg-a1b2c3d4', 'sg-a1b2c3d4']);
  });
});
