import * as k8s from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { kubeConfigFor } from '../../../../adapters/kubernetes/kube-config-for.ts';
import type { KubernetesSimulator } from '../../../../adapters/kubernetes/simulator/create-kubernetes-simulator.ts';
import { createKubernetesSimulator } from '../../../../adapters/kubernetes/simulator/create-kubernetes-simulator.ts';
import { seedSampleWorld } from '../../../../adapters/kubernetes/simulator/seed-sample-world.ts';
import { adminRequest } from '../../../helpers/admin-request.ts';

const ns = 'my-namespace';
const restartedAt = 'kubectl.kubernetes.io/restartedAt';
const sgp = {
  group: 'vpcresources.tke.cloud.tencent.com',
  version: 'v1beta1',
  plural: 'securitygrouppolicies',
};

/** Crash tests hold a request at the simulator before or after it applies, then kill the caller. */
describe('the Kubernetes simulator holding requests', () => {
  let sim: KubernetesSimulator;
  let adminUrl: string;
  let apps: k8s.AppsV1Api;
  let custom: k8s.CustomObjectsApi;

  const boot = async () => {
    sim = createKubernetesSimulator({ podStartLatencyMs: 10 });
    const urls = await sim.start();
    adminUrl = urls.adminUrl;
    await seedSampleWorld(sim);
    const kc = kubeConfigFor({ server: urls.url });
    apps = kc.makeApiClient(k8s.AppsV1Api);
    custom = kc.makeApiClient(k8s.CustomObjectsApi);
  };
  afterEach(async () => {
    sim.holds.clear();
    await sim.stop();
  });

  const admin = (path: string, method = 'GET', body?: unknown) =>
    adminRequest(`${adminUrl}${path}`, method, body);
  const restart = (name: string, stamp: string) =>
    apps.patchNamespacedDeployment(
      {
        namespace: ns,
        name,
        body: { spec: { template: { metadata: { annotations: { [restartedAt]: stamp } } } } },
      },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
  const stampOf = (name: string) =>
    (
      sim.get('deployments', ns, name)?.spec as {
        template: { metadata: { annotations?: Record<string, string> } };
      }
    ).template.metadata.annotations?.[restartedAt];
  const someDeployment = () => sim.list('deployments', ns)[0]!.metadata.name;

  it('holds a request before it applies, and a dropped request never applies and cuts the connection', async () => {
    await boot();
    const name = someDeployment();
    const { body: hold } = await admin('/holds', 'POST', {
      verb: 'patch',
      resource: 'deployments',
      namespace: ns,
      name,
      when: 'before',
    });
    expect(hold).toMatchObject({ id: 'hold-1', state: 'armed' });
    const call = restart(name, 'first').then(
      () => 'answered',
      () => 'cut',
    );
    expect((await admin(`/holds/${String(hold['id'])}?waitMs=5000`)).body).toMatchObject({ state: 'held' });
    expect(stampOf(name)).toBeUndefined();
    expect((await admin(`/holds/${String(hold['id'])}/release`, 'POST', { drop: true })).body).toMatchObject({
      state: 'dropped',
    });
    expect(await call).toBe('cut');
    expect(stampOf(name)).toBeUndefined();
    // One request only: the next goes through.
    await restart(name, 'second');
    expect(stampOf(name)).toBe('second');
  });

  it('holds a request after it applied, and answers it on release or cuts it on drop', async () => {
    await boot();
    const name = someDeployment();
    const hold = sim.holds.arm({ verb: 'patch', resource: 'deployments', name, when: 'after' });
    const call = restart(name, 'applied');
    expect((await sim.holds.waitUntilHeld(hold.id, 5000)).state).toBe('held');
    expect(stampOf(name)).toBe('applied');
    sim.holds.release(hold.id, 'go');
    await expect(call).resolves.toMatchObject({ metadata: { name } });

    const policy = sim.holds.arm({
      verb: 'create',
      resource: 'securitygrouppolicies',
      namespace: ns,
      when: 'after',
    });
    const created = custom
      .createNamespacedCustomObject({
        ...sgp,
        namespace: ns,
        body: {
          apiVersion: `${sgp.group}/${sgp.version}`,
          kind: 'SecurityGroupPolicy',
          metadata: { name: 'held-policy' },
          spec: { podSelector: { matchLabels: { app: 'x' } }, securityGroups: { groupIds: ['sg-12345678'] } },
        },
      })
      .then(
        () => 'answered',
        () => 'cut',
      );
    expect((await sim.holds.waitUntilHeld(policy.id, 5000)).state).toBe('held');
    sim.holds.release(policy.id, 'drop');
    expect(await created).toBe('cut');
    expect(sim.get('securitygrouppolicies', ns, 'held-policy')).toBeDefined();
  });

  it('holds after only requests that succeeded, and only those naming its namespace and object', async () => {
    await boot();
    const name = someDeployment();
    const hold = sim.holds.arm({
      verb: 'patch',
      resource: 'deployments',
      namespace: ns,
      name,
      when: 'after',
    });
    await expect(restart('no-such-deployment', 'x')).rejects.toThrow();
    await expect(
      apps.patchNamespacedDeployment(
        { namespace: 'default', name, body: {} },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
      ),
    ).rejects.toThrow();
    expect((await sim.holds.waitUntilHeld(hold.id, 10)).state).toBe('armed');
  });

  it('refuses a malformed hold and the release of a hold that holds nothing', async () => {
    await boot();
    expect((await admin('/holds', 'POST', { verb: 'patch', resource: 'deployments' })).status).toBe(400);
    expect((await admin('/holds', 'POST', { resource: 'deployments', when: 'after' })).status).toBe(400);
    const { body: hold } = await admin('/holds', 'POST', { verb: 'delete', resource: 'pods', when: 'after' });
    expect((await admin(`/holds/${String(hold['id'])}/release`, 'POST', {})).status).toBe(400);
    expect((await admin('/holds/hold-99?waitMs=10')).status).toBe(400);
    expect((await admin('/holds')).body).toEqual([
      { id: hold['id'], verb: 'delete', resource: 'pods', when: 'after', state: 'armed' },
    ]);
    await admin('/holds', 'DELETE');
    expect((await admin('/holds')).body).toEqual([]);
  });
});
