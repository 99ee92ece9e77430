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
import type { RequestRow, Store } from '../../../src/store/store.ts';
import { clusterId, credentials } from '../../helpers/test-world.ts';
import { dropSchema, testDatabaseUrl, uniqueSchema } from '../../helpers/pg.ts';
import { deploySuperNodeApps } from '../../helpers/deploy-super-node-apps.ts';
import { grantedWorldProblems } from '../../helpers/granted-world-problems.ts';
import { formatRatePeaks, ratePeaks } from '../../helpers/rate-peaks.ts';
import { cloudCallLedger } from '../../helpers/cloud-call-ledger.ts';
import { writeProcessConfig } from '../../helpers/process-config.ts';
import { processExists, startSgopsProcess } from '../../helpers/sgops-process.ts';
import type { SgopsProcess } from '../../helpers/sgops-process.ts';

/**
 * Issue 4's replica acceptance: two real `sgops start` processes share one Postgres schema, one Redis
 * prefix (BullMQ and the rate budget) and one emulated account whose own per-action rate limits are
 * on. Alice asks through process A's console, Bob approves through process B's; the emulator's
 * per-second counts show no action above its documented limit, and the audit shows no throttle.
 * Replies live in the memory of whichever process's chat worker answered, so the test reads
 * request states from Postgres instead.
 */
