/**
 * A world of several clusters, each in its own Tencent Cloud account and region: per cluster an
 * emulator that knows only its account's keys and seeds the cluster in its region, and a
 * Kubernetes simulator with the sample application; one sgops configured with `tencentcloud.accounts`
 * and `clusters` over all of them. A cluster may take its kubeconfig from its emulator
 * (`fromCloud`), which hands out one pointing at that cluster's simulator.
 */
import { pino } from 'pino';
import {
  clusterKubeconfig,
  createTencentCloudEmulator,
  sandboxCloudSeed,
} from '../../adapters/tencentcloud/emulator/index.ts';
import type { TencentCloudEmulator } from '../../adapters/tencentcloud/emulator/index.ts';
import { createKubernetesSimulator } from '../../adapters/kubernetes/simulator/create-kubernetes-simulator.ts';
import type { KubernetesSimulator } from '../../adapters/kubernetes/simulator/create-kubernetes-simulator.ts';
import { seedSampleWorld } from '../../adapters/kubernetes/simulator/seed-sample-world.ts';
import { parseConfig } from '../../src/config.ts';
import { createApp } from '../../src/main.ts';
import type { App } from '../../src/main.ts';
import { consoleConversation, type ConsoleConversation } from './console-conversation.ts';
import { dropSchema, testDatabaseUrl, uniqueSchema } from './pg.ts';
import { samplePolicy } from './test-world.ts';
import { worldConfigBase } from './world-config-base.ts';

export interface WorldClusterSpec {
  id: string;
  account: string;
  region: string;
  secretId: string;
  secretKey: string;
  /** Take the kubeconfig from the emulator (DescribeClusterKubeconfig) instead of a configured server. */
  fromCloud?: boolean;
  /** Seed of the emulator's generated ids, so two clouds never make the same id. */
  idSeed: number;
}

export interface WorldCluster extends WorldClusterSpec {
  emulator: TencentCloudEmulator;
  simulator: KubernetesSimulator;
  kubeUrl: string;
  /** The simulator's request counters (`"<verb> <resource>": n`). */
  kubeCalls(): Promise<Record<string, number>>;
  /** Forgets both stand-ins' counted calls. */
  resetCalls(): Promise<void>;
}

export interface MultiClusterWorld extends ConsoleConversation {
  app: App;
  clusters: Record<string, WorldCluster>;
  stop(): Promise<void>;
}

export async function startMultiClusterWorld(
  name: string,
  specs: WorldClusterSpec[],
  defaultClusterId = specs[0]!.id,
): Promise<MultiClusterWorld> {
  const started: (WorldCluster & { cloudUrl: string })[] = [];
  const stopStandIns = async () => {
    await Promise.all(started.flatMap((c) => [c.emulator.stop(), c.simulator.stop()]));
  };
  const schema = uniqueSchema(name);
  let app: App | null = null;
  try {
    for (const spec of specs) {
      const simulator = createKubernetesSimulator({ podStartLatencyMs: 30 });
      const kube = await simulator.start();
      const emulator = createTencentCloudEmulator({
        credentials: [{ secretId: spec.secretId, secretKey: spec.secretKey }],
        seed: sandboxCloudSeed(spec.id),
        region: spec.region,
        idSeed: spec.idSeed,
        kubeconfigFor: (clusterId) => clusterKubeconfig(clusterId, { url: kube.url, plainHttp: true }),
      });
      const cloud = await emulator.start();
      started.push({
        ...spec,
        emulator,
        simulator,
        kubeUrl: kube.url,
        cloudUrl: cloud.url,
        async kubeCalls() {
          return (await (await fetch(`${kube.url}/_admin/calls`)).json()) as Record<string, number>;
        },
        async resetCalls() {
          emulator.resetCalls();
          await fetch(`${kube.url}/_admin/calls/reset`, { method: 'POST' });
        },
      });
      await seedSampleWorld(simulator);
    }

    const config = parseConfig({
      ...worldConfigBase(name, schema),
      tencentcloud: {
        accounts: Object.fromEntries(
          started.map((c) => [
            c.account,
            {
              credentials: { kind: 'secret', secretId: c.secretId, secretKey: c.secretKey },
              region: c.region,
              endpoint: c.cloudUrl,
            },
          ]),
        ),
        // Tests count each grant's calls: shared cluster reads are opted into where tested.
        readCacheTtlMs: 0,
      },
      clusters: Object.fromEntries(
        started.map((c) => [
          c.id,
          { account: c.account, kubernetes: c.fromCloud ? { fromCloud: true } : { server: c.kubeUrl } },
        ]),
      ),
      defaults: { clusterId: defaultClusterId, namespace: 'my-namespace' },
      policy: samplePolicy,
    });
    app = await createApp(config, { logger: pino({ level: config.logLevel }) });
    await app.start();
  } catch (error) {
    await app?.stop();
    await stopStandIns();
    await dropSchema(testDatabaseUrl, schema);
    throw error;
  }
  const running = app;
  return {
    app: running,
    clusters: Object.fromEntries(started.map((c) => [c.id, c])),
    ...consoleConversation(running),
    async stop() {
      await running.stop();
      await stopStandIns();
      await dropSchema(testDatabaseUrl, schema);
    },
  };
}
