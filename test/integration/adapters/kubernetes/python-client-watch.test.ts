/**
 * Debian's python3-kubernetes against the simulator: a watch on a namespace's pods sees a
 * rollout's new pods come (ADDED) and get Ready (MODIFIED), and the old ones go. The Python
 * client sends `watch=True`, which the simulator once answered with a plain list.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubernetesSimulator } from '../../../../adapters/kubernetes/simulator/create-kubernetes-simulator.ts';
import { createKubernetesSimulator } from '../../../../adapters/kubernetes/simulator/create-kubernetes-simulator.ts';
import { seedSampleWorld } from '../../../../adapters/kubernetes/simulator/seed-sample-world.ts';
import { waitForRollout } from '../../../../adapters/kubernetes/simulator/wait-for-rollout.ts';

const script = join(import.meta.dirname, '../../../fixtures/kubernetes/watch-pods.py');
const ns = 'python-watch';
// Debian's python3, which python3-kubernetes installs into; a pyenv python3 first on PATH would not see it.
const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

/** Why the Python client cannot run here, or undefined when it can. */
async function pythonClientMissing(): Promise<string | undefined> {
  try {
    await promisify(execFile)(python, ['-c', 'import kubernetes']);
    return undefined;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? String(error);
    return stderr.trim().split('\n').pop() ?? `${python} failed`;
  }
}

const missing = await pythonClientMissing();

// Skips only on a developer machine without python3-kubernetes; in CI a missing client fails.
describe.skipIf(missing !== undefined && !process.env['CI'])(
  missing === undefined
    ? 'python3-kubernetes watching pods through a rollout'
    : `python3-kubernetes watching pods through a rollout (skipped: ${python} cannot import kubernetes — ${missing}; apt-get install python3-kubernetes)`,
  () => {
    let sim: KubernetesSimulator;
    let url: string;

    beforeAll(async () => {
      sim = createKubernetesSimulator({ podStartLatencyMs: 20 });
      ({ url } = await sim.start());
      await seedSampleWorld(sim); // the nodes the pods run on
      sim.create('namespaces', undefined, { metadata: { name: ns } });
      sim.create('deployments', ns, {
        metadata: { name: 'web' },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: 'web' } },
          template: {
            metadata: { labels: { app: 'web' } },
            spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] },
          },
        },
      });
      await waitForRollout(sim, ns, 'web');
    });
    afterAll(() => sim.stop());

    it('sees the new pods ADDED and then MODIFIED to Ready, and the old ones DELETED', async () => {
      const before = new Set(sim.list('pods', ns).map((p) => p.metadata.name));
      expect(before.size).toBe(2);
      const child = spawn(python, [script, url, ns, '30'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
      const events: { type: string; name: string; ready: boolean }[] = [];
      const seen = (want: (e: (typeof events)[number]) => boolean) =>
        new Promise<void>((resolve, reject) => {
          const check = () => {
            if (events.some(want)) resolve();
          };
          lines.on('line', check);
          void exited.then((code) => reject(new Error(`the watch ended (${code}) early: ${stderr}`)));
          check();
        });
      const lines = createInterface({ input: child.stdout });
      lines.on('line', (line) => {
        const [type = '', name = '', , ready] = line.split(' ');
        events.push({ type, name, ready: ready === 'True' });
      });
      try {
        // The watch starts with the current pods, as ADDED events.
        await seen(() => events.filter((e) => e.type === 'ADDED' && before.has(e.name)).length === 2);

        sim.patch('deployments', ns, 'web', {
          spec: { template: { metadata: { annotations: { 'rollout/at': new Date().toISOString() } } } },
        });
        await waitForRollout(sim, ns, 'web');
        const after = sim.list('pods', ns).map((p) => p.metadata.name);
        expect(after.filter((n) => before.has(n))).toEqual([]);
        for (const name of after) {
          await seen((e) => e.type === 'MODIFIED' && e.name === name && e.ready);
        }
        for (const name of before) await seen((e) => e.type === 'DELETED' && e.name === name);

        for (const name of after) {
          const own = events.filter((e) => e.name === name);
          expect(own[0]).toMatchObject({ type: 'ADDED', ready: false });
        }
      } finally {
        child.kill();
        await exited;
      }
    });
  },
);
