import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createKubernetesSimulator,
  type KubernetesSimulator,
} from '../../../../adapters/kubernetes/simulator/create-kubernetes-simulator.ts';
import { securityGroupPolicyCrd } from '../../../../adapters/kubernetes/simulator/security-group-policy-crd.ts';

function client(url: string) {
  const config = new k8s.KubeConfig();
  config.loadFromOptions({
    clusters: [{ name: 'sim', server: url, skipTLSVerify: true }],
    users: [{ name: 'u' }],
    contexts: [{ name: 'c', cluster: 'sim', user: 'u' }],
    currentContext: 'c',
  });
  return config.makeApiClient(k8s.CoreV1Api);
}

describe('a simulator kept in a state directory', () => {
  const dirs: string[] = [];
  const running: KubernetesSimulator[] = [];
  afterEach(async () => {
    for (const s of running.splice(0)) await s.stop();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const newDir = () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sgops-simulator-'));
    dirs.push(dir);
    return dir;
  };
  const open = async (stateDir: string) => {
    const simulator = createKubernetesSimulator({ stateDir, podStartLatencyMs: 5 });
    running.push(simulator);
    const { url } = await simulator.start();
    return { simulator, core: client(url) };
  };

  it('resumes the same objects and resourceVersions after a restart', async () => {
    const dir = newDir();
    const first = await open(dir);
    expect(first.simulator.restored).toBe(false);
    await first.core.createNamespace({ body: { metadata: { name: 'team' } } });
    const made = await first.core.createNamespacedConfigMap({
      namespace: 'team',
      body: { metadata: { name: 'settings' }, data: { colour: 'green' } },
    });
    await first.core.deleteNamespacedConfigMap({ name: 'settings', namespace: 'team' }).catch(() => {});
    await first.core.createNamespacedConfigMap({
      namespace: 'team',
      body: { metadata: { name: 'settings' }, data: { colour: 'blue' } },
    });
    const before = first.simulator.state();
    running.splice(0);
    await first.simulator.stop();

    const second = await open(dir);
    expect(second.simulator.restored).toBe(true);
    expect(second.simulator.state()).toEqual(before);
    const read = await second.core.readNamespacedConfigMap({ name: 'settings', namespace: 'team' });
    expect(read.data).toEqual({ colour: 'blue' });
    expect(Number(read.metadata?.resourceVersion)).toBeGreaterThan(Number(made.metadata?.resourceVersion));
    // The next write carries on from the last resourceVersion, never below it.
    const next = await second.core.createNamespacedConfigMap({
      namespace: 'team',
      body: { metadata: { name: 'more' } },
    });
    expect(Number(next.metadata?.resourceVersion)).toBe(before.resourceVersion + 1);
  });

  it('keeps every change made before a hard stop, from the journal alone', async () => {
    const dir = newDir();
    const first = await open(dir);
    await first.core.createNamespace({ body: { metadata: { name: 'hard' } } });
    const journal = readFileSync(path.join(dir, 'kubernetes-changes.jsonl'), 'utf8');
    expect(journal).toContain('"name":"hard"');
    // kill -9 leaves no snapshot behind and maybe half a line: open a second simulator without stopping the first.
    appendFileSync(path.join(dir, 'kubernetes-changes.jsonl'), '{"type":"ADDED","plural":"namesp');
    const second = createKubernetesSimulator({ stateDir: dir });
    running.push(second);
    expect(second.get('namespaces', undefined, 'hard')).toBeDefined();
    expect(second.state().resourceVersion).toBe(first.simulator.state().resourceVersion);
  });

  it('does not add its built-in namespaces and CRD twice to a restored world', async () => {
    const dir = newDir();
    const first = await open(dir);
    first.simulator.delete('namespaces', undefined, 'kube-public');
    await first.simulator.stop();
    running.splice(0);
    const second = await open(dir);
    expect(second.simulator.get('namespaces', undefined, 'kube-public')).toBeUndefined();
    expect(
      second.simulator.get('customresourcedefinitions', undefined, securityGroupPolicyCrd().metadata.name),
    ).toBeDefined();
  });
});
