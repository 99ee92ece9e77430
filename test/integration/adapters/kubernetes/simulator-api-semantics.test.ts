import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KubernetesSimulator } from '../../../../adapters/kubernetes/simulator/create-kubernetes-simulator.ts';
import { createKubernetesSimulator } from '../../../../adapters/kubernetes/simulator/create-kubernetes-simulator.ts';

const ns = 'semantics';
describe('the simulator answers as kube-apiserver does', () => {
  let sim: KubernetesSimulator;
  let url: string;

  beforeEach(async () => {
    sim = createKubernetesSimulator({ podStartLatencyMs: 10 });
    ({ url } = await sim.start());
    sim.create('namespaces', undefined, { metadata: { name: ns } });
  });
  afterEach(() => sim.stop());

  const send = (method: string, path: string, body?: unknown, contentType = 'application/json') =>
    fetch(`${url}${path}`, {
      method,
      headers: { 'Content-Type': contentType },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  describe('watch', () => {
    it('streams a watch for watch=True, as the Python client asks, and lists for watch=false', async () => {
      sim.create('configmaps', ns, { metadata: { name: 'one' } });
      const listed = (await (
        await send('GET', `/api/v1/namespaces/${ns}/configmaps?watch=false`)
      ).json()) as {
        kind: string;
      };
      expect(listed.kind).toBe('ConfigMapList');

      const controller = new AbortController();
      const res = await fetch(`${url}/api/v1/namespaces/${ns}/configmaps?watch=True`, {
        signal: controller.signal,
      });
      const reader = res.body!.getReader();
      const first = new TextDecoder().decode((await reader.read()).value);
      controller.abort();
      expect(JSON.parse(first.split('\n')[0]!)).toMatchObject({
        type: 'ADDED',
        object: { metadata: { name: 'one' } },
      });
      expect(sim.calls()).toMatchObject({ 'watch configmaps': 1, 'list configmaps': 1 });
    });
  });
});
