import * as k8s from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { kubeConfigFor } from '../../../../adapters/kubernetes/kube-config-for.ts';
import type { KubernetesSimulator } from '../../../../adapters/kubernetes/simulator/create-kubernetes-simulator.ts';
import { createKubernetesSimulator } from '../../../../adapters/kubernetes/simulator/create-kubernetes-simulator.ts';
import type { KubeObject } from '../../../../adapters/kubernetes/simulator/kube-object.ts';
import { networkFromEmulator } from '../../../../adapters/kubernetes/simulator/network-from-emulator.ts';
import {
  sampleApplication,
  sampleSecurityGroupPolicy,
} from '../../../../adapters/kubernetes/simulator/sample-application.ts';
import {
  seedSampleWorld,
  superNodeNames,
} from '../../../../adapters/kubernetes/simulator/seed-sample-world.ts';
import type { TencentCloudEmulator } from '../../../../adapters/tencentcloud/emulator/index.ts';
import {
  createTencentCloudEmulator,
  sandboxCloudSeed,
} from '../../../../adapters/tencentcloud/emulator/index.ts';
import { wireNetworkModel } from '../../../../src/sandbox/wire-network-model.ts';
import { securityGroupAnnotation } from '../../../../src/ports/cluster.ts';
import { sdkClients } from '../tencentcloud/sdk-clients.ts';

const region = 'ap-guangzhou';
const clusterId = 'cls-sandbox1';
const ns = 'my-namespace';
const credential = { secretId: 'AKIDnetworkmodel', secretKey: 'network-model-secret' };

/**
 * A cluster group that admits ALL from the whole VPC (10.0.0.0/16) covers the super-node pods
 * (10.0.64.x), so DNS would never depend on the seed's DNS rules; the sandbox seed admits only the
 * normal nodes' subnet (10.0.0.0/24). This widens it, to show the difference.
 */
function vpcWideSeed(): ReturnType<typeof sandboxCloudSeed> {
  const seed = sandboxCloudSeed(clusterId);
  return {
    ...seed,
    securityGroups: seed.securityGroups.map((group) => ({
      ...group,
      ingress: (group.ingress ?? []).map((rule) =>
        rule.CidrBlock === '10.0.0.0/24' ? { ...rule, CidrBlock: '10.0.0.0/16' } : rule,
      ),
    })),
  };
}

