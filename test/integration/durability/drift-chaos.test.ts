/**
 * Issue 19's chaos acceptance: two `sgops start` processes share Redis (their own BullMQ prefix),
 * Postgres and the stand-ins over HTTP, and one is SIGKILLed in the middle of the drift watch's
 * work, at a call the stand-ins hold so the kill lands exactly there:
 * 1. mid-sweep — two grants drifted; the sweep has told the first and waits on its read of the
 *    second grant's group when its replica dies. The survivor takes the sweep job over when its
 *    lock lapses: it tells the second grant and nobody hears of the first twice.
 * 2. mid-repair — after the cloud applied the rule write but before sgops read the answer; while
 *    the write waits unapplied (then dropped); after the simulator created the policy but before
 *    sgops read the answer. The survivor finishes each repair, `done`, and the stand-ins applied
 *    each write once: the re-run re-reads (a group in its write turn, the policy) and writes only
 *    what is still missing; the lost call is closed INTERRUPTED in the audit, and the repair still
 *    says what it put back.
 * Which replica runs a job is whatever BullMQ decides; the job's `processedBy` names it.
 */
import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Job, Queue } from 'bullmq';
import * as k8s from '@kubernetes/client-node';
import { kubeConfigFor } from '../../../adapters/kubernetes/index.ts';
import { createStoredConsoleHistory } from '../../../adapters/console/stored-console-history.ts';
import { driftQueueName } from '../../../src/app/drift-watch.ts';
import { queueNames } from '../../../src/engine/queues.ts';
import { cloudWriteActions } from '../../../src/ports/cloud-network.ts';
import type { AuditRow, RequestRow } from '../../../src/store/store.ts';
import { testDatabaseUrl, withSchemaClient } from '../../helpers/pg.ts';
import { processExists } from '../../helpers/sgops-process.ts';
import type { SgopsProcess } from '../../helpers/sgops-process.ts';
import { startProcessWorld, terminalStates } from '../../helpers/process-world.ts';
import type { ProcessWorld } from '../../helpers/process-world.ts';
import { armHold, heldWithin, releaseHold } from '../../helpers/stand-in-holds.ts';
import { until } from '../../helpers/until.ts';
import { sdkClients } from '../adapters/tencentcloud/sdk-clients.ts';
import { credentials } from '../../helpers/test-world.ts';

const apps = [
  { app: 'chaos-a', namespace: 'chaos-a' },
  { app: 'chaos-b', namespace: 'chaos-b' },
];
const clusterGroupId = 'sg-sandbox1';
const sgp = {
  group: 'vpcresources.tke.cloud.tencent.com',
  version: 'v1beta1',
  plural: 'securitygrouppolicies',
};
const found = /no longer matches what was approved|与批准时的状态不一致/;
const cleared = /matches what was approved again|已恢复为批准时的状态/;
/** Generous: a SIGKILLed replica's jobs come back when their locks lapse, on a loaded 2-core host. */
const failoverMs = 90_000;

