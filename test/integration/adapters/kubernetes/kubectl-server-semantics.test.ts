/**
 * The stock kubectl (and, where installed beside it, kubectl 1.27 and 1.33) against the
 * simulator, for what the API server decides rather than kubectl: server dry runs, server-side
 * apply, explain from the published OpenAPI, and pruning of a custom resource's unknown fields.
 */
import { execFile } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { kubectlHome } from '../../../helpers/kubectl-home.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubernetesSimulator } from '../../../../adapters/kubernetes/simulator/create-kubernetes-simulator.ts';
import { createKubernetesSimulator } from '../../../../adapters/kubernetes/simulator/create-kubernetes-simulator.ts';

const run = promisify(execFile);
const ns = 'kubectl-semantics';

async function kubectlPath(): Promise<string | undefined> {
  try {
    return (await run('sh', ['-c', 'command -v kubectl'])).stdout.trim() || undefined;
  } catch {
    return undefined;
  }
}

const stock = await kubectlPath();
/** Other kubectl minor versions installed beside the stock one (the Cloud SDK ships kubectl.1.27 …). */
const otherVersions =
  stock === undefined
    ? []
    : ['1.27', '1.33']
        .map((v) => join(dirname(realpathSync(stock)), `kubectl.${v}`))
        .filter((path) => existsSync(path));

function policyYaml(name: string, extraSpec: string[] = []): string {
  return [
    'apiVersion: vpcresources.tke.cloud.tencent.com/v1beta1',
    'kind: SecurityGroupPolicy',
    `metadata: {name: ${name}, namespace: ${ns}}`,
    'spec:',
    '  podSelector: {matchLabels: {app: my-app}}',
    '  securityGroups: {groupIds: [sg-a1b2c3d4]}',
    ...extraSpec,
  ].join('\n');
}

// Skips only on a developer machine without kubectl; in CI a missing kubectl fails the suite.
describe.runIf(stock !== undefined || process.env['CI'] !== undefined)(
  'kubectl against what the simulator decides as an API server',
  () => {
    let sim: KubernetesSimulator;
    let home: string;
    const env = () => ({ ...process.env, HOME: home, KUBECONFIG: join(home, 'config') });
    const kubectlWith = async (binary: string, ...args: string[]) => {
      const { stdout, stderr } = await run(binary, args, { env: env(), timeout: 60_000 });
      return { stdout, stderr };
    };
    const kubectl = async (...args: string[]) => (await kubectlWith('kubectl', ...args)).stdout;
    const manifest = async (file: string, text: string) => {
      const path = join(home, file);
      await writeFile(path, text);
      return path;
    };

    beforeAll(async () => {
      sim = createKubernetesSimulator({ podStartLatencyMs: 10 });
      const { url } = await sim.start();
      home = await kubectlHome(url, ns, 'sgops-kubectl-semantics-');
      await kubectl('create', 'namespace', ns);
    });
    afterAll(async () => {
      await sim.stop();
      await rm(home, { recursive: true, force: true });
    });

    it('answers apply --dry-run=server as if created, and creates nothing', async () => {
      const before = sim.state().resourceVersion;
      const out = await kubectl(
        'apply',
        '--dry-run=server',
        '-f',
        await manifest('dry.yaml', policyYaml('dry')),
      );
      expect(out).toContain(
        'securitygrouppolicy.vpcresources.tke.cloud.tencent.com/dry created (server dry run)',
      );
      expect(sim.get('securitygrouppolicies', ns, 'dry')).toBeUndefined();
      expect(sim.state().resourceVersion).toBe(before);
    });

    it('creates a new SecurityGroupPolicy with apply --server-side, and applies it again unchanged', async () => {
      const path = await manifest('ssa.yaml', policyYaml('ssa'));
      expect(await kubectl('apply', '--server-side', '-f', path)).toContain(
        'securitygrouppolicy.vpcresources.tke.cloud.tencent.com/ssa serverside-applied',
      );
      expect(sim.get('securitygrouppolicies', ns, 'ssa')?.spec).toEqual({
        podSelector: { matchLabels: { app: 'my-app' } },
        securityGroups: { groupIds: ['sg-a1b2c3d4'] },
      });
      const rv = sim.get('securitygrouppolicies', ns, 'ssa')?.metadata.resourceVersion;
      await kubectl('apply', '--server-side', '-f', path);
      expect(sim.get('securitygrouppolicies', ns, 'ssa')?.metadata.resourceVersion).toBe(rv);
    });

    it("explains the SecurityGroupPolicy's fields, at the top and down its spec", async () => {
      const top = await kubectl('explain', 'securitygrouppolicy');
      expect(top).toContain('KIND:       SecurityGroupPolicy');
      expect(top).toMatch(/^ {2}spec\t<Object>$/m);
      expect(top).toMatch(/^ {2}metadata\t<ObjectMeta>$/m);
      const spec = await kubectl('explain', 'securitygrouppolicy.spec');
      expect(spec).toMatch(/^ {2}podSelector\t<Object>$/m);
      expect(spec).toMatch(/^ {2}securityGroups\t<Object>$/m);
      expect(spec).toMatch(/^ {2}serviceAccountSelector\t<Object>$/m);
      expect(await kubectl('explain', 'sgp.spec.securityGroups')).toMatch(/^ {2}groupIds\t<\[\]string>$/m);
    });

    it('prunes an unknown field when kubectl does not ask for strict validation, warning of it', async () => {
      const path = await manifest('typo.yaml', policyYaml('typo', ['  bogus: 1']));
      const { stderr } = await kubectlWith('kubectl', 'apply', '--validate=warn', '-f', path);
      expect(stderr).toContain('unknown field "spec.bogus"');
      expect(sim.get('securitygrouppolicies', ns, 'typo')?.spec).not.toHaveProperty('bogus');
    });

    it.each(otherVersions)('lets %s apply server-side and explain the policy too', async (binary) => {
      const name = `v${binary.replace(/\D/g, '')}`;
      const applied = await kubectlWith(
        binary,
        'apply',
        '--server-side',
        '-f',
        await manifest(`${name}.yaml`, policyYaml(name)),
      );
      expect(applied.stdout).toContain(
        `securitygrouppolicy.vpcresources.tke.cloud.tencent.com/${name} serverside-applied`,
      );
      expect(sim.get('securitygrouppolicies', ns, name)).toBeDefined();
      expect((await kubectlWith(binary, 'explain', 'securitygrouppolicy.spec')).stdout).toMatch(
        /^ {2}securityGroups\t<Object>$/m,
      );
    });
  },
);
