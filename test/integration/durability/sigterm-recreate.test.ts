import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import {
  createTencentCloudEmulator,
  sandboxCloudSeed,
} from '../../../adapters/tencentcloud/emulator/index.ts';
import type { TencentCloudEmulator } from '../../../adapters/tencentcloud/emulator/index.ts';
import { createKubernetesSimulator } from '../../../adapters/kubernetes/simulator/create-kubernetes-simulator.ts';
import type { KubernetesSimulator } from '../../../adapters/kubernetes/simulator/create-kubernetes-simulator.ts';
import { seedSampleWorld } from '../../../adapters/kubernetes/simulator/seed-sample-world.ts';
import { createStore } from '../../../src/store/create-store.ts';
import type { Store } from '../../../src/store/store.ts';
import { clusterId, credentials } from '../../helpers/test-world.ts';
import { dropSchema, testDatabaseUrl, uniqueSchema } from '../../helpers/pg.ts';
import { superNodeDeployment } from '../../helpers/super-node-deployment.ts';
import { grantedWorldProblems } from '../../helpers/granted-world-problems.ts';
import { writeProcessConfig } from '../../helpers/process-config.ts';
import { processExists, startSgopsProcess } from '../../helpers/sgops-process.ts';
import type { SgopsProcess } from '../../helpers/sgops-process.ts';

/**
 * Issue 8's acceptance: SIGTERM while `recreatePods` watches a slow rollout ends the process with
 * code 0 within seconds (the watch is aborted and the step re-arms), and a new process with the same
 * config picks the request up and brings it to `done`.
 */
const app = { app: 'slow-web', namespace: 'team-slow' };
const replicas = 4;
const tokens = {
  alice: `alice-${randomBytes(16).toString('hex')}`,
  bob: `bob-${randomBytes(16).toString('hex')}`,
};
const auditKey = 'test-audit-key-0123456789abcdef';
const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const terminal = ['done', 'needsAttention', 'failed', 'rolledBack', 'denied', 'expired', 'cancelled'];

async function deleteRedisKeys(url: string, pattern: string): Promise<void> {
  const redis = new Redis(url);
  try {
    for await (const keys of redis.scanStream({ match: pattern, count: 500 }) as AsyncIterable<string[]>)
      if (keys.length > 0) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}

describe('SIGTERM while recreatePods waits for a slow rollout', () => {
  let emulator: TencentCloudEmulator;
  let simulator: KubernetesSimulator;
  let store: Store | undefined;
  let dir = '';
  let prefix = '';
  let configPath = '';
  let url = '';
  const schema = uniqueSchema('durability-sigterm');
  const processes: SgopsProcess[] = [];

  beforeAll(async () => {
    emulator = createTencentCloudEmulator({ credentials: [credentials], seed: sandboxCloudSeed(clusterId) });
    const cloudUrl = (await emulator.start()).url;
    simulator = createKubernetesSimulator({ podStartLatencyMs: 30 });
    const kubeUrl = (await simulator.start()).url;
    await seedSampleWorld(simulator);
    simulator.create('namespaces', undefined, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: app.namespace },
    });
    simulator.create(
      'deployments',
      app.namespace,
      superNodeDeployment({ ...app, replicas, maxSurge: 1, maxUnavailable: 0 }),
    );
    await simulator.settle();

    dir = await mkdtemp(path.join(tmpdir(), 'sgops-sigterm-'));
    prefix = `sgops-test-sigterm-${randomBytes(4).toString('hex')}`;
    ({ configPath, url } = await writeProcessConfig({
      dir,
      name: 'sgops',
      redisUrl,
      prefix,
      schema,
      cloudUrl,
      kubeUrl,
      auditKey,
      tokens,
      namespaces: [app.namespace],
      // Short locks so a job left active by the stopped process comes back within seconds.
      workflow: {
        stepBackoffMs: 50,
        pollDelayMs: 200,
        rolloutWaitMs: 2000,
        lockDurationMs: 5000,
        stalledIntervalMs: 5000,
        reconcileMs: 2000,
        outboxSweepMs: 500,
      },
    }));
    processes.push(startSgopsProcess(configPath));
    await processes[0]!.ready(url, 60_000);
    store = await createStore({ kind: 'pg', url: testDatabaseUrl, schema, auditKey });
  }, 90_000);

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.kill()));
    await store?.close();
    await Promise.all([emulator?.stop(), simulator?.stop()]);
    await dropSchema(testDatabaseUrl, schema);
    if (dir) await rm(dir, { recursive: true, force: true });
    if (prefix) await deleteRedisKeys(redisUrl, `${prefix}:*`);
  });

  async function say(token: string, text: string): Promise<void> {
    const res = await fetch(`${url}/api/say`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ text }),
    });
    if (res.status !== 200) throw new Error(`say "${text}" → ${res.status} ${await res.text()}`);
  }

  async function stateWhen(
    ok: (state: string) => boolean,
    timeoutMs: number,
  ): Promise<{ id: string; state: string }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const [row] = await store!.listRequests({ requester: 'alice', limit: 10 });
      if (row && ok(row.state)) return { id: row.id, state: row.state };
      if (Date.now() > deadline)
        throw new Error(
          `timed out in state ${row?.state ?? 'none'}\n` +
            processes.map((p) => p.output().slice(-4000)).join('\n---\n'),
        );
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('exits 0 within 5 s, and a new process with the same config brings the grant to done', async () => {
    await say(tokens.alice, `grant pod SG to app ${app.app} in ${app.namespace}`);
    const { id } = await stateWhen((s) => s !== 'planning', 30_000);
    expect((await store!.getRequest(id))?.state).toBe('awaitingApproval');

    // Each new pod takes 3 s and none may go before its successor is up: the rollout takes ~12 s.
    simulator.configureKubelet({ startLatencyMs: 3000 });
    await say(tokens.bob, `approve ${id}`);
    await stateWhen((s) => s === 'recreatePods' || terminal.includes(s), 30_000);
    expect((await store!.getRequest(id))?.state).toBe('recreatePods');
    await new Promise((r) => setTimeout(r, 500)); // let the step's watch start

    const first = processes[0]!;
    const end = await first.terminate(15_000);
    console.log(`SIGTERM during recreatePods: exited ${JSON.stringify(end.code)} after ${end.ms} ms`);
    expect({ code: end.code, signal: end.signal }).toEqual({ code: 0, signal: null });
    expect(end.ms).toBeLessThanOrEqual(5_000);
    expect(processExists(first.pid)).toBe(false);
    const between = (await store!.getRequest(id))?.state;
    expect(between).toBe('recreatePods');

    const second = startSgopsProcess(configPath);
    processes.push(second);
    const restarted = Date.now();
    await second.ready(url, 60_000);
    const ended = await stateWhen((s) => terminal.includes(s), 60_000);
    console.log(
      `  the new process finished it ${Date.now() - restarted} ms after it started: ${ended.state}`,
    );
    expect(ended.state).toBe('done');

    expect(
      grantedWorldProblems(emulator.state(), simulator, {
        clusterId,
        clusterGroupName: `tke-worker-security-for-${clusterId}`,
        apps: [app],
      }),
    ).toEqual([]);
    const pods = simulator
      .list('pods', app.namespace, { labelSelector: `app=${app.app}` })
      .filter((p) => !p.metadata.deletionTimestamp);
    expect(pods).toHaveLength(replicas);
  }, 120_000);
});
