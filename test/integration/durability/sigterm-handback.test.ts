import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { queueNames } from '../../../src/engine/queues.ts';
import { configSchema } from '../../../src/config.ts';
import { verifyStoredAudit } from '../../../src/audit/verify-audit-trail.ts';
import type { RequestRow } from '../../../src/store/store.ts';
import { sandboxGrantProblems } from '../../helpers/granted-world-problems.ts';
import { emulatorWriteLog } from '../../helpers/emulator-write-log.ts';
import type { EmulatorWriteLog } from '../../helpers/emulator-write-log.ts';
import { startProcessWorld, terminalStates } from '../../helpers/process-world.ts';
import type { ProcessWorld } from '../../helpers/process-world.ts';
import { until } from '../../helpers/until.ts';

/**
 * Issue 15's failover acceptance, with two real `sgops start` replicas and every cloud call
 * answered 150 ms after it applied, so steps are mid-flight when a replica goes:
 *
 * - SIGTERM: the stopping replica finishes the call each step is in, starts no other and hands the
 *   step back; the other replica has finished every handed-back step within 5 s of the signal.
 * - `kill -9`, with the DEFAULT lock settings (10 s lock, 5 s stalled check): the survivor takes
 *   the killed replica's steps within lockDuration + stalledInterval = 15 s of the kill.
 *
 * Every grant ends `done` with each write applied once, and the audit chain verifies.
 */
const apps = Array.from({ length: 12 }, (_, i) => {
  const n = String(i + 1).padStart(2, '0');
  return { app: `app-${n}`, namespace: `team-${n}` };
});
const [termApps, killApps] = [apps.slice(0, 6), apps.slice(6)];
const defaults = configSchema.shape.workflow.parse({});
const takeoverBoundMs = defaults.lockDurationMs + defaults.stalledIntervalMs;

/** The log lines of one process (pino JSON) that carry `msg`. */
function logLines(
  output: string,
  msg: string,
): { time: number; jobId?: string; requestId?: string; step?: string }[] {
  return output
    .split('\n')
    .filter((line) => line.includes(msg))
    .map((line) => JSON.parse(line) as { time: number; jobId?: string; requestId?: string; step?: string });
}

