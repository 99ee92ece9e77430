/**
 * The policy watch through a dropped connection, as an API server restart drops it: resumed from
 * the last resourceVersion seen (nothing missed, nothing told twice, no list), or — when the server
 * no longer keeps the changes since then (410 Gone) — listed again, with what changed meanwhile
 * told, a deletion included. A watch the API refuses fails with the error the caller can judge.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createKubernetesCluster } from '../../../../adapters/kubernetes/create-kubernetes-cluster.ts';
import { kubeConfigFor } from '../../../../adapters/kubernetes/kube-config-for.ts';
import type { KubernetesSimulator } from '../../../../adapters/kubernetes/simulator/create-kubernetes-simulator.ts';
import { createKubernetesSimulator } from '../../../../adapters/kubernetes/simulator/create-kubernetes-simulator.ts';
import type { Cluster } from '../../../../src/ports/cluster.ts';

const ns = 'default';

describe('the SecurityGroupPolicy watch of the Kubernetes adapter', () => {
  let sim: KubernetesSimulator;
  const stop = new Set<AbortController>();

  const boot = async (options: Parameters<typeof createKubernetesSimulator>[0] = {}) => {
    sim = createKubernetesSimulator(options);
    const { url } = await sim.start();
    return createKubernetesCluster({ kubeConfig: kubeConfigFor({ server: url }) });
  };
  const create = (cluster: Cluster, name: string) =>
    cluster.createSecurityGroupPolicy({ name, namespace: ns, podSelector: {}, groupIds: ['sg-abcd1234'] });
  const watch = (cluster: Cluster) => {
    const heard: string[] = [];
    const controller = new AbortController();
    stop.add(controller);
    const done = cluster.watchSecurityGroupPolicies(
      (c) => heard.push(`${c.type} ${c.name}`),
      controller.signal,
    );
    return { heard, done, stop: () => controller.abort() };
  };

  afterEach(async () => {
    for (const controller of stop) controller.abort();
    stop.clear();
    await sim.stop();
  });

  it('resumes from the last resourceVersion when the server ends the watch: nothing missed, nothing twice, no list', async () => {
    const cluster = await boot();
    await create(cluster, 'before');
    const w = watch(cluster);
    await expect.poll(() => w.heard).toEqual(['ADDED before']);
    sim.resetCalls();
    expect(sim.closeWatches()).toBe(1);
    await create(cluster, 'during');
    await cluster.deleteSecurityGroupPolicy(ns, 'before');
    await expect.poll(() => w.heard).toEqual(['ADDED before', 'ADDED during', 'DELETED before']);
    expect(sim.calls()['watch securitygrouppolicies']).toBe(1);
    expect(sim.calls()['list securitygrouppolicies']).toBeUndefined();
    w.stop();
    await w.done;
  });

  it('lists again after 410 Gone and tells what changed while it was away, the deleted policy too', async () => {
    const cluster = await boot({ watchHistoryLimit: 5 });
    await create(cluster, 'doomed');
    await create(cluster, 'kept');
    const w = watch(cluster);
    await expect.poll(() => w.heard.length).toBe(2);
    sim.resetCalls();
    sim.closeWatches();
    // More changes than the server keeps, before the watch is back (it pauses after a short watch).
    await cluster.deleteSecurityGroupPolicy(ns, 'doomed');
    for (let i = 0; i < 8; i += 1) await create(cluster, `new-${i}`);
    await expect.poll(() => w.heard.length).toBe(2 + 1 + 8);
    expect(w.heard.slice(2)).toEqual([
      'DELETED doomed',
      ...Array.from({ length: 8 }, (_, i) => `ADDED new-${i}`),
    ]);
    expect(sim.calls()['list securitygrouppolicies']).toBe(1);
    // Watching on from the list: a change after it is heard once.
    await cluster.deleteSecurityGroupPolicy(ns, 'kept');
    await expect.poll(() => w.heard.at(-1)).toBe('DELETED kept');
    expect(w.heard.filter((h) => h === 'DELETED kept')).toHaveLength(1);
    w.stop();
    await w.done;
  });

  it('fails with K8S_FORBIDDEN when the API refuses the watch, for the caller to retry later', async () => {
    sim = createKubernetesSimulator({ token: 'right' });
    const { url } = await sim.start();
    const cluster = createKubernetesCluster({ kubeConfig: kubeConfigFor({ server: url, token: 'wrong' }) });
    const w = watch(cluster);
    await expect(w.done).rejects.toMatchObject({ code: 'K8S_FORBIDDEN' });
  });
});