describe('the drift watch and repair with a replica SIGKILLed', () => {
  let world: ProcessWorld;
  /** The running process of each replica (a killed one is started again for the next story). */
  const live: SgopsProcess[] = [];
  let drift: Queue;
  let steps: Queue;
  const grants = { a: '', b: '' };
  const podGroups = { a: '', b: '' };

  beforeAll(async () => {
    world = await startProcessWorld({
      name: 'drift-chaos',
      apps,
      replicas: 2,
      // Short locks so a killed replica's jobs come back within seconds.
      workflow: {
        stepAttempts: 20,
        stepBackoffMs: 50,
        pollDelayMs: 200,
        rolloutWaitMs: 1500,
        lockDurationMs: 5000,
        stalledIntervalMs: 1000,
        reconcileMs: 2000,
        outboxSweepMs: 500,
        approvalTimeoutMs: 600_000,
      },
      // The scheduled sweep is far away and the watches are off: the test queues each sweep it
      // means, so none runs unasked (a watch that hears the rollouts' pods would ask for more).
      config: { drift: { sweepMs: 600_000, watch: false } },
    });
    live.push(...(await Promise.all([world.start(0), world.start(1)])));
    const redis = new URL(world.redisUrl);
    const connection = { host: redis.hostname, port: Number(redis.port || 6379) };
    drift = new Queue(driftQueueName, { connection, prefix: world.prefix });
    steps = new Queue(queueNames.steps, { connection, prefix: world.prefix });

    for (const { app, namespace } of apps)
      await world.say('alice', `grant pod SG to app ${app} in ${namespace}`);
    const planned = await world.requestsWhen(
      (rows) => apps.every(({ app }) => rows.get(app)?.state === 'awaitingApproval'),
      60_000,
    );
    grants.a = planned.get('chaos-a')!.id;
    grants.b = planned.get('chaos-b')!.id;
    for (const id of [grants.a, grants.b]) await world.say('bob', `approve ${id}`);
    const ended = await world.requestsWhen(
      (rows) => apps.every(({ app }) => terminalStates.has(rows.get(app)!.state)),
      90_000,
    );
    expect(apps.map(({ app }) => ended.get(app)!.state)).toEqual(['done', 'done']);
    const groupOf = (a: (typeof apps)[number]) =>
      world.emulator.state().securityGroups.find((g) => g.name === `sgops-${a.namespace}-${a.app}`)!.id;
    podGroups.a = groupOf(apps[0]!);
    podGroups.b = groupOf(apps[1]!);
  }, 240_000);

  afterAll(async () => {
    await drift?.close();
    await steps?.close();
    await world?.stop();
  });

  const vpc = () => sdkClients(world.cloud.url, credentials).vpc;
  const kube = () => kubeConfigFor({ server: world.kube.url }).makeApiClient(k8s.CustomObjectsApi);
  const ingressOf = async (groupId: string) =>
    (await vpc().DescribeSecurityGroupPolicies({ SecurityGroupId: groupId })).SecurityGroupPolicySet!
      .Ingress!;
  const dnsRulesOfA = async () =>
    (await ingressOf(clusterGroupId)).filter((r) => r.Port === '53' && r.SecurityGroupId === podGroups.a);
  const podRuleOfB = async () =>
    (await ingressOf(podGroups.b)).filter(
      (r) => r.PolicyDescription === `sgops ${grants.b}: pods of this group`,
    );
  const deleteIngress = async (groupId: string, rules: { PolicyIndex?: number }[]) =>
    vpc().DeleteSecurityGroupPolicies({
      SecurityGroupId: groupId,
      SecurityGroupPolicySet: { Ingress: rules.map((r) => ({ PolicyIndex: r.PolicyIndex })) },
    });

  const history = () => createStoredConsoleHistory(world.store);
  /** The console messages kept for a person about a request that match `pattern`. */
  const toldTo = async (person: string, requestId: string, pattern: RegExp) =>
    (await history().list({ conversationId: person, limit: 10_000 })).filter(
      (m) => m.requestId === requestId && pattern.test(m.text),
    );
  /** Until a person was told of the request (once or more: the test counts afterwards). */
  const heardOf = (person: string, requestId: string, pattern: RegExp) =>
    until(
      `${person} told of ${requestId} (${pattern})`,
      async () => ((await toldTo(person, requestId, pattern)).length >= 1 ? true : undefined),
      30_000,
    );
  /** The messages of this kind a person was told more than once about the same request (same text). */
  async function toldTwice(pattern: RegExp): Promise<string[]> {
    const counts = new Map<string, number>();
    for (const m of await history().list({ limit: 10_000 }))
      if (m.requestId && pattern.test(m.text)) {
        const key = `${m.conversationId} ${m.requestId}: ${m.text}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    return [...counts].filter(([, n]) => n > 1).map(([key, n]) => `${key} ×${n}`);
  }

  /** The process of replica `index` whose name BullMQ recorded as a job's `processedBy`. */
  function replicaRunning(job: Job | undefined): number {
    const pid = Number(job?.processedBy?.split(':').at(-1));
    const index = live.findIndex((p) => p.pid === pid);
    if (index < 0) throw new Error(`job ${job?.id} is run by ${job?.processedBy}, no live replica`);
    return index;
  }

  /** SIGKILLs replica `index`'s process; the test starts it again once the story is told. */
  async function kill(index: number): Promise<SgopsProcess> {
    const victim = live[index]!;
    await victim.kill();
    expect(processExists(victim.pid)).toBe(false);
    return victim;
  }

  /**
   * Until no sweep is queued or running but the scheduler's next one (ten minutes away), and none
   * was asked for over a few seconds: longer than a heard change waits for its sweep, so a policy
   * change heard late (a watch that starts tells every policy at once) has asked for its sweep.
   */
  const sweepsQuiet = async () => {
    let quiet: { since: number; ids: string } | null = null;
    await until(
      'no drift sweep asked for, queued or running',
      async () => {
        const jobs = await drift.getJobs([
          'waiting',
          'active',
          'prioritized',
          'delayed',
          'completed',
          'failed',
        ]);
        const pending = jobs.filter(
          (j) => !j.finishedOn && !(j.id?.startsWith('repeat:') && j.delay > 60_000),
        );
        const ids = jobs
          .map((j) => j.id)
          .sort()
          .join(' ');
        if (pending.length > 0 || quiet?.ids !== ids)
          quiet = pending.length > 0 ? null : { since: Date.now(), ids };
        return quiet && Date.now() - quiet.since > 3_000 ? true : undefined;
      },
      60_000,
      250,
    );
  };
  /** Until no notification is waiting or being sent. */
  const notifyQuiet = async () => {
    const notify = new Queue(queueNames.notify, { connection: drift.opts.connection, prefix: world.prefix });
    try {
      await until(
        'notifications sent',
        async () => {
          const c = await notify.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
          return Object.values(c).every((n) => n === 0) ? true : undefined;
        },
        30_000,
        200,
      );
    } finally {
      await notify.close();
    }
  };
  /** Queues one sweep, as the scheduler does, and waits until some replica finished it. */
  async function sweepNow(jobId: string): Promise<Job> {
    await drift.add('sweep', {}, { jobId });
    return finished(jobId, 60_000);
  }
  const finished = (jobId: string, timeoutMs: number) =>
    until(
      `drift sweep ${jobId} finished`,
      async () => {
        const job = await Job.fromId(drift, jobId);
        if (job?.failedReason) throw new Error(`sweep ${jobId} failed: ${job.failedReason}`);
        return job?.finishedOn ? job : undefined;
      },
      timeoutMs,
      200,
    );

  /** The outbox rows of drift reports each grant made: what the store says was told, once per change. */
  async function driftReportsInStore(): Promise<Record<string, number>> {
    const rows = await withSchemaClient(testDatabaseUrl, world.schema, (c) =>
      c.query<{ request_id: string; effect: unknown }>(
        'select request_id, effect from outbox where request_id = any($1)',
        [[grants.a, grants.b]],
      ),
    );
    const counts: Record<string, number> = { [grants.a]: 0, [grants.b]: 0 };
    for (const r of rows.rows)
      if (JSON.stringify(r.effect).includes('"driftFound"')) counts[r.request_id] = counts[r.request_id]! + 1;
    return counts;
  }

  it('killed mid-sweep: the survivor finishes the sweep, and each person hears each drift once', async () => {
    await sweepsQuiet();
    // Drift in both grants: the seed's step 8 for a (its DNS rules deleted), a rule of b's pod group.
    await deleteIngress(clusterGroupId, await dnsRulesOfA());
    await deleteIngress(podGroups.b, await podRuleOfB());
    expect(await dnsRulesOfA()).toEqual([]);

    // The sweep looks at a, then b: it is held reading b's pod group, after it told a.
    const armedAt = Date.now();
    const hold = await armHold(world.cloud.adminUrl, {
      action: 'DescribeSecurityGroupPolicies',
      when: 'before',
      contains: podGroups.b,
    });
    await drift.add('sweep', {}, { jobId: 'chaos-sweep' });
    await heldWithin(world.cloud.adminUrl, hold, 60_000, () => world.outputs());
    const victimIndex = replicaRunning(await Job.fromId(drift, 'chaos-sweep'));
    for (const person of ['alice', 'bob']) await heardOf(person, grants.a, found);
    await notifyQuiet();
    const [toldOfA] = await toldTo('alice', grants.a, found);
    expect(toldOfA!.text).toMatch(/DNS rule UDP 53 from sg-\w+ .*sg-sandbox1/);
    expect(toldOfA!.text).toMatch(/DNS rule TCP 53 from sg-\w+ .*sg-sandbox1/);
    // Still the victim's: its sweep waits on b, and nothing else looked at b (no other sweep ran).
    const atKill = (await Job.fromId(drift, 'chaos-sweep'))!;
    const sweepsSince = (await drift.getJobs(['completed', 'active'])).filter(
      (j) => j.id !== 'chaos-sweep' && (j.finishedOn ?? Infinity) >= armedAt,
    );
    expect({
      processedBy: atKill.processedBy,
      stalled: atKill.stalledCounter,
      otherSweeps: sweepsSince.map((j) => `${j.id} by ${j.processedBy}`),
      toldOfB: (await toldTo('alice', grants.b, found)).map((m) => m.text),
    }).toEqual({
      processedBy: `${hostname()}:${live[victimIndex]!.pid}`,
      stalled: 0,
      otherSweeps: [],
      toldOfB: [],
    });

    const victim = await kill(victimIndex);
    await releaseHold(world.cloud.adminUrl, hold, 'drop');
    const killedAt = Date.now();
    const taken = await finished('chaos-sweep', failoverMs);
    const survivor = live[1 - victimIndex]!;
    console.log(
      `mid-sweep: replica ${victimIndex} (pid ${victim.pid}) killed holding the sweep; ` +
        `replica ${1 - victimIndex} finished it ${Date.now() - killedAt} ms later: ${JSON.stringify(taken.returnvalue)}`,
    );
    expect(taken.processedBy).toMatch(new RegExp(`:${survivor.pid}$`));
    // The survivor looked at both again; only b was news.
    expect(taken.returnvalue).toEqual({ grants: 2, drifted: 2, told: 1, failed: 0 });
    for (const person of ['alice', 'bob']) await heardOf(person, grants.b, found);

    // One more sweep finds the same and tells nobody.
    expect((await sweepNow('chaos-sweep-again')).returnvalue).toEqual({
      grants: 2,
      drifted: 2,
      told: 0,
      failed: 0,
    });
    await notifyQuiet();
    for (const person of ['alice', 'bob'])
      for (const id of [grants.a, grants.b]) expect(await toldTo(person, id, found)).toHaveLength(1);
    expect(await toldTwice(found)).toEqual([]);
    expect(await driftReportsInStore()).toEqual({ [grants.a]: 1, [grants.b]: 1 });
    // The survivor's own count: the one report it made (b); a's was the killed replica's.
    const metrics = await (await fetch(`${world.urls[1 - victimIndex]}/metrics`)).text();
    expect(metrics).toMatch(/^sgops_drift_reports_total 1$/m);

    live[victimIndex] = await world.start(victimIndex);
  }, 240_000);

  /** The repair alice asks for a grant, once it waits for sign-off. */
  async function askRepair(grantId: string): Promise<RequestRow> {
    await world.say('alice', `repair ${grantId}`);
    return until(
      `repair of ${grantId} planned`,
      async () => {
        const rows = await world.store.listRequests({ workflow: 'repair', limit: 100 });
        const mine = rows.find(
          (r) =>
            (r.spec as { grantRequestId?: string }).grantRequestId === grantId &&
            !terminalStates.has(r.state),
        );
        return mine?.state === 'awaitingApproval' ? mine : undefined;
      },
      60_000,
    );
  }
  const repairEnded = (id: string) =>
    until(
      `repair ${id} ended`,
      async () => {
        const row = await world.store.getRequest(id);
        return row && terminalStates.has(row.state) ? row.state : undefined;
      },
      failoverMs,
      200,
    );
  const cloudWrites = () =>
    Object.entries(world.emulator.calls()).filter(([action]) => cloudWriteActions.has(action));
  const kubeWrites = () =>
    Object.keys(world.simulator.calls()).filter((a) => /^(create|update|patch|delete) /.test(a));
  /** Every intent has exactly one outcome. */
  const unclosed = (rows: AuditRow[]) => {
    const outcomes = new Map<string, number>();
    for (const r of rows)
      if (r.kind === 'outcome' && r.callId) outcomes.set(r.callId, (outcomes.get(r.callId) ?? 0) + 1);
    return rows
      .filter((r) => r.kind === 'intent' && outcomes.get(r.callId!) !== 1)
      .map((r) => `${r.action} ${r.callId}: ${outcomes.get(r.callId!) ?? 0} outcomes`);
  };
  const writesOf = (rows: AuditRow[], outcome: string) =>
    rows.filter(
      (r) => r.kind === 'outcome' && r.action === 'CreateSecurityGroupPolicies' && r.outcome === outcome,
    ).length;

  /**
   * Approves the repair, waits until `hold` (at `adminUrl`, the emulator's or the simulator's) holds
   * the write of `step`, kills the replica running that step, drops the call, and waits for the end.
   */
  async function killMidRepair(
    repair: RequestRow,
    at: { adminUrl: string; hold: string; step: string },
    label: string,
  ): Promise<number> {
    world.emulator.resetCalls();
    world.simulator.resetCalls();
    await world.say('bob', `approve ${repair.id}`);
    await heldWithin(at.adminUrl, at.hold, 60_000, () => world.outputs());
    // A step the job before it carries on with (src/engine/carried-steps.ts) runs in that job.
    const stepJob = await Job.fromId(steps, `${repair.id}.${at.step}.1`);
    const carrier = (stepJob?.data as { carrier?: string } | undefined)?.carrier;
    const index = replicaRunning(carrier ? await Job.fromId(steps, carrier) : stepJob);
    const stateAtKill = (await world.store.getRequest(repair.id))!.state;
    const victim = await kill(index);
    await releaseHold(at.adminUrl, at.hold, 'drop');
    const killedAt = Date.now();
    expect(await repairEnded(repair.id)).toBe('done');
    console.log(
      `mid-repair (${label}): replica ${index} (pid ${victim.pid}) killed in ${stateAtKill}; ` +
        `replica ${1 - index} ended the repair done ${Date.now() - killedAt} ms later`,
    );
    expect(stateAtKill).toBe(at.step);
    return index;
  }

  it('killed mid-repair after the cloud applied the rule write: done, and the rules written once', async () => {
    const repair = await askRepair(grants.a);
    const hold = await armHold(world.cloud.adminUrl, {
      action: 'CreateSecurityGroupPolicies',
      when: 'after',
      contains: `${grants.a}: DNS from pods`,
    });
    const index = await killMidRepair(
      repair,
      { adminUrl: world.cloud.adminUrl, hold, step: 'restoreRules' },
      'write applied, answer lost',
    );

    // The cloud saw one write, which it applied before the kill; the survivor's re-run re-read the
    // group in its write turn, found both rules, and wrote nothing.
    expect(cloudWrites()).toEqual([['CreateSecurityGroupPolicies', 1]]);
    expect(kubeWrites()).toEqual([]);
    const dns = await dnsRulesOfA();
    expect(dns.map((r) => r.Protocol).sort()).toEqual(['TCP', 'UDP']);
    expect(dns.every((r) => r.PolicyDescription === `sgops ${grants.a}: DNS from pods`)).toBe(true);
    // The audit: the one write, closed as INTERRUPTED (its answer never came), no other.
    const audit = await world.store.listAudit({ requestId: repair.id });
    expect(unclosed(audit)).toEqual([]);
    expect({ ok: writesOf(audit, 'ok'), interrupted: writesOf(audit, 'INTERRUPTED') }).toEqual({
      ok: 0,
      interrupted: 1,
    });
    // Alice hears once that it is done, with the two rules it put back.
    await heardOf('alice', repair.id, /is done: put back/);
    await notifyQuiet();
    const done = await toldTo('alice', repair.id, /is done: put back/);
    expect(done).toHaveLength(1);
    expect(done[0]!.text).toMatch(/53/);

    live[index] = await world.start(index);
  }, 240_000);

  it('killed mid-repair with the rule write held unapplied: done, and the rule written once', async () => {
    const repair = await askRepair(grants.b);
    const hold = await armHold(world.cloud.adminUrl, {
      action: 'CreateSecurityGroupPolicies',
      when: 'before',
      contains: `${grants.b}: pods of this group`,
    });
    const index = await killMidRepair(
      repair,
      { adminUrl: world.cloud.adminUrl, hold, step: 'restoreRules' },
      'write held before it applied, then dropped',
    );

    // The dropped call never reached the world; the survivor's was the one write.
    expect(cloudWrites()).toEqual([['CreateSecurityGroupPolicies', 1]]);
    expect(kubeWrites()).toEqual([]);
    expect(await podRuleOfB()).toHaveLength(1);
    const audit = await world.store.listAudit({ requestId: repair.id });
    expect(unclosed(audit)).toEqual([]);
    expect({ ok: writesOf(audit, 'ok'), interrupted: writesOf(audit, 'INTERRUPTED') }).toEqual({
      ok: 1,
      interrupted: 1,
    });
    live[index] = await world.start(index);

    // Both put back: a sweep tells each grant's people once that it matches again.
    // (A replica's watch starting asks for a sweep too: either may be the one that tells.)
    expect((await sweepNow('chaos-sweep-repaired')).returnvalue).toMatchObject({ grants: 2, drifted: 0 });
    await notifyQuiet();
    for (const person of ['alice', 'bob'])
      for (const id of [grants.a, grants.b]) expect(await toldTo(person, id, cleared)).toHaveLength(1);
    expect(await toldTwice(found)).toEqual([]);
    expect(await toldTwice(cleared)).toEqual([]);
    expect(await toldTwice(/is done: put back/)).toEqual([]);
  }, 240_000);

  it('killed mid-repair after the policy was re-created but before sgops heard: done, and the policy created once', async () => {
    const policy = { ...sgp, namespace: 'chaos-a', name: 'sgops-chaos-a' };
    await kube().deleteNamespacedCustomObject(policy);
    const repair = await askRepair(grants.a);
    const hold = await armHold(world.kube.adminUrl, {
      verb: 'create',
      resource: 'securitygrouppolicies',
      namespace: 'chaos-a',
      when: 'after',
    });
    const index = await killMidRepair(
      repair,
      { adminUrl: world.kube.adminUrl, hold, step: 'reapplyPolicy' },
      'policy created, answer lost',
    );

    // One create, applied before the kill; the survivor's re-run read the policy back and wrote nothing.
    expect(cloudWrites()).toEqual([]);
    expect(kubeWrites()).toEqual(['create securitygrouppolicies']);
    expect(world.simulator.calls()['create securitygrouppolicies']).toBe(1);
    expect(await kube().getNamespacedCustomObject(policy)).toBeTruthy();
    const audit = (await world.store.listAudit({ requestId: repair.id })).filter(
      (r) => r.action === 'create securitygrouppolicies',
    );
    expect(unclosed(audit)).toEqual([]);
    expect(audit.filter((r) => r.kind === 'outcome').map((r) => r.outcome)).toEqual(['INTERRUPTED']);
    // Alice hears once that it is done, with the policy it put back.
    await heardOf('alice', repair.id, /is done: put back/);
    await notifyQuiet();
    const done = await toldTo('alice', repair.id, /is done: put back/);
    expect(done.map((m) => m.text)).toEqual([expect.stringContaining('the SecurityGroupPolicy')]);
    live[index] = await world.start(index);

    await sweepNow('chaos-sweep-policy-back');
    await notifyQuiet();
    expect(await toldTwice(found)).toEqual([]);
    expect(await toldTwice(/is done: put back/)).toEqual([]);
  }, 240_000);
});
