/**
 * A world of several clusters, each in its own Tencent Cloud account and region: per cluster an
 * emulator that knows only its account's keys and seeds the cluster in its region, and a
 * Kubernetes simulator with the sample application; one sgops configured with `tencentcloud.accounts`
 * and `clusters` over all of them. A cluster may take its kubeconfig from its emulator
 * (`fromCloud`), which hands out one pointing at that cluster's simulator.
 */
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { createTencentCloudEmulator, sandboxCloudSeed } from '../../adapters/tencentcloud/emulator/index.ts';
import type { TencentCloudEmulator } from '../../adapters/tencentcloud/emulator/index.ts';
import { createKubernetesSimulator } from '../../adapters/kubernetes/simulator/create-kubernetes-simulator.ts';
import type { KubernetesSimulator } from '../../adapters/kubernetes/simulator/create-kubernetes-simulator.ts';
import { seedSampleWorld } from '../../adapters/kubernetes/simulator/seed-sample-world.ts';
import { parseConfig } from '../../src/config.ts';
import { createApp } from '../../src/main.ts';
import type { App } from '../../src/main.ts';
import type { ConsoleMessage } from '../../adapters/console/console-chat.ts';
import { dropSchema, testDatabaseUrl, uniqueSchema } from './pg.ts';
import { samplePolicy } from './test-world.ts';

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

export interface MultiClusterWorld {
  app: App;
  clusters: Record<string, WorldCluster>;
  say(person: string, text: string): Promise<ConsoleMessage>;
  waitFor(person: string, match: (m: ConsoleMessage) => boolean, timeoutMs?: number): Promise<ConsoleMessage>;
  stop(): Promise<void>;
}

function kubeconfigText(clusterId: string, server: string): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: ${clusterId}`,
    '  cluster:',
    `    server: ${server}`,
    // The simulator speaks plain HTTP, which client-node allows only with this set.
    '    insecure-skip-tls-verify: true',
    'users:',
    `- name: ${clusterId}-admin`,
    '  user: {}',
    'contexts:',
    `- name: ${clusterId}-context-default`,
    '  context:',
    `    cluster: ${clusterId}`,
    `    user: ${clusterId}-admin`,
    `current-context: ${clusterId}-context-default`,
    '',
  ].join('\n');
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
        kubeconfigFor: (clusterId) => kubeconfigText(clusterId, kube.url),
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
      logLevel: process.env.SGOPS_TEST_LOG_LEVEL ?? 'silent',
      redis: {
        url: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
        prefix: `sgops-test-${name}-${randomBytes(4).toString('hex')}`,
      },
      database: { kind: 'pg', url: testDatabaseUrl, schema },
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
      },
      clusters: Object.fromEntries(
        started.map((c) => [
          c.id,
          { account: c.account, kubernetes: c.fromCloud ? { fromCloud: true } : { server: c.kubeUrl } },
        ]),
      ),
      defaults: { clusterId: defaultClusterId, namespace: 'my-namespace' },
      policy: samplePolicy,
      audit: { key: 'test-audit-key-0123456789abcdef' },
      workflow: { stepBackoffMs: 50, pollDelayMs: 100, approvalTimeoutMs: 600_000, shutdownGraceMs: 3000 },
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
    async say(person, text) {
      const messageId = await running.console.say(person, text);
      return running.console.waitFor((m) => m.inReplyTo === messageId, 10_000);
    },
    waitFor(person, match, timeoutMs = 30_000) {
      return running.console.waitFor((m) => m.conversationId === person && match(m), timeoutMs);
    },
    async stop() {
      await running.stop();
      await stopStandIns();
      await dropSchema(testDatabaseUrl, schema);
    },
  };
}
