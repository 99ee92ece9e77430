/**
 * A world for tests that run real `sgops start` processes: the Tencent Cloud emulator and the
 * Kubernetes simulator over HTTP (one super-node Deployment per app), one Postgres schema, one
 * Redis prefix, and one YAML config per replica (see process-config.ts). Replicas can be started,
 * killed and started again with the same config; the test reads requests from Postgres, since
 * replies live in the memory of whichever process answered.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { createTencentCloudEmulator, sandboxCloudSeed } from '../../adapters/tencentcloud/emulator/index.ts';
import type {
  TencentCloudEmulator,
  TencentCloudEmulatorOptions,
} from '../../adapters/tencentcloud/emulator/index.ts';
import { createKubernetesSimulator } from '../../adapters/kubernetes/simulator/create-kubernetes-simulator.ts';
import type {
  KubernetesSimulator,
  KubernetesSimulatorOptions,
} from '../../adapters/kubernetes/simulator/create-kubernetes-simulator.ts';
import { seedSampleWorld } from '../../adapters/kubernetes/simulator/seed-sample-world.ts';
import { createStore } from '../../src/store/create-store.ts';
import type { RequestRow, Store } from '../../src/store/store.ts';
import type { ChatStateStore } from '../../src/store/chat-state-store.ts';
import { clusterId, credentials } from './test-world.ts';
import { dropSchema, testDatabaseUrl, uniqueSchema } from './pg.ts';
import { deploySuperNodeApps } from './deploy-super-node-apps.ts';
import type { AppPlacement } from './deploy-super-node-apps.ts';
import { writeProcessConfig } from './process-config.ts';
import { startSgopsProcess } from './sgops-process.ts';
import type { SgopsProcess, SgopsProcessOptions } from './sgops-process.ts';

/** States in which a request has nothing left to do (for now: `active` waits for its expiry). */
export const terminalStates: ReadonlySet<string> = new Set([
  'done',
  'active',
  'revoked',
  'needsAttention',
  'failed',
  'rolledBack',
  'denied',
  'expired',
  'cancelled',
]);

export interface ProcessWorldOptions {
  name: string;
  apps: AppPlacement[];
  /** Puts the apps into the simulator; one available super-node Deployment each by default. */
  deploy?: (simulator: KubernetesSimulator, apps: AppPlacement[]) => Promise<void>;
  /** Replicas, each with its own config file and HTTP port (default 1). */
  replicas?: number;
  workflow: Record<string, number>;
  emulator?: Partial<TencentCloudEmulatorOptions>;
  simulator?: KubernetesSimulatorOptions;
  redisUrl?: string;
  /** Another Postgres than the shared test database (e.g. a private one the test stops). */
  databaseUrl?: string;
  auditKey?: string;
  /** Laid over every replica's config (see writeProcessConfig). */
  config?: Record<string, unknown>;
  /** How each replica is run (default: node bin/sgops.js in the repository). */
  process?: SgopsProcessOptions;
}

export interface ProcessWorld {
  emulator: TencentCloudEmulator;
  simulator: KubernetesSimulator;
  cloud: { url: string; adminUrl: string };
  kube: { url: string; adminUrl: string };
  /** Read access to what the processes store (and the audit key to check it), the console's history too. */
  store: Store & ChatStateStore;
  schema: string;
  prefix: string;
  redisUrl: string;
  auditKey: string;
  tokens: { alice: string; bob: string };
  dir: string;
  configPaths: string[];
  /** Each replica's HTTP base URL (the same across restarts). */
  urls: string[];
  /** Every process started so far, restarts included. */
  processes: SgopsProcess[];
  /** Starts replica `index` (again) with its config and resolves once it is ready. */
  start(index?: number): Promise<SgopsProcess>;
  /** A chat line through replica `index`'s console API, as alice or bob. */
  say(person: 'alice' | 'bob', text: string, index?: number): Promise<void>;
  /** Alice's requests by app, once `ready` holds for them; the error shows every process's output. */
  requestsWhen(
    ready: (byApp: Map<string, RequestRow>) => boolean,
    timeoutMs: number,
  ): Promise<Map<string, RequestRow>>;
  /** The tail of every process's output, to explain a failure. */
  outputs(chars?: number): string;
  stop(): Promise<void>;
}

