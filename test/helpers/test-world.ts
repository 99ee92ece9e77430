/**
 * A whole sgops world for integration tests: the Tencent Cloud emulator and the Kubernetes
 * simulator (seeded with the seed doc's sample application) over real HTTP, a Postgres schema of
 * its own, a BullMQ prefix of its own on the shared Redis, and the app itself from createApp.
 */
import { wireNetworkModel } from '../../src/sandbox/wire-network-model.ts';
import http from 'node:http';
import * as tc from 'tencentcloud-sdk-nodejs';
import * as k8s from '@kubernetes/client-node';
import { pino } from 'pino';
import {
  createTencentCloudEmulator,
  sandboxCloudSeed,
  withTeamGroups,
} from '../../adapters/tencentcloud/emulator/index.ts';
import type {
  TencentCloudEmulator,
  TencentCloudEmulatorOptions,
} from '../../adapters/tencentcloud/emulator/index.ts';
import { createKubernetesSimulator } from '../../adapters/kubernetes/simulator/create-kubernetes-simulator.ts';
import type { KubernetesSimulator } from '../../adapters/kubernetes/simulator/create-kubernetes-simulator.ts';
import { seedSampleWorld } from '../../adapters/kubernetes/simulator/seed-sample-world.ts';
import { kubeConfigFor } from '../../adapters/kubernetes/index.ts';
import { parseConfig } from '../../src/config.ts';
import type { ConfigInput, TencentcloudInput } from '../../src/config.ts';
import { createApp } from '../../src/main.ts';
import type { App, AppDeps } from '../../src/main.ts';
import type { WorkflowModule } from '../../workflows/index.ts';
import { createStore } from '../../src/store/create-store.ts';
import type { Store } from '../../src/store/store.ts';
import type { ChatStateStore } from '../../src/store/chat-state-store.ts';
import { consoleConversation, type ConsoleConversation } from './console-conversation.ts';
import { dropSchema, testDatabaseUrl, uniqueSchema } from './pg.ts';
import { worldConfigBase } from './world-config-base.ts';

export const clusterId = 'cls-sandbox1';
export const credentials = { secretId: 'AKIDsgopsTEST0000000001', secretKey: 'test-secret-key-never-logged' };

export const samplePolicy = {
  people: [
    { id: 'alice', name: 'Alice' },
    { id: 'dave', name: 'Dave' },
    { id: 'bob', name: 'Bob' },
    { id: 'carol', name: 'Carol', locale: 'zh' as const },
    { id: 'erin', name: 'Erin' },
  ],
  groups: { sre: ['bob', 'carol'], dba: ['erin'] },
  // Another team's database group: a request that writes into it waits for the DBAs too.
  securityGroupOwners: [{ name: 'orders-db', owners: ['group:dba'] }],
  rules: [
    {
      clusters: ['*'],
      namespaces: ['my-namespace'],
      requesters: ['alice', 'dave'],
      approvers: ['group:sre'],
      quorum: 1,
    },
  ],
};

export interface TestWorld extends ConsoleConversation {
  app: App;
  emulator: TencentCloudEmulator;
  simulator: KubernetesSimulator;
  cloudUrl: string;
  kubeUrl: string;
  vpc: InstanceType<typeof tc.vpc.v20170312.Client>;
  kube: { core: k8s.CoreV1Api; apps: k8s.AppsV1Api; custom: k8s.CustomObjectsApi };
  stop(): Promise<void>;
}

export interface WorldOptions {
  emulator?: Partial<TencentCloudEmulatorOptions>;
  /** How the app signs its cloud calls; default the permanent test `credentials`. */
  cloudCredentials?: TencentcloudInput['credentials'];
  /**
   * Sees the world's real store before the app gets it, and returns what the app is given (e.g.
   * the same store with its calls counted). The world then opens and closes the store itself.
   */
  observeStore?: (store: Store & ChatStateStore) => Store & ChatStateStore;
  /** The chat platforms the app opens (default: the registry, src/app/chat-platforms.ts). */
  chatPlatforms?: AppDeps['chatPlatforms'];
  /** The workflows the app runs (default: workflows/index.ts). */
  workflows?: readonly WorkflowModule[];
  /**
   * The simulator filters traffic through the emulator's security groups, as the sandbox does:
   * probe pods connect or time out, and pods naming a group that does not exist fail to start.
   */
  networkModel?: boolean;
}

export async function startTestWorld(
  name: string,
  overrides: Partial<ConfigInput> = {},
  world: WorldOptions = {},
): Promise<TestWorld> {
  const emulator = createTencentCloudEmulator({
    credentials: [credentials],
    seed: withTeamGroups(sandboxCloudSeed(clusterId)),
    ...world.emulator,
  });
  const cloud = await emulator.start();
  const simulator = createKubernetesSimulator({
    podStartLatencyMs: 30,
    ...(world.networkModel
      ? { network: wireNetworkModel(emulator, { region: 'ap-guangzhou', clusterId }) }
      : {}),
  });
  const kubeEndpoint = await simulator.start();
  await seedSampleWorld(simulator);

  const schema = uniqueSchema(name);
  const config = parseConfig({
    ...worldConfigBase(name, schema),
    tencentcloud: {
      ...(world.cloudCredentials ? { credentials: world.cloudCredentials } : credentials),
      region: 'ap-guangzhou',
      endpoint: cloud.url,
      // Tests count each grant's calls: shared cluster reads are opted into where tested.
      readCacheTtlMs: 0,
    },
    kubernetes: { server: kubeEndpoint.url },
    defaults: { clusterId, namespace: 'my-namespace' },
    policy: samplePolicy,
    ...overrides,
  });
  const store = world.observeStore
    ? await createStore({ kind: 'pg', url: testDatabaseUrl, schema, auditKey: config.audit.key })
    : null;
  const app = await createApp(config, {
    logger: pino({ level: config.logLevel }),
    ...(store && world.observeStore ? { store: world.observeStore(store) } : {}),
    ...(world.chatPlatforms ? { chatPlatforms: world.chatPlatforms } : {}),
    ...(world.workflows ? { workflows: world.workflows } : {}),
  });
  await app.start();
  // SGOPS_TEST_PRINT=1 shows the conversation, to read what people would read.
  if (process.env.SGOPS_TEST_PRINT)
    app.console.subscribe((m) =>
      console.log(`→ ${m.conversationId} [${m.kind} ${m.state ?? ''}]\n${m.text}\n`),
    );

  const vpc = new tc.vpc.v20170312.Client({
    credential: credentials,
    region: 'ap-guangzhou',
    profile: {
      httpProfile: {
        endpoint: new URL(cloud.url).host,
        protocol: 'http://',
        agent: new http.Agent(),
      } as never,
    },
  });
  const kc = kubeConfigFor({ server: kubeEndpoint.url });

  return {
    app,
    emulator,
    simulator,
    cloudUrl: cloud.url,
    kubeUrl: kubeEndpoint.url,
    vpc,
    kube: {
      core: kc.makeApiClient(k8s.CoreV1Api),
      apps: kc.makeApiClient(k8s.AppsV1Api),
      custom: kc.makeApiClient(k8s.CustomObjectsApi),
    },
    ...consoleConversation(app),
    async stop() {
      await app.stop();
      await store?.close();
      await Promise.all([emulator.stop(), simulator.stop()]);
      await dropSchema(testDatabaseUrl, schema);
    },
  };
}