// One namespace per app, as in faults.test.ts: the simulator re-lists a namespace's pods per ReplicaSet on every pass.
const apps = Array.from({ length: 50 }, (_, i) => {
  const n = String(i + 1).padStart(2, '0');
  return { app: `app-${n}`, namespace: `team-${n}` };
});
const tokens = {
  alice: `alice-${randomBytes(16).toString('hex')}`,
  bob: `bob-${randomBytes(16).toString('hex')}`,
};
const auditKey = 'test-audit-key-0123456789abcdef';
const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** The queues and rate budget the two processes shared, gone with the test. */
async function deleteRedisKeys(url: string, pattern: string): Promise<void> {
  const redis = new Redis(url);
  try {
    for await (const keys of redis.scanStream({ match: pattern, count: 500 }) as AsyncIterable<string[]>)
      if (keys.length > 0) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}

describe('two sgops processes carrying 50 grants together', () => {
  let emulator: TencentCloudEmulator;
  let simulator: KubernetesSimulator;
  let cloudUrl = '';
  let store: Store | undefined;
  let dir = '';
  let prefix = '';
  const schema = uniqueSchema('stress-two-processes');
  const processes: SgopsProcess[] = [];
  const urls: string[] = [];

  beforeAll(async () => {
    emulator = createTencentCloudEmulator({
      credentials: [credentials],
      seed: sandboxCloudSeed(clusterId),
      quotas: { groupsPerRegion: 200, rulesPerDirection: 500 },
    });
    cloudUrl = (await emulator.start()).url;
    simulator = createKubernetesSimulator({ podStartLatencyMs: 30 });
    const kubeUrl = (await simulator.start()).url;
    await seedSampleWorld(simulator);
    await deploySuperNodeApps(simulator, apps);

    dir = await mkdtemp(path.join(tmpdir(), 'sgops-two-processes-'));
    prefix = `sgops-test-two-${randomBytes(4).toString('hex')}`;
    for (const name of ['a', 'b']) {
      const { configPath, url } = await writeProcessConfig({
        dir,
        name,
        redisUrl,
        prefix,
        schema,
        cloudUrl,
        kubeUrl,
        auditKey,
        tokens,
        namespaces: apps.map((a) => a.namespace),
        // 50 approvals at once race for one cluster group, and each VersionMismatch costs a step run
        // (up to 6 for one request seen here, against the default 8 attempts): keep a margin.
        workflow: { stepAttempts: 20, stepBackoffMs: 50, pollDelayMs: 100, approvalTimeoutMs: 600_000 },
      });
      processes.push(startSgopsProcess(configPath));
      urls.push(url);
    }
    await Promise.all(processes.map((p, i) => p.ready(urls[i]!, 60_000)));
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

  async function say(url: string, token: string, text: string): Promise<void> {
    const res = await fetch(`${url}/api/say`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ text }),
    });
    if (res.status !== 200) throw new Error(`say "${text}" → ${res.status} ${await res.text()}`);
  }

  /** Alice's requests per app, once `ready` holds for all of them. */
  async function requestsWhen(
    ready: (rows: Map<string, RequestRow>) => boolean,
    timeoutMs: number,
  ): Promise<Map<string, RequestRow>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const rows = await store!.listRequests({ requester: 'alice', limit: 1000 });
      const byApp = new Map(rows.map((r) => [(r.spec as { target: { app: string } }).target.app, r]));
      if (ready(byApp)) return byApp;
      if (Date.now() > deadline) {
        const states: Record<string, number> = {};
        for (const r of byApp.values()) states[r.state] = (states[r.state] ?? 0) + 1;
        throw new Error(
          `timed out; ${byApp.size} requests by state ${JSON.stringify(states)}\n` +
            processes.map((p) => p.output().slice(-4000)).join('\n---\n'),
        );
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  it('brings 50 grants asked on A and approved on B to done, never above a documented rate and never throttled', async () => {
    const started = Date.now();
    await Promise.all(
      apps.map(({ app, namespace }) =>
        say(urls[0]!, tokens.alice, `grant pod SG to app ${app} in ${namespace}`),
      ),
    );
    const planned = await requestsWhen(
      (rows) => rows.size === apps.length && [...rows.values()].every((r) => r.state !== 'planning'),
      60_000,
    );
    expect([...planned.values()].filter((r) => r.state !== 'awaitingApproval')).toEqual([]);
    await Promise.all([...planned.values()].map((r) => say(urls[1]!, tokens.bob, `approve ${r.id}`)));
    const terminal = new Set([
      'done',
      'needsAttention',
      'failed',
      'rolledBack',
      'denied',
      'expired',
      'cancelled',
    ]);
    const ended = await requestsWhen(
      (rows) => [...rows.values()].every((r) => terminal.has(r.state)),
      90_000,
    );
    const wallMs = Date.now() - started;
    expect([...ended.values()].filter((r) => r.state !== 'done').map((r) => `${r.id} ${r.state}`)).toEqual(
      [],
    );

    const perSecond = (await (await fetch(`${cloudUrl}/_admin/calls/per-second`)).json()) as Record<
      string,
      Record<string, number>
    >;
    const peaks = ratePeaks(perSecond);
    console.log(`two processes, 50 grants: ${wallMs} ms wall\n${formatRatePeaks(peaks)}`);
    expect(peaks.filter((p) => p.peak > p.limit)).toEqual([]);

    const audit = await store!.listAudit();
    const ledger = cloudCallLedger(audit);
    const mismatches = audit.filter((r) => r.kind === 'outcome' && r.outcome === 'CLOUD_VERSION_MISMATCH');
    const perRequest = new Map<string, number>();
    for (const r of mismatches) perRequest.set(r.requestId!, (perRequest.get(r.requestId!) ?? 0) + 1);
    console.log(
      `  answered ${JSON.stringify(ledger.answered)}, unanswered ${JSON.stringify(ledger.unanswered)}\n` +
        `  version mismatches met and recovered from: ${mismatches.length} ` +
        `(at most ${Math.max(0, ...perRequest.values())} for one request)`,
    );
    // No RequestLimitExceeded from the cloud, and no call our own limiter gave up on.
    expect(ledger.answered.CLOUD_THROTTLED ?? 0).toBe(0);
    expect(ledger.unanswered.CLOUD_THROTTLED ?? 0).toBe(0);
    // Every call the emulator answered is audited with its RequestId.
    expect(ledger.answeredTotal).toBe(Object.values(emulator.calls()).reduce((a, b) => a + b, 0));

    expect(
      grantedWorldProblems(emulator.state(), simulator, {
        clusterId,
        clusterGroupName: `tke-worker-security-for-${clusterId}`,
        apps,
      }),
    ).toEqual([]);
  }, 150_000);

  it('stops both processes on SIGTERM with exit code 0 within seconds, leaving no process behind', async () => {
    const ends = await Promise.all(processes.map((p) => p.terminate(10_000)));
    console.log(`  SIGTERM to exit: ${ends.map((e) => `${e.ms} ms`).join(', ')}`);
    expect(ends.map((e) => ({ code: e.code, signal: e.signal }))).toEqual([
      { code: 0, signal: null },
      { code: 0, signal: null },
    ]);
    expect(Math.max(...ends.map((e) => e.ms))).toBeLessThan(5_000);
    for (const p of processes) expect(processExists(p.pid)).toBe(false);
  }, 30_000);
});