async function deleteRedisKeys(url: string, pattern: string): Promise<void> {
  const redis = new Redis(url);
  try {
    for await (const keys of redis.scanStream({ match: pattern, count: 500 }) as AsyncIterable<string[]>)
      if (keys.length > 0) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}

export async function startProcessWorld(options: ProcessWorldOptions): Promise<ProcessWorld> {
  const emulator = createTencentCloudEmulator({
    credentials: [credentials],
    seed: sandboxCloudSeed(clusterId),
    ...options.emulator,
  });
  const simulator = createKubernetesSimulator({ podStartLatencyMs: 30, ...options.simulator });
  try {
    return await buildWorld(options, emulator, simulator);
  } catch (error) {
    await Promise.all([emulator.stop(), simulator.stop()]);
    throw error;
  }
}

async function buildWorld(
  options: ProcessWorldOptions,
  emulator: TencentCloudEmulator,
  simulator: KubernetesSimulator,
): Promise<ProcessWorld> {
  const cloud = await emulator.start();
  const kube = await simulator.start();
  await seedSampleWorld(simulator);
  await (options.deploy ?? deploySuperNodeApps)(simulator, options.apps);

  const redisUrl = options.redisUrl ?? process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  const databaseUrl = options.databaseUrl ?? testDatabaseUrl;
  const auditKey = options.auditKey ?? 'test-audit-key-0123456789abcdef';
  const tokens = {
    alice: `alice-${randomBytes(16).toString('hex')}`,
    bob: `bob-${randomBytes(16).toString('hex')}`,
  };
  const schema = uniqueSchema(options.name);
  const prefix = `sgops-test-${options.name}-${randomBytes(4).toString('hex')}`;
  const dir = await mkdtemp(path.join(tmpdir(), `sgops-${options.name}-`));
  const configPaths: string[] = [];
  const urls: string[] = [];
  for (let i = 0; i < (options.replicas ?? 1); i++) {
    const written = await writeProcessConfig({
      dir,
      name: `replica-${i}`,
      redisUrl,
      databaseUrl,
      prefix,
      schema,
      cloudUrl: cloud.url,
      kubeUrl: kube.url,
      auditKey,
      tokens,
      namespaces: [...new Set(options.apps.map((a) => a.namespace))],
      workflow: options.workflow,
      ...(options.config ? { overrides: options.config } : {}),
    });
    configPaths.push(written.configPath);
    urls.push(written.url);
  }
  const store = await createStore({ kind: 'pg', url: databaseUrl, schema, auditKey });
  const processes: SgopsProcess[] = [];
  const outputs = (chars = 4000) =>
    processes.map((p, i) => `--- process ${i} (pid ${p.pid})\n${p.output().slice(-chars)}`).join('\n');

  return {
    emulator,
    simulator,
    cloud,
    kube,
    store,
    schema,
    prefix,
    redisUrl,
    auditKey,
    tokens,
    dir,
    configPaths,
    urls,
    processes,
    async start(index = 0) {
      const started = startSgopsProcess(configPaths[index]!, options.process);
      processes.push(started);
      await started.ready(urls[index]!, 60_000);
      return started;
    },
    async say(person, text, index = 0) {
      const res = await fetch(`${urls[index]}/api/say`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[person]}` },
        body: JSON.stringify({ text }),
      });
      if (res.status !== 200) throw new Error(`say "${text}" → ${res.status} ${await res.text()}`);
    },
    async requestsWhen(ready, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const rows = await store.listRequests({ requester: 'alice', limit: 1000 });
        const byApp = new Map(rows.map((r) => [(r.spec as { target: { app: string } }).target.app, r]));
        if (ready(byApp)) return byApp;
        if (Date.now() > deadline) {
          const states = [...byApp].map(([app, r]) => `${app} ${r.id} ${r.state}`).join(', ');
          throw new Error(`timed out; requests: ${states}\n${outputs()}`);
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    outputs,
    async stop() {
      await Promise.all(processes.map((p) => p.kill()));
      await store.close();
      await Promise.all([emulator.stop(), simulator.stop()]);
      await dropSchema(databaseUrl, schema);
      await rm(dir, { recursive: true, force: true });
      await deleteRedisKeys(redisUrl, `${prefix}:*`);
    },
  };
}
