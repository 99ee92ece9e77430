import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubernetesSimulator } from '../../../adapters/kubernetes/simulator/create-kubernetes-simulator.ts';
import { createKubernetesSimulator } from '../../../adapters/kubernetes/simulator/create-kubernetes-simulator.ts';
import { repoRoot, yamlDocuments } from '../../unit/deploy/deploy-files.ts';
import type { Manifest } from '../../unit/deploy/deploy-files.ts';

const run = promisify(execFile);

async function hasKubectl(): Promise<boolean> {
  try {
    await run('kubectl', ['version', '--client']);
    return true;
  } catch {
    return false;
  }
}

interface PodSpec {
  serviceAccountName: string;
  containers: { name: string; args?: string[]; env?: { name: string }[] }[];
  volumes: { name: string; configMap?: { name: string } }[];
}
const podSpecOf = (d: Manifest) =>
  (d as unknown as { spec: { template: { spec: PodSpec } } }).spec.template.spec;

// Skips only on a developer machine without kubectl; in CI a missing kubectl fails the suite.
describe.runIf((await hasKubectl()) || process.env['CI'] !== undefined)(
  'the kustomize manifests with kubectl',
  () => {
    let home: string;
    const env = () => ({ ...process.env, HOME: home, KUBECONFIG: join(home, 'config') });
    const kubectl = async (...args: string[]) =>
      (await run('kubectl', args, { env: env(), cwd: repoRoot, timeout: 60_000 })).stdout;
    const render = async (folder: string) => yamlDocuments(await kubectl('kustomize', folder)) as Manifest[];

    beforeAll(async () => {
      home = await mkdtemp(join(tmpdir(), 'sgops-kustomize-'));
    });
    afterAll(async () => {
      await rm(home, { recursive: true, force: true });
    });

    it('render the base into the sgops namespace, with the generated ConfigMap wired into the Deployment', async () => {
      const objects = await render('deploy/base');
      const kinds = objects.map((o) => o.kind).sort();
      expect(kinds).toEqual([
        'ClusterRole',
        'ClusterRoleBinding',
        'ConfigMap',
        'Deployment',
        'Namespace',
        'Service',
        'ServiceAccount',
      ]);
      for (const o of objects.filter(
        (o) => !['Namespace', 'ClusterRole', 'ClusterRoleBinding'].includes(o.kind),
      ))
        expect(o.metadata.namespace, o.kind).toBe('sgops');
      const configMap = objects.find((o) => o.kind === 'ConfigMap')!;
      expect(configMap.metadata.name).toMatch(/^sgops-config-[a-z0-9]+$/);
      expect((configMap as unknown as { data: Record<string, string> }).data['config.yaml']).toContain(
        'policy:',
      );
      const spec = podSpecOf(objects.find((o) => o.kind === 'Deployment')!);
      expect(spec.volumes).toContainEqual({ name: 'config', configMap: { name: configMap.metadata.name } });
      expect(
        (
          objects.find((o) => o.kind === 'Deployment') as unknown as {
            spec: { template: { spec: { containers: { image: string }[] } } };
          }
        ).spec.template.spec.containers[0]!.image,
      ).toBe('sgops:0.1.0');
    });

    it('render the sandbox overlay as one replica running `sandbox` beside a Redis, without Secret references', async () => {
      const objects = await render('deploy/overlays/sandbox');
      const deployment = objects.find((o) => o.kind === 'Deployment')!;
      expect((deployment as unknown as { spec: { replicas: number } }).spec.replicas).toBe(1);
      const spec = podSpecOf(deployment);
      expect(spec.containers.map((c) => c.name)).toEqual(['sgops', 'redis']);
      expect(spec.containers[0]!.args).toEqual(['sandbox', '--state-dir', '/data']);
      expect(JSON.stringify(deployment)).not.toContain('secretKeyRef');
      expect(spec.volumes.map((v) => v.name)).toEqual(
        expect.arrayContaining(['config', 'tmp', 'state', 'redis-data']),
      );
    });

    describe('applied to the Kubernetes simulator', () => {
      let sim: KubernetesSimulator;

      beforeAll(async () => {
        sim = createKubernetesSimulator({ podStartLatencyMs: 10 });
        const { url } = await sim.start();
        // No token: kubectl (client-go) does not send bearer tokens to a plain-http server.
        const config = [
          'apiVersion: v1',
          'kind: Config',
          `clusters: [{name: sim, cluster: {server: "${url}"}}]`,
          'users: [{name: u, user: {}}]',
          'contexts: [{name: sim, context: {cluster: sim, user: u}}]',
          'current-context: sim',
        ].join('\n');
        await writeFile(join(home, 'config'), config);
      });
      afterAll(async () => {
        await sim.stop();
      });

      it('accepts `kubectl apply -k deploy/overlays/sandbox` and stores every object', async () => {
        const out = await kubectl('apply', '-k', 'deploy/overlays/sandbox', '--server-side=false');
        expect(out).toMatch(/namespace\/sgops created/);
        expect(out).toMatch(/deployment\.apps\/sgops created/);
        expect(sim.get('namespaces', undefined, 'sgops')).toBeDefined();
        expect(sim.get('serviceaccounts', 'sgops', 'sgops')).toBeDefined();
        expect(sim.get('clusterroles', undefined, 'sgops')).toBeDefined();
        expect(sim.get('clusterrolebindings', undefined, 'sgops')).toBeDefined();
        expect(sim.get('services', 'sgops', 'sgops')).toBeDefined();
        expect(sim.list('configmaps', 'sgops').map((c) => c.metadata.name)).toEqual([
          expect.stringMatching(/^sgops-config-/),
        ]);
        const stored = sim.get('deployments', 'sgops', 'sgops') as unknown as Manifest;
        expect(podSpecOf(stored).containers[0]!.args).toEqual(['sandbox', '--state-dir', '/data']);
      });

      it('applies the same overlay again without changes', async () => {
        const out = await kubectl('apply', '-k', 'deploy/overlays/sandbox', '--server-side=false');
        expect(out).toMatch(/deployment\.apps\/sgops unchanged/);
        expect(out).not.toMatch(/configured|created/);
      });

      it('accepts the base too, replacing the sandbox Deployment with the real bot', async () => {
        const out = await kubectl('apply', '-k', 'deploy/base', '--server-side=false');
        expect(out).toMatch(/deployment\.apps\/sgops configured/);
        const stored = sim.get('deployments', 'sgops', 'sgops') as unknown as Manifest;
        expect(podSpecOf(stored).containers[0]!.args).toEqual(['start']);
      });
    });
  },
);
