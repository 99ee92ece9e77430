import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as k8s from '@kubernetes/client-node';
import { kubeConfigFor } from '../../adapters/kubernetes/index.ts';
import { startTestWorld } from '../helpers/test-world.ts';
import type { TestWorld } from '../helpers/test-world.ts';
import { superNodeDeployment } from '../helpers/super-node-deployment.ts';

/** How recreatePods treats real workloads: without an outage, without waiting forever, and with a bounded number of requests. */
describe('recreating pods for a grant', () => {
  let world: TestWorld;

  beforeAll(async () => {
    world = await startTestWorld('grant-recreate', { workflow: { rolloutWaitMs: 15_000 } });
  });

  afterAll(async () => {
    await world?.stop();
  });

  async function grant(app: string) {
    const opened = await world.say('alice', `grant pod SG to app ${app} in my-namespace`);
    await world.waitFor('alice', (m) => m.requestId === opened.requestId && m.kind === 'plan', 30_000);
    await world.app.console.say('bob', `approve ${opened.requestId}`);
    const end = await world.waitFor(
      'alice',
      (m) => m.requestId === opened.requestId && (m.kind === 'result' || m.kind === 'error'),
      90_000,
    );
    return { requestId: opened.requestId!, end };
  }

  async function deploy(
    app: string,
    replicas: number,
    extra: Parameters<typeof superNodeDeployment>[0] = { app, replicas },
  ) {
    world.simulator.create('deployments', 'my-namespace', superNodeDeployment({ ...extra, app, replicas }));
    await world.simulator.settle();
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const d = world.simulator.get('deployments', 'my-namespace', app) as {
        status?: { availableReplicas?: number };
      };
      if ((d.status?.availableReplicas ?? 0) === replicas) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`deployment ${app} never became available`);
  }

  it('restarts 20 replicas with maxUnavailable 0 without ever dropping below 20 Ready, close to the theoretical minimum', async () => {
    const latencyMs = 200;
    world.simulator.configureKubelet({ startLatencyMs: latencyMs });
    await deploy('web', 20, { app: 'web', replicas: 20, maxSurge: '25%', maxUnavailable: 0 });

    // Watch Ready pods of app=web through client-node, the way a person would watch `kubectl get pods -w`.
    const ready = new Map<string, boolean>();
    let minimumReady = Number.POSITIVE_INFINITY;
    const watch = new k8s.Watch(kubeConfigFor({ server: world.kubeUrl }));
    const controller = await watch.watch(
      '/api/v1/namespaces/my-namespace/pods',
      { labelSelector: 'app=web' },
      (type: string, pod: k8s.V1Pod) => {
        const isReady =
          pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
        if (type === 'DELETED') ready.delete(pod.metadata!.name!);
        else ready.set(pod.metadata!.name!, isReady);
        const count = [...ready.values()].filter(Boolean).length;
        if (ready.size >= 20) minimumReady = Math.min(minimumReady, count);
      },
      () => {},
    );
    try {
      const { requestId, end } = await grant('web');
      expect(end.state).toBe('done');
      expect(minimumReady).toBeGreaterThanOrEqual(20);

      // Duration of recreatePods from the audit trail: from its first call to its last.
      const rows = (await world.app.store.listAudit({ requestId, limit: 10_000 })).filter(
        (r) => (r.details as { step?: string }).step === 'recreatePods',
      );
      const ms = rows.at(-1)!.at.getTime() - rows[0]!.at.getTime();
      const minimum = Math.ceil(20 / 5) * latencyMs; // maxSurge 25 % of 20 = 5 new pods per wave
      console.log(
        `recreatePods for 20 replicas: ${ms} ms, theoretical minimum ${minimum} ms (${(ms / minimum).toFixed(2)}×)`,
      );
      expect(ms).toBeLessThan(minimum * 5);
    } finally {
      controller.abort();
      world.simulator.configureKubelet({ startLatencyMs: 30 });
    }
  });

  it('stops with the stall reason when new pods never get Ready, and the old pods keep serving', async () => {
    await deploy('stuck', 2, {
      app: 'stuck',
      replicas: 2,
      maxSurge: 1,
      maxUnavailable: 0,
      progressDeadlineSeconds: 2,
    });
    world.simulator.configureKubelet({ neverReady: 'app=stuck' });
    try {
      const started = Date.now();
      const { end } = await grant('stuck');
      expect(end.state).toBe('failed');
      expect(end.text).toContain('Deployment stuck stopped progressing');
      expect(end.text).toContain('has timed out progressing');
      expect(Date.now() - started).toBeLessThan(30_000);
      const pods = await world.kube.core.listNamespacedPod({
        namespace: 'my-namespace',
        labelSelector: 'app=stuck',
      });
      const serving = pods.items.filter((p) =>
        p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
      );
      expect(serving).toHaveLength(2);
    } finally {
      world.simulator.configureKubelet({ neverReady: null });
    }
  });

  it('makes about the same number of Kubernetes requests for 2 and 20 replicas, and for fast and slow pods', async () => {
    const counts: Record<string, number> = {};
    for (const [app, replicas, latencyMs] of [
      ['small-fast', 2, 50],
      ['large-fast', 20, 50],
      ['small-slow', 2, 2000],
    ] as const) {
      world.simulator.configureKubelet({ startLatencyMs: 50 });
      await deploy(app, replicas);
      world.simulator.configureKubelet({ startLatencyMs: latencyMs });
      world.simulator.resetCalls();
      const { end } = await grant(app);
      expect(end.state).toBe('done');
      counts[app] = Object.values(world.simulator.calls()).reduce((a, b) => a + b, 0);
    }
    world.simulator.configureKubelet({ startLatencyMs: 30 });
    console.log(`Kubernetes requests per grant: ${JSON.stringify(counts)}`);
    const values = Object.values(counts);
    expect(Math.max(...values) - Math.min(...values)).toBeLessThanOrEqual(3);
  });
});