describe('a busy replica stopped (SIGTERM) or killed (kill -9)', () => {
  let world: ProcessWorld;
  let writes: EmulatorWriteLog;
  /** Each request's states as seen every 50 ms: when it was first seen in which state. */
  const seen = new Map<string, { state: string; at: number }[]>();
  let watching = true;
  let watcher: Promise<void> = Promise.resolve();

  beforeAll(async () => {
    world = await startProcessWorld({
      name: 'durability-handback',
      apps,
      replicas: 2,
      emulator: { quotas: { groupsPerRegion: 200, rulesPerDirection: 500 } },
      // The lock settings are the defaults: the kill -9 bound is the one operators get.
      workflow: {
        stepAttempts: 20,
        // Six steps held on two replicas of four steps each: each replica holds at least two.
        stepConcurrency: 4,
        stepBackoffMs: 50,
        pollDelayMs: 200,
        rolloutWaitMs: 2000,
        reconcileMs: 2000,
        outboxSweepMs: 500,
        approvalTimeoutMs: 600_000,
      },
      // Hand-backs are logged at info.
      config: { logLevel: 'info' },
    });
    await Promise.all([world.start(0), world.start(1)]);
    writes = emulatorWriteLog(world.emulator);
    watcher = (async () => {
      while (watching) {
        const rows = await world.store.listRequests({ requester: 'alice', limit: 1000 });
        const at = Date.now();
        for (const r of rows) {
          const history = seen.get(r.id) ?? [];
          if (history.at(-1)?.state !== r.state) history.push({ state: r.state, at });
          seen.set(r.id, history);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
  }, 90_000);

  afterAll(async () => {
    watching = false;
    await watcher;
    await world?.stop();
  });

  /** When `requestId` was first seen past `step` (in a later state), after `since`. */
  const movedOnAt = (requestId: string, step: string, since: number) =>
    seen.get(requestId)?.find((h) => h.at >= since && h.state !== step)?.at;

  /**
   * Opens and approves one grant per app, with the answer to each one's first work call (its
   * ensurePodSecurityGroup read) held: resolves once all are held, every step mid-call on one
   * replica or the other. `release` lets them answer.
   */
  async function grantsHeldMidStep(batch: typeof apps, via: number) {
    const names = new Set(batch.map((a) => a.app));
    await Promise.all(
      batch.map(({ app, namespace }) =>
        world.say('alice', `grant pod SG to app ${app} in ${namespace}`, via),
      ),
    );
    const planned = await world.requestsWhen(
      (byApp) => [...names].every((n) => byApp.get(n) && byApp.get(n)!.state !== 'planning'),
      60_000,
    );
    const requests = [...planned].filter(([app]) => names.has(app)).map(([, r]) => r);
    expect(requests.filter((r) => r.state !== 'awaitingApproval')).toEqual([]);
    const holds = requests.map((r) =>
      world.emulator.holds.arm({
        action: 'DescribeSecurityGroups',
        when: 'after',
        contains: (r.spec as { podGroupName: string }).podGroupName,
      }),
    );
    await Promise.all(requests.map((r) => world.say('bob', `approve ${r.id}`, via)));
    for (const hold of holds)
      expect((await world.emulator.holds.waitUntilHeld(hold.id, 30_000)).state).toBe('held');
    return {
      requests,
      release: () => {
        for (const hold of holds) world.emulator.holds.release(hold.id, 'go');
      },
    };
  }

  async function activeStepJobs(): Promise<string[]> {
    const redis = new Redis(world.redisUrl);
    try {
      return await redis.lrange(`${world.prefix}:${queueNames.steps}:active`, 0, -1);
    } finally {
      redis.disconnect();
    }
  }

  const allEnded = (batch: RequestRow[], timeoutMs: number) =>
    world.requestsWhen(
      (byApp) =>
        batch.every((r) =>
          terminalStates.has(byApp.get((r.spec as { target: { app: string } }).target.app)!.state),
        ),
      timeoutMs,
    );

  it('SIGTERM: the other replica finishes every step the stopping one handed back within 5 s', async () => {
    world.emulator.faults.configure({ seed: 1, latencyMs: 150 });
    const { requests: batch, release } = await grantsHeldMidStep(termApps, 1);
    const victim = world.processes[0]!;
    const active = await activeStepJobs();
    const signalAt = Date.now();
    const ending = victim.terminate(15_000);
    // The held calls answer once the stopping replica starts no new ones: each of its steps is mid-call.
    await until(
      'the stopping replica to close its workers',
      () => (victim.output().includes('workers closing') ? true : undefined),
      5_000,
      20,
    );
    release();
    const end = await ending;
    const output = victim.output();
    const handedBack = logLines(output, 'step handed back');
    const ended = await allEnded(batch, 60_000);

    const finishMs = handedBack.map((h) => {
      const at = movedOnAt(h.requestId!, h.step!, signalAt);
      return at === undefined ? Infinity : at - signalAt;
    });
    console.log(
      `SIGTERM with ${active.length} step jobs active: replica A exited ${JSON.stringify(end.code)} after ${end.ms} ms, ` +
        `handing back ${handedBack.length} (${handedBack.map((h) => h.step).join(', ')}); ` +
        `B had each past its step ${finishMs.join(', ')} ms after the signal (max ${Math.max(...finishMs)} ms)`,
    );
    expect(end).toMatchObject({ code: 0, signal: null });
    expect(output).not.toContain('did not close within the grace period');
    expect(handedBack.length).toBeGreaterThanOrEqual(2);
    expect(Math.max(...finishMs)).toBeLessThanOrEqual(5_000);
    expect([...ended.values()].filter((r) => batch.some((b) => b.id === r.id) && r.state !== 'done')).toEqual(
      [],
    );

    // A clean hand-back leaves no interrupted call: every intent has its outcome.
    const audit = (await world.store.listAudit()).filter((r) => batch.some((b) => b.id === r.requestId));
    expect(audit.filter((r) => r.outcome === 'INTERRUPTED')).toEqual([]);
    const closed = new Set(audit.filter((r) => r.kind === 'outcome').map((r) => r.callId));
    expect(audit.filter((r) => r.kind === 'intent' && !closed.has(r.callId))).toEqual([]);
    await world.start(0);
  }, 120_000);

  it(`kill -9: the survivor takes the killed replica's steps within ${takeoverBoundMs} ms (default locks)`, async () => {
    const { requests: batch, release } = await grantsHeldMidStep(killApps, 0);
    const victim = world.processes[1]!;
    const survivor = world.processes.at(-1)!;
    const active = await activeStepJobs();
    const killAt = Date.now();
    await victim.kill();
    release();
    const ended = await allEnded(batch, 90_000);
    world.emulator.faults.clear();

    const takenBack = logLines(survivor.output(), 'job taken back').filter((l) => l.time >= killAt);
    const takeoverMs = takenBack.map((l) => l.time - killAt);
    const finishMs = takenBack.map((l) => {
      const [requestId, step] = l.jobId!.split('.');
      const at = movedOnAt(requestId!, step!, killAt);
      return at === undefined ? Infinity : at - killAt;
    });
    console.log(
      `kill -9 with ${active.length} step jobs active: the survivor took back ${takenBack.length} ` +
        `(${takenBack.map((l) => l.jobId).join(', ')}) ${takeoverMs.join(', ')} ms after the kill ` +
        `(bound ${takeoverBoundMs} ms); each was past its step ${finishMs.join(', ')} ms after the kill`,
    );
    expect(takenBack.length).toBeGreaterThanOrEqual(2);
    // The bound, and the slack of the survivor's timers: its stalled check waits 5 s after each check
    // ends, and on a 2-core host running other test files beside it those timers fire late (18.2 s
    // seen once in CI, 12–13 s usually); a lock that never lapsed would still fail here.
    expect(Math.max(...takeoverMs)).toBeLessThanOrEqual(takeoverBoundMs * 1.4);
    expect([...ended.values()].filter((r) => batch.some((b) => b.id === r.id) && r.state !== 'done')).toEqual(
      [],
    );

    // Both batches: each app granted once, each write applied once, the chain intact.
    expect(sandboxGrantProblems(world, apps)).toEqual([]);
    const all = [...ended.values()];
    const perRequest = all.map(
      (r) => writes.applied().filter((w) => JSON.stringify(w.params).includes(r.id)).length,
    );
    console.log(`  applied writes per request: ${perRequest.join(' ')}`);
    expect(new Set(perRequest)).toEqual(new Set([4]));
    const chain = await verifyStoredAudit(world.store, world.auditKey);
    expect(chain).toMatchObject({ ok: true, broken: null });
  }, 150_000);
});
