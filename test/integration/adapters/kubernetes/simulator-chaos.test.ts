import * as k8s from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { kubeConfigFor } from '../../../../adapters/kubernetes/kube-config-for.ts';
import type {
  KubernetesSimulator,
  KubernetesSimulatorOptions,
} from '../../../../adapters/kubernetes/simulator/create-kubernetes-simulator.ts';
import { createKubernetesSimulator } from '../../../../adapters/kubernetes/simulator/create-kubernetes-simulator.ts';
import { seedSampleWorld } from '../../../../adapters/kubernetes/simulator/seed-sample-world.ts';

const ns = 'my-namespace';

async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function pod(name: string, app: string) {
  return {
    metadata: { name, labels: { app } },
    spec: { containers: [{ name: 'app', image: 'nginx:1.25' }] },
  };
}

describe('the simulator’s failure injection, bookmarks and expired watches', () => {
  let sim: KubernetesSimulator;
  let url: string;
  let adminUrl: string;
  let kc: k8s.KubeConfig;

  const boot = async (options: KubernetesSimulatorOptions = {}) => {
    sim = createKubernetesSimulator({ podStartLatencyMs: 10, ...options });
    ({ url, adminUrl } = await sim.start());
    await seedSampleWorld(sim);
    kc = kubeConfigFor({ server: url });
  };
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${adminUrl}${path}`, { method: 'POST', body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  afterEach(() => sim.stop());

  it('changes the start latency at runtime through the admin API', async () => {
    await boot();
    expect((await post('/kubelet', { startLatencyMs: 300 })).body).toEqual({
      startLatencyMs: 300,
      neverReady: null,
      crash: null,
    });
    sim.create('pods', ns, pod('slow', 'slow'));
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(sim.get('pods', ns, 'slow')?.status.phase).toBe('Pending');
    await until(() => sim.get('pods', ns, 'slow')?.status.phase === 'Running', 2000);
    expect((await post('/kubelet', { startLatencyMs: -1 })).status).toBe(400);
  });

  it('keeps selected pods Running but never Ready, and crashes others into CrashLoopBackOff', async () => {
    await boot();
    const configured = await post('/kubelet', { neverReady: 'app=stuck', crash: 'app in (crashy)' });
    expect(configured.body).toMatchObject({ neverReady: 'app=stuck', crash: 'app in (crashy)' });
    sim.create('pods', ns, pod('stuck', 'stuck'));
    sim.create('pods', ns, pod('crashy', 'crashy'));
    sim.create('pods', ns, pod('fine', 'fine'));
    await until(() =>
      ['stuck', 'crashy', 'fine'].every((n) => sim.get('pods', ns, n)?.status.phase === 'Running'),
    );
    const ready = (name: string) =>
      sim.get('pods', ns, name)?.status.conditions?.find((c: { type: string }) => c.type === 'Ready');
    expect(ready('fine')).toMatchObject({ status: 'True' });
    expect(ready('stuck')).toMatchObject({
      status: 'False',
      reason: 'ContainersNotReady',
      message: 'containers with unready status: [app]',
    });
    const crashed = sim.get('pods', ns, 'crashy')!.status.containerStatuses[0];
    expect(crashed.state.waiting.reason).toBe('CrashLoopBackOff');
    expect(crashed.restartCount).toBe(1);
    const events = sim.list('events', ns, { fieldSelector: 'involvedObject.name=crashy,reason=BackOff' });
    expect(events[0]?.['message']).toMatch(
      /^Back-off restarting failed container app in pod crashy_my-namespace\(/,
    );

    expect((await post('/kubelet', { neverReady: 'a in (' })).status).toBe(400);
    sim.configureKubelet({ neverReady: null, crash: '' });
    sim.create('pods', ns, pod('later', 'stuck'));
    await until(() => ready('later')?.status === 'True');
  });

  it('answers injected faults with Status bodies, deterministically for a seed', async () => {
    await boot();
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const apps = kc.makeApiClient(k8s.AppsV1Api);
    const pattern = async () => {
      const plan = { seed: 42, rules: [{ verb: 'list', resource: 'pods', status: 503, rate: 0.5 }] };
      expect((await post('/faults', plan)).status).toBe(200);
      const outcomes: string[] = [];
      for (let i = 0; i < 16; i += 1) {
        outcomes.push(
          await core.listNamespacedPod({ namespace: ns }).then(
            () => 'ok',
            (e: k8s.ApiException<string>) => String(e.code),
          ),
        );
      }
      return outcomes;
    };
    const first = await pattern();
    expect(first).toContain('503');
    expect(first).toContain('ok');
    expect(await pattern()).toEqual(first);

    sim.injectFaults({ seed: 1, rules: [{ verb: 'get', resource: 'deployments', status: 429, count: 2 }] });
    const res = await fetch(`${url}/apis/apps/v1/namespaces/${ns}/deployments/my-deployment`);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(await res.json()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Too many requests, please try again later.',
      reason: 'TooManyRequests',
      details: { name: 'my-deployment', group: 'apps', kind: 'deployments', retryAfterSeconds: 1 },
      code: 429,
    });
    await expect(
      apps.readNamespacedDeployment({ namespace: ns, name: 'my-deployment' }),
    ).rejects.toMatchObject({
      code: 429,
    });
    expect(
      (await apps.readNamespacedDeployment({ namespace: ns, name: 'my-deployment' })).metadata?.name,
    ).toBe('my-deployment');
    expect(sim.faults()[0]?.fired).toBe(2);
    expect((await fetch(`${adminUrl}/faults`, { method: 'DELETE' })).status).toBe(200);
    expect(sim.faults()).toEqual([]);
  });

  it('sends BOOKMARK events carrying the latest resourceVersion to watches that allow them', async () => {
    await boot({ watchBookmarkIntervalMs: 50 });
    const listed = await kc.makeApiClient(k8s.CoreV1Api).listNamespacedConfigMap({ namespace: ns });
    const seen: { type: string; rv: string | undefined }[] = [];
    const req = await new k8s.Watch(kc).watch(
      `/api/v1/namespaces/${ns}/configmaps`,
      { allowWatchBookmarks: true, resourceVersion: listed.metadata!.resourceVersion! },
      (type: string, object: k8s.V1ConfigMap) => seen.push({ type, rv: object.metadata?.resourceVersion }),
      () => {},
    );
    sim.create('configmaps', ns, { metadata: { name: 'one' }, data: { a: '1' } });
    await until(() => seen.filter((e) => e.type === 'BOOKMARK').length >= 2);
    req.abort();
    expect(seen[0]).toMatchObject({ type: 'ADDED' });
    const bookmark = seen.find((e) => e.type === 'BOOKMARK')!;
    expect(Number(bookmark.rv)).toBeGreaterThanOrEqual(Number(seen[0]!.rv));
  });

  it('answers a watch from an expired resourceVersion with a 410 ERROR event, and an informer relists', async () => {
    await boot({ watchHistoryLimit: 30 });
    const raw = await fetch(`${url}/api/v1/namespaces/${ns}/configmaps?watch=true&resourceVersion=1`);
    const line = JSON.parse((await raw.text()).trim()) as { type: string; object: Record<string, unknown> };
    expect(line.type).toBe('ERROR');
    expect(line.object).toMatchObject({ kind: 'Status', status: 'Failure', reason: 'Expired', code: 410 });
    expect(String(line.object['message'])).toMatch(/^too old resource version: 1 \(\d+\)$/);

    const core = kc.makeApiClient(k8s.CoreV1Api);
    const informer = k8s.makeInformer(kc, `/api/v1/namespaces/${ns}/configmaps`, () =>
      core.listNamespacedConfigMap({ namespace: ns }),
    );
    const errors: unknown[] = [];
    informer.on('error', (e) => errors.push(e));
    await informer.start();
    sim.create('configmaps', ns, { metadata: { name: 'before' } });
    await until(() => informer.list(ns).length === 1);
    sim.resetCalls();
    // Drop the watch and, before the client is back, make more changes than the server keeps.
    sim.closeWatches();
    for (let i = 0; i < 40; i += 1) sim.create('configmaps', ns, { metadata: { name: `after-${i}` } });
    await until(() => informer.list(ns).length === 41);
    expect(errors).toEqual([]);
    await informer.stop();
    expect(sim.calls()['list configmaps']).toBe(1);
    expect(sim.calls()['watch configmaps']).toBeGreaterThanOrEqual(1);
  });
});
