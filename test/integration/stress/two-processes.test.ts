import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxGrantProblems } from '../../helpers/granted-world-problems.ts';
import { formatRatePeaks, ratePeaks } from '../../helpers/rate-peaks.ts';
import { cloudCallLedger } from '../../helpers/cloud-call-ledger.ts';
import { processExists } from '../../helpers/sgops-process.ts';
import { startProcessWorld, terminalStates } from '../../helpers/process-world.ts';
import type { ProcessWorld } from '../../helpers/process-world.ts';

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

describe('two sgops processes carrying 50 grants together', () => {
  let world: ProcessWorld;

  beforeAll(async () => {
    world = await startProcessWorld({
      name: 'stress-two-processes',
      apps,
      replicas: 2,
      emulator: { quotas: { groupsPerRegion: 200, rulesPerDirection: 500 } },
      // 50 approvals at once race for one cluster group, and each VersionMismatch costs a step run
      // (up to 6 for one request seen here, against the default 8 attempts): keep a margin.
      workflow: { stepAttempts: 20, stepBackoffMs: 50, pollDelayMs: 100, approvalTimeoutMs: 600_000 },
    });
    await Promise.all([world.start(0), world.start(1)]);
  }, 90_000);

  afterAll(async () => {
    await world?.stop();
  });

  it('brings 50 grants asked on A and approved on B to done, never above a documented rate and never throttled', async () => {
    const started = Date.now();
    await Promise.all(
      apps.map(({ app, namespace }) => world.say('alice', `grant pod SG to app ${app} in ${namespace}`, 0)),
    );
    const planned = await world.requestsWhen(
      (rows) => rows.size === apps.length && [...rows.values()].every((r) => r.state !== 'planning'),
      60_000,
    );
    expect([...planned.values()].filter((r) => r.state !== 'awaitingApproval')).toEqual([]);
    await Promise.all([...planned.values()].map((r) => world.say('bob', `approve ${r.id}`, 1)));
    const ended = await world.requestsWhen(
      (rows) => [...rows.values()].every((r) => terminalStates.has(r.state)),
      90_000,
    );
    const wallMs = Date.now() - started;
    expect([...ended.values()].filter((r) => r.state !== 'done').map((r) => `${r.id} ${r.state}`)).toEqual(
      [],
    );

    const perSecond = (await (await fetch(`${world.cloud.adminUrl}/calls/per-second`)).json()) as Record<
      string,
      Record<string, number>
    >;
    const peaks = ratePeaks(perSecond);
    console.log(`two processes, 50 grants: ${wallMs} ms wall\n${formatRatePeaks(peaks)}`);
    expect(peaks.filter((p) => p.peak > p.limit)).toEqual([]);

    const audit = await world.store.listAudit();
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
    expect(ledger.answeredTotal).toBe(Object.values(world.emulator.calls()).reduce((a, b) => a + b, 0));

    expect(sandboxGrantProblems(world, apps)).toEqual([]);
  }, 150_000);

  it('stops both processes on SIGTERM with exit code 0 within seconds, leaving no process behind', async () => {
    const ends = await Promise.all(world.processes.map((p) => p.terminate(10_000)));
    console.log(`  SIGTERM to exit: ${ends.map((e) => `${e.ms} ms`).join(', ')}`);
    expect(ends.map((e) => ({ code: e.code, signal: e.signal }))).toEqual([
      { code: 0, signal: null },
      { code: 0, signal: null },
    ]);
    expect(Math.max(...ends.map((e) => e.ms))).toBeLessThan(5_000);
    for (const p of world.processes) expect(processExists(p.pid)).toBe(false);
  }, 30_000);
});
