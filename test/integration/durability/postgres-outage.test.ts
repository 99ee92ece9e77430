import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyStoredAudit } from '../../../src/audit/verify-audit-trail.ts';
import { sandboxGrantProblems } from '../../helpers/granted-world-problems.ts';
import { emulatorWriteLog } from '../../helpers/emulator-write-log.ts';
import type { EmulatorWriteLog } from '../../helpers/emulator-write-log.ts';
import { processExists, startSgopsProcess } from '../../helpers/sgops-process.ts';
import type { SgopsProcess } from '../../helpers/sgops-process.ts';
import { startPrivatePostgres } from '../../helpers/private-postgres.ts';
import type { PrivatePostgres } from '../../helpers/private-postgres.ts';
import { startProcessWorld, terminalStates } from '../../helpers/process-world.ts';
import type { ProcessWorld } from '../../helpers/process-world.ts';

/**
 * Issue 15's outage acceptance: Postgres (a cluster of the test's own) is stopped for 10 s while
 * two `sgops start` replicas run 20 grants. No replica exits; a third replica started during the
 * outage waits for Postgres (its /readyz says so) instead of exiting, and serves once it is back.
 * Every grant ends `done` with its four cloud writes applied once, and the audit chain verifies.
 */
const apps = Array.from({ length: 21 }, (_, i) => {
  const n = String(i + 1).padStart(2, '0');
  return { app: `app-${n}`, namespace: `team-${n}` };
});
// The first 20 run through the outage; the last is asked of the replica started during it.
const outageApps = apps.slice(0, 20);
const lateApp = apps[20]!;
const outageMs = 10_000;
/** CreateSecurityGroup, the DNS rules into the cluster group, the pod group's ingress and egress. */
const writesPerGrant = 4;

describe('Postgres stopped for 10 s while two replicas run 20 grants', () => {
  let postgres: PrivatePostgres;
  let world: ProcessWorld;
  let writes: EmulatorWriteLog;
  let late: SgopsProcess | undefined;

  beforeAll(async () => {
    postgres = await startPrivatePostgres();
    world = await startProcessWorld({
      name: 'durability-pg-outage',
      apps,
      replicas: 3,
      databaseUrl: postgres.url,
      emulator: { quotas: { groupsPerRegion: 200, rulesPerDirection: 500 } },
      workflow: {
        stepAttempts: 20,
        stepBackoffMs: 200,
        pollDelayMs: 200,
        rolloutWaitMs: 2000,
        lockDurationMs: 5000,
        stalledIntervalMs: 5000,
        reconcileMs: 2000,
        outboxSweepMs: 500,
        approvalTimeoutMs: 600_000,
      },
    });
    writes = emulatorWriteLog(world.emulator);
    await Promise.all([world.start(0), world.start(1)]);
  }, 90_000);

  afterAll(async () => {
    await late?.kill();
    await world?.stop();
    await postgres?.destroy();
  });

  it('keeps every replica up, ends all 20 done with four writes each, and the audit verifies', async () => {
    await Promise.all(
      outageApps.map(({ app, namespace }, i) =>
        world.say('alice', `grant pod SG to app ${app} in ${namespace}`, i % 2),
      ),
    );
    const planned = await world.requestsWhen(
      (byApp) => byApp.size === outageApps.length && [...byApp.values()].every((r) => r.state !== 'planning'),
      60_000,
    );
    expect([...planned.values()].filter((r) => r.state !== 'awaitingApproval')).toEqual([]);

    // Slow cloud answers and slow pods keep steps in flight on both replicas when Postgres stops.
    world.emulator.faults.configure({ seed: 15, latencyMs: 150 });
    world.simulator.configureKubelet({ startLatencyMs: 1500 });
    await Promise.all([...planned.values()].map((r, i) => world.say('bob', `approve ${r.id}`, i % 2)));
    // Stop once half of them run their steps; the others' approvals land during the outage.
    await world.requestsWhen(
      (byApp) =>
        [...byApp.values()].filter((r) => r.state !== 'awaitingApproval').length >= outageApps.length / 2,
      30_000,
    );

    const atStop = await world.store.listRequests({ requester: 'alice', limit: 1000 });
    // The third replica is launched as Postgres stops: it boots (seconds) into the outage.
    late = startSgopsProcess(world.configPaths[2]!);
    await postgres.stop();
    const stoppedAt = Date.now();
    const states: Record<string, number> = {};
    for (const r of atStop) states[r.state] = (states[r.state] ?? 0) + 1;
    console.info(`Postgres stopped with requests by state ${JSON.stringify(states)}`);
    expect(atStop.filter((r) => terminalStates.has(r.state)).length).toBeLessThan(outageApps.length);

    // The replica started during the outage waits, and says why on /readyz.
    const waiting = await late.firstReadyz(world.urls[2]!, 30_000);
    expect(waiting.status).toBe(503);
    expect(JSON.parse(waiting.body)).toMatchObject({
      ready: false,
      checks: { postgres: expect.stringMatching(/^waiting for Postgres/) },
    });

    await new Promise((r) => setTimeout(r, Math.max(0, outageMs - (Date.now() - stoppedAt))));
    const replicas = [...world.processes, late];
    expect(replicas.filter((p) => !processExists(p.pid)).map((p) => p.output().slice(-2000))).toEqual([]);
    await postgres.start();
    console.info(`Postgres started again after ${Date.now() - stoppedAt} ms`);

    await late.ready(world.urls[2]!, 60_000);
    await world.say('alice', `grant pod SG to app ${lateApp.app} in ${lateApp.namespace}`, 2);
    const lateAsked = await world.requestsWhen(
      (byApp) => byApp.get(lateApp.app)?.state === 'awaitingApproval',
      30_000,
    );
    await world.say('bob', `approve ${lateAsked.get(lateApp.app)!.id}`, 2);

    const ended = await world.requestsWhen(
      (byApp) => byApp.size === apps.length && [...byApp.values()].every((r) => terminalStates.has(r.state)),
      120_000,
    );
    console.info(`all ${apps.length} ended ${Date.now() - stoppedAt} ms after Postgres stopped`);
    expect([...ended.values()].filter((r) => r.state !== 'done').map((r) => `${r.id} ${r.state}`)).toEqual(
      [],
    );
    expect(replicas.filter((p) => !processExists(p.pid)).map((p) => p.pid)).toEqual([]);

    const applied = writes.applied();
    const perRequest = [...ended.values()].map((r) => ({
      id: r.id,
      writes: applied.filter((w) => JSON.stringify(w.params).includes(r.id)).map((w) => w.action),
    }));
    expect(perRequest.filter((r) => r.writes.length !== writesPerGrant)).toEqual([]);
    expect(applied.length).toBe(apps.length * writesPerGrant);
    expect(sandboxGrantProblems(world, apps)).toEqual([]);
    // The replicas never stopped, so no call's outcome was left unrecorded: the trail says what happened.
    const audit = await world.store.listAudit();
    expect(audit.filter((r) => r.outcome === 'INTERRUPTED').map((r) => `${r.requestId} ${r.action}`)).toEqual(
      [],
    );
    const chain = await verifyStoredAudit(world.store, world.auditKey);
    expect(chain).toMatchObject({ ok: true, broken: null });
    expect(chain.count).toBe(audit.length);
  }, 240_000);
});
