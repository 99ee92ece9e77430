import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { queueNames } from '../../../src/engine/queues.ts';
import type { RequestRow } from '../../../src/store/store.ts';
import { sandboxGrantProblems } from '../../helpers/granted-world-problems.ts';
import { processExists } from '../../helpers/sgops-process.ts';
import { startProcessWorld, terminalStates as terminal } from '../../helpers/process-world.ts';
import type { ProcessWorld } from '../../helpers/process-world.ts';

/**
 * Issue 7's acceptance: two `sgops start` processes share 20 grants; one is SIGKILLed mid-flight. The
 * survivor finishes all 20 (the killed process's jobs come back when their short locks expire), and
 * each write was made once: the emulator holds one pod group per app with exactly its rules, and the
 * audit shows one successful CreateSecurityGroup per request.
 */
// One namespace per app, as in the stress test: the simulator re-lists a namespace's pods per ReplicaSet.
const apps = Array.from({ length: 20 }, (_, i) => {
  const n = String(i + 1).padStart(2, '0');
  return { app: `app-${n}`, namespace: `team-${n}` };
});
const beforeApproval = new Set(['planning', 'awaitingApproval']);

describe('one of two sgops processes SIGKILLed in the middle of 20 grants', () => {
  let world: ProcessWorld;

  beforeAll(async () => {
    world = await startProcessWorld({
      name: 'durability-sigkill',
      apps,
      replicas: 2,
      emulator: { quotas: { groupsPerRegion: 200, rulesPerDirection: 500 } },
      // Short locks so the killed process's active jobs are re-delivered to the survivor in seconds;
      // many attempts because 20 approvals race for one cluster group's rule version.
      workflow: {
        stepAttempts: 20,
        stepBackoffMs: 50,
        pollDelayMs: 200,
        rolloutWaitMs: 2000,
        lockDurationMs: 5000,
        stalledIntervalMs: 5000,
        reconcileMs: 2000,
        outboxSweepMs: 500,
        approvalTimeoutMs: 600_000,
      },
    });
    await Promise.all([world.start(0), world.start(1)]);
  }, 90_000);

  afterAll(async () => {
    await world?.stop();
  });

  const requestsWhen = async (ready: (rows: RequestRow[]) => boolean, timeoutMs: number) => [
    ...(await world.requestsWhen((byApp) => ready([...byApp.values()]), timeoutMs)).values(),
  ];

  /** Step jobs BullMQ holds as active: those of the killed process stay there until their locks expire. */
  async function activeStepJobs(): Promise<string[]> {
    const redis = new Redis(world.redisUrl);
    try {
      return await redis.lrange(`${world.prefix}:${queueNames.steps}:active`, 0, -1);
    } finally {
      redis.disconnect();
    }
  }

  it('finishes all 20 on the survivor, with every cloud write made once', async () => {
    const started = Date.now();
    await Promise.all(
      apps.map(({ app, namespace }) => world.say('alice', `grant pod SG to app ${app} in ${namespace}`, 1)),
    );
    const planned = await requestsWhen(
      (rows) => rows.length === apps.length && rows.every((r) => r.state !== 'planning'),
      60_000,
    );
    expect(planned.filter((r) => r.state !== 'awaitingApproval')).toEqual([]);

    // Slow pods keep recreatePods watching on both processes when the kill comes.
    world.simulator.configureKubelet({ startLatencyMs: 1500 });
    const [firstHalf, secondHalf] = [planned.slice(0, 10), planned.slice(10)];
    await Promise.all(firstHalf.map((r) => world.say('bob', `approve ${r.id}`, 1)));
    const firstIds = new Set(firstHalf.map((r) => r.id));
    await requestsWhen(
      (rows) => rows.filter((r) => firstIds.has(r.id)).every((r) => !beforeApproval.has(r.state)),
      30_000,
    );
    // The other half is approved as the kill lands, so their first steps are in flight too.
    const approvingRest = Promise.all(secondHalf.map((r) => world.say('bob', `approve ${r.id}`, 1)));
    await new Promise((r) => setTimeout(r, 100));
    const victim = world.processes[0]!;
    await victim.kill();
    const atKill = await world.store.listRequests({ requester: 'alice', limit: 1000 });
    const active = await activeStepJobs();
    await approvingRest;
    const states: Record<string, number> = {};
    for (const r of atKill) states[r.state] = (states[r.state] ?? 0) + 1;
    console.log(
      `SIGKILLed process A with requests by state ${JSON.stringify(states)}; ` +
        `${active.length} step jobs active in Redis (A's until their locks expire): ${active.join(', ')}`,
    );
    expect(processExists(victim.pid)).toBe(false);
    expect(atKill.filter((r) => terminal.has(r.state)).length).toBeLessThan(apps.length);

    const ended = await requestsWhen((rows) => rows.every((r) => terminal.has(r.state)), 75_000);
    console.log(`  all 20 ended ${Date.now() - started} ms after the first grant was asked`);
    expect(ended.filter((r) => r.state !== 'done').map((r) => `${r.id} ${r.state}`)).toEqual([]);

    expect(sandboxGrantProblems(world, apps)).toEqual([]);

    // From the audit: at most one successful CreateSecurityGroup per request, and every intent closed.
    // A request with no ok outcome must have one closed INTERRUPTED (the killed process died between
    // the cloud's answer and the outcome row), and its one group must carry its created-by tag.
    const audit = (await world.store.listAudit()).filter(
      (r) => r.system === 'tencentcloud' && r.action === 'CreateSecurityGroup',
    );
    const closed = new Set(audit.filter((r) => r.kind === 'outcome').map((r) => r.callId));
    const groups = world.emulator.state().securityGroups;
    const problems: string[] = [];
    const unrecorded: string[] = [];
    for (const request of ended) {
      const mine = audit.filter((r) => r.requestId === request.id);
      const ok = mine.filter((r) => r.kind === 'outcome' && r.outcome === 'ok').length;
      const open = mine.filter((r) => r.kind === 'intent' && !closed.has(r.callId)).length;
      const interrupted = mine.filter((r) => r.kind === 'outcome' && r.outcome === 'INTERRUPTED').length;
      if (open > 0)
        problems.push(`${request.id} left ${open} CreateSecurityGroup intent(s) without an outcome`);
      const createdBy = groups.filter((g) => g.tags['sgops/created-by'] === request.id).length;
      if (ok > 1) problems.push(`${request.id} created a group ${ok} times`);
      if (createdBy !== 1) problems.push(`${request.id} is the creator of ${createdBy} groups`);
      if (ok === 0 && interrupted === 0)
        problems.push(`${request.id} has neither a recorded nor an interrupted create`);
      if (ok === 0) unrecorded.push(request.id);
    }
    console.log(
      `  CreateSecurityGroup ok once for ${ended.length - unrecorded.length} requests; ` +
        `made by the killed process with no outcome row for ${unrecorded.length}: ${unrecorded.join(', ')}`,
    );
    expect(problems).toEqual([]);
  }, 150_000);
});