async function until<T>(read: () => T | undefined, what: string, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A bare pod on a super node that the seed's policy selects (`app: my-app`), running the probe. */
function probePod(name: string, probe: { dns?: string; http?: string }): KubeObject {
  const template = sampleApplication(ns).deployment.spec.template.spec;
  return {
    metadata: {
      name,
      labels: { app: 'my-app', role: 'probe' },
      annotations: { 'sgops.io/probe': JSON.stringify(probe) },
    },
    spec: {
      restartPolicy: 'Never',
      containers: [{ name: 'probe', image: 'curlimages/curl:8.8.0' }],
      nodeSelector: template.nodeSelector,
      tolerations: template.tolerations,
    },
  };
}

interface World {
  emulator: TencentCloudEmulator;
  sim: KubernetesSimulator;
  url: string;
  cloudUrl: string;
  adminUrl: string;
}

describe('the network model, wired to the Tencent Cloud emulator', () => {
  let world: World | undefined;
  afterEach(async () => {
    await world?.sim.stop();
    await world?.emulator.stop();
    world = undefined;
  });

  async function start(
    seed = sandboxCloudSeed(clusterId),
    options: { sandboxRetryMs?: number } = {},
  ): Promise<World> {
    const emulator = createTencentCloudEmulator({ credentials: [credential], seed, region });
    const cloud = await emulator.start();
    const sim = createKubernetesSimulator({
      podStartLatencyMs: 10,
      network: wireNetworkModel(emulator, { region, clusterId }),
      ...options,
    });
    const { url } = await sim.start();
    world = { emulator, sim, url, cloudUrl: cloud.url, adminUrl: cloud.adminUrl };
    return world;
  }

  /** Seed steps 1a–1d with the SDK, as the tccli lines do; returns both group ids. */
  async function createGroupsAsTheSeedDoes(cloudUrl: string) {
    const { vpc } = sdkClients(cloudUrl, credential, region);
    const described = await vpc.DescribeSecurityGroups({
      Filters: [{ Name: 'security-group-name', Values: [`tke-worker-security-for-${clusterId}`] }],
    });
    const clusterGroupId = described.SecurityGroupSet?.[0]?.SecurityGroupId ?? '';
    const created = await vpc.CreateSecurityGroup({
      GroupName: 'my-pod-security-group',
      GroupDescription: 'My pod security group',
    });
    const podGroupId = created.SecurityGroup?.SecurityGroupId ?? '';
    const dnsRule = (protocol: string) => ({
      SecurityGroupId: clusterGroupId,
      SecurityGroupPolicySet: {
        Ingress: [{ Protocol: protocol, Port: '53', SecurityGroupId: podGroupId, Action: 'ACCEPT' }],
      },
    });
    await vpc.CreateSecurityGroupPolicies(dnsRule('UDP'));
    await vpc.CreateSecurityGroupPolicies(dnsRule('TCP'));
    await vpc.CreateSecurityGroupPolicies({
      SecurityGroupId: podGroupId,
      SecurityGroupPolicySet: {
        Ingress: [{ Protocol: 'ALL', Port: 'ALL', SecurityGroupId: podGroupId, Action: 'ACCEPT' }],
      },
    });
    await vpc.CreateSecurityGroupPolicies({
      SecurityGroupId: podGroupId,
      SecurityGroupPolicySet: { Egress: [{ Protocol: 'ALL', Port: 'ALL', Action: 'ACCEPT' }] },
    });
    const deleteDnsRules = async () => {
      await vpc.DeleteSecurityGroupPolicies(dnsRule('UDP'));
      await vpc.DeleteSecurityGroupPolicies(dnsRule('TCP'));
    };
    return { clusterGroupId, podGroupId, deleteDnsRules };
  }

  /** Seed steps 2–5: the policy first, then the sample application; its pods carry the group. */
  async function deploySampleWithPolicy(sim: KubernetesSimulator, podGroupId: string): Promise<KubeObject[]> {
    sim.create('namespaces', undefined, { metadata: { name: ns } });
    sim.create('securitygrouppolicies', ns, sampleSecurityGroupPolicy(podGroupId, ns));
    await seedSampleWorld(sim);
    const pods = sim.list('pods', ns, { labelSelector: 'app=my-app' });
    expect(pods).toHaveLength(2);
    for (const pod of pods) {
      expect(pod.metadata.annotations?.[securityGroupAnnotation]).toBe(podGroupId);
      expect(superNodeNames as readonly string[]).toContain(pod.spec.nodeName);
      expect(pod.status.podIP).toMatch(/^10\.0\.64\./);
    }
    return pods;
  }

  async function runProbe(
    { sim, url }: World,
    name: string,
    probe: { dns?: string; http?: string },
  ): Promise<{ phase: string; log: string }> {
    sim.create('pods', ns, probePod(name, probe));
    const phase = await until(() => {
      const p = sim.get('pods', ns, name)?.status?.phase as string | undefined;
      return p === 'Succeeded' || p === 'Failed' ? p : undefined;
    }, `probe ${name} to finish`);
    // Read the log the way `kubectl logs` does.
    const core = kubeConfigFor({ server: url }).makeApiClient(k8s.CoreV1Api);
    const log = await core.readNamespacedPodLog({ namespace: ns, name });
    return { phase, log };
  }

  it('replays seed steps 7–9: by name works, and after the DNS rules go, by name fails while by IP works', async () => {
    const w = await start();
    const { podGroupId, deleteDnsRules } = await createGroupsAsTheSeedDoes(w.cloudUrl);
    const pods = await deploySampleWithPolicy(w.sim, podGroupId);
    const clusterIp = w.sim.get('services', ns, 'my-app')?.spec.clusterIP as string;

    // Step 7: curl my-app from a pod in the group.
    const first = await runProbe(w, 'probe-by-name', { dns: 'my-app', http: 'http://my-app/' });
    expect(first).toEqual({
      phase: 'Succeeded',
      log: `dns my-app: ${clusterIp}\nGET http://my-app/: 200 Welcome to nginx!\n`,
    });

    // Step 8: delete the cluster group's DNS rules.
    await deleteDnsRules();

    // Step 9: by name fails on DNS; by the pod's IP it still works.
    const byName = await runProbe(w, 'probe-by-name-again', { dns: 'my-app', http: 'http://my-app/' });
    expect(byName).toEqual({
      phase: 'Failed',
      log: 'dns my-app: timed out\nGET http://my-app/: could not resolve host my-app\n',
    });
    const podIp = pods[0]?.status.podIP as string;
    const byIp = await runProbe(w, 'probe-by-ip', { http: `http://${podIp}/` });
    expect(byIp).toEqual({ phase: 'Succeeded', log: `GET http://${podIp}/: 200 Welcome to nginx!\n` });

    // kubectl get pods shows the probes as a real cluster would.
    const table = (await (
      await fetch(`${w.url}/api/v1/namespaces/${ns}/pods?labelSelector=role%3Dprobe`, {
        headers: { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' },
      })
    ).json()) as { rows: { cells: unknown[] }[] };
    expect(table.rows.map((r) => [r.cells[0], r.cells[2]])).toEqual([
      ['probe-by-ip', 'Completed'],
      ['probe-by-name', 'Completed'],
      ['probe-by-name-again', 'Error'],
    ]);
    // The probes never became endpoints of the Service they share a label with.
    const endpoints = w.sim.get('endpoints', ns, 'my-app');
    const listed = JSON.stringify(endpoints?.['subsets'] ?? []);
    expect(listed).not.toContain('probe-');
  });

  it('keeps a pod whose policy names a missing group from starting, with a FailedCreatePodSandBox warning', async () => {
    const w = await start(sandboxCloudSeed(clusterId), { sandboxRetryMs: 100 });
    const { podGroupId } = await createGroupsAsTheSeedDoes(w.cloudUrl);
    await deploySampleWithPolicy(w.sim, podGroupId);
    w.sim.create('securitygrouppolicies', ns, {
      ...sampleSecurityGroupPolicy('sg-deadbeef', ns),
      metadata: { name: 'ghost-policy', namespace: ns },
      spec: { podSelector: { matchLabels: { app: 'ghost' } }, securityGroups: { groupIds: ['sg-deadbeef'] } },
    });
    const template = sampleApplication(ns).deployment.spec.template.spec;
    w.sim.create('pods', ns, {
      metadata: { name: 'ghost', labels: { app: 'ghost' } },
      spec: { ...template, containers: [{ name: 'nginx', image: 'nginx:latest' }] },
    });

    const event = await until(
      () =>
        w.sim
          .list('events', ns)
          .find((e) => (e['involvedObject'] as { name: string }).name === 'ghost' && e['type'] === 'Warning'),
      'the ghost pod warning',
    );
    expect(event['reason']).toBe('FailedCreatePodSandBox');
    expect(event['message']).toBe('Failed to create pod sandbox: security group sg-deadbeef not found');
    const pod = w.sim.get('pods', ns, 'ghost');
    expect(pod?.metadata.annotations?.[securityGroupAnnotation]).toBe('sg-deadbeef');
    expect(pod?.status.phase).toBe('Pending');
    expect(pod?.status.containerStatuses[0].state).toEqual({ waiting: { reason: 'ContainerCreating' } });
    expect(pod?.status.podIP).toBeUndefined();

    // The kubelet keeps trying: the warning's count grows, and no new event piles up.
    await until(
      () =>
        Number(w.sim.list('events', ns).find((e) => e.metadata.name === event.metadata.name)?.['count']) >= 2
          ? true
          : undefined,
      'a retried sandbox',
    );
    expect(w.sim.list('events', ns).filter((e) => e['reason'] === 'FailedCreatePodSandBox')).toHaveLength(1);

    // Once the group exists, the next attempt starts the pod.
    const podGroup = w.emulator.securityGroups.all().find((g) => g.id === podGroupId);
    w.emulator.securityGroups.put({ ...structuredClone(podGroup!), id: 'sg-deadbeef', name: 'late-group' });
    await until(
      () => (w.sim.get('pods', ns, 'ghost')?.status.phase === 'Running' ? true : undefined),
      'ghost running',
    );
  });

  it('times HTTP out when the target pods’ groups do not admit the caller', async () => {
    const w = await start();
    const { podGroupId } = await createGroupsAsTheSeedDoes(w.cloudUrl);
    const pods = await deploySampleWithPolicy(w.sim, podGroupId);
    // An outsider group that may send anything, but the pod group only admits itself.
    const { vpc } = sdkClients(w.cloudUrl, credential, region);
    const outsider = await vpc.CreateSecurityGroup({
      GroupName: 'outsider',
      GroupDescription: 'not trusted',
    });
    const outsiderId = outsider.SecurityGroup?.SecurityGroupId ?? '';
    await vpc.CreateSecurityGroupPolicies({
      SecurityGroupId: outsiderId,
      SecurityGroupPolicySet: { Egress: [{ Protocol: 'ALL', Port: 'ALL', Action: 'ACCEPT' }] },
    });
    w.sim.create('securitygrouppolicies', ns, {
      ...sampleSecurityGroupPolicy(outsiderId, ns),
      metadata: { name: 'outsider-policy', namespace: ns },
      spec: {
        podSelector: { matchLabels: { role: 'outsider' } },
        securityGroups: { groupIds: [outsiderId] },
      },
    });
    const podIp = pods[0]?.status.podIP as string;
    const pod = probePod('outsider', { http: `http://${podIp}/` });
    pod.metadata.labels = { role: 'outsider' };
    w.sim.create('pods', ns, pod);
    await until(
      () =>
        ['Succeeded', 'Failed'].includes(w.sim.get('pods', ns, 'outsider')?.status.phase) ? true : undefined,
      'the outsider probe',
    );
    expect(w.sim.get('pods', ns, 'outsider')?.metadata.annotations?.[securityGroupAnnotation]).toBe(
      outsiderId,
    );
    expect(w.sim.get('pods', ns, 'outsider')?.status.phase).toBe('Failed');
    expect(w.sim.podLog(ns, 'outsider')).toBe(`GET http://${podIp}/: connection timed out\n`);
  });

  it('lets a VPC-wide cluster rule admit DNS even without the seed’s DNS rules', async () => {
    const w = await start(vpcWideSeed());
    const { podGroupId, deleteDnsRules } = await createGroupsAsTheSeedDoes(w.cloudUrl);
    await deploySampleWithPolicy(w.sim, podGroupId);
    await deleteDnsRules();
    const probe = await runProbe(w, 'probe-vpc-wide', { dns: 'my-app' });
    expect(probe.phase).toBe('Succeeded');
  });

  it('reads the same rules over the admin URL as in-process', async () => {
    const w = await start();
    const { clusterGroupId, podGroupId } = await createGroupsAsTheSeedDoes(w.cloudUrl);
    const inProcess = networkFromEmulator(w.emulator, { region, clusterGroupId });
    const overHttp = networkFromEmulator(w.adminUrl, { region, clusterGroupId });
    for (const id of [clusterGroupId, podGroupId]) {
      expect(await overHttp.securityGroup(id)).toEqual(await inProcess.securityGroup(id));
    }
    expect(await overHttp.securityGroup(podGroupId)).toEqual({
      ingress: [{ protocol: 'ALL', port: 'ALL', securityGroupId: podGroupId, action: 'ACCEPT' }],
      egress: [{ protocol: 'ALL', port: 'ALL', cidr: '0.0.0.0/0', action: 'ACCEPT' }],
    });
    expect(await overHttp.securityGroup('sg-deadbeef')).toBeNull();
    expect(() => wireNetworkModel(w.emulator, { region, clusterId: 'cls-unknown1' })).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
    expect(
      await networkFromEmulator(w.emulator, { region: 'ap-shanghai', clusterGroupId }).securityGroup(
        podGroupId,
      ),
    ).toBeNull();
  });
});

describe('probe pods without a network model', () => {
  let sim: KubernetesSimulator | undefined;
  afterEach(async () => {
    await sim?.stop();
    sim = undefined;
  });

  it('run with nothing filtering traffic, and answer for missing names and closed ports', async () => {
    sim = createKubernetesSimulator({ podStartLatencyMs: 10 });
    await sim.start();
    await seedSampleWorld(sim);
    const s = sim;
    const run = async (name: string, command: string[]) => {
      s.create('pods', ns, {
        metadata: { name },
        spec: { restartPolicy: 'Never', containers: [{ name: 'probe', image: 'sgops/probe', command }] },
      });
      const phase = await until(() => {
        const p = s.get('pods', ns, name)?.status?.phase as string | undefined;
        return p === 'Succeeded' || p === 'Failed' ? p : undefined;
      }, name);
      return { phase, log: s.podLog(ns, name) };
    };
    const clusterIp = sim.get('services', ns, 'my-app')?.spec.clusterIP as string;
    expect(
      await run('open', [
        'sgops-probe',
        '--dns',
        'my-app.my-namespace.svc.cluster.local',
        '--http',
        'http://my-app:80/',
      ]),
    ).toEqual({
      phase: 'Succeeded',
      log: `dns my-app.my-namespace.svc.cluster.local: ${clusterIp}\nGET http://my-app:80/: 200 Welcome to nginx!\n`,
    });
    expect(
      await run('missing', ['sgops-probe', '--dns', 'nope', '--http', `http://${clusterIp}:8080/`]),
    ).toEqual({
      phase: 'Failed',
      log: `dns nope: NXDOMAIN\nGET http://${clusterIp}:8080/: connection timed out\n`,
    });
    expect(await run('bad', ['sgops-probe', '--ping', 'x'])).toEqual({
      phase: 'Failed',
      log: 'sgops-probe: unexpected argument "--ping"\n',
    });
    // Ordinary pods start as before and log nothing.
    const app = sim.list('pods', ns, { labelSelector: 'app=my-app' })[0];
    expect(app?.status.phase).toBe('Running');
    expect(sim.podLog(ns, app!.metadata.name)).toBe('');
  });
});
