import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { createApp } from '../../../src/main.ts';
import type { App } from '../../../src/main.ts';
import { stepJobId } from '../../../src/engine/job-ids.ts';
import { verifyStoredAudit } from '../../../src/audit/verify-audit-trail.ts';
import { startTestWorld } from '../../helpers/test-world.ts';
import { handOverWorkflow } from '../../helpers/hand-over-workflow.ts';
import type { TestWorld } from '../../helpers/test-world.ts';
import { stateBecomes } from '../../helpers/state-becomes.ts';
import { emulatorWriteLog } from '../../helpers/emulator-write-log.ts';

/**
 * Two replicas in one process (same Redis prefix, same schema). Replica A is stopped while its
 * `ensurePodSecurityGroup` waits for the answer to its read; the read completes and is audited,
 * the create that would follow is never started by A, and the job goes straight back to the queue,
 * where B takes it at once — long before the 30 s locks of this test could expire — and makes the
 * group once. The hand-back spends none of the step's attempts.
 */
describe('a stopping replica hands its running step back', () => {
  let world: TestWorld;
  let replicaB: App | undefined;

  beforeAll(async () => {
    world = await startTestWorld('step-hand-back', { workflow: handOverWorkflow });
  }, 60_000);

  afterAll(async () => {
    await replicaB?.stop();
    await world?.stop();
  });

  it('finishes the call in flight, starts no other, and B runs the step at once with its attempt unspent', async () => {
    const writes = emulatorWriteLog(world.emulator);
    const opened = await world.say('alice', 'grant pod SG to app my-app in my-namespace');
    const id = opened.requestId!;
    await stateBecomes(world, id, ['awaitingApproval']);
    const spec = (await world.app.engine.read(id))!.context as { spec: { podGroupName: string } };

    // The step's first call is ensurePodSecurityGroup's read of its group: its answer is held.
    const hold = world.emulator.holds.arm({
      action: 'DescribeSecurityGroups',
      when: 'after',
      contains: spec.spec.podGroupName,
    });
    await world.say('bob', `approve ${id}`);
    expect((await world.emulator.holds.waitUntilHeld(hold.id, 15_000)).state).toBe('held');
    expect((await world.app.engine.read(id))!.state).toBe('ensurePodSecurityGroup');

    // B starts only now, so the held call is A's.
    replicaB = await createApp(world.app.config, { logger: pino({ level: 'silent' }) });
    await replicaB.start();

    const stopAsked = Date.now();
    const stopping = world.app.stop();
    await new Promise((r) => setTimeout(r, 300));
    world.emulator.holds.release(hold.id, 'go');
    await stopping;
    const stopMs = Date.now() - stopAsked;
    await stateBecomes({ app: replicaB }, id, [
      'allowDns',
      'ensurePodGroupRules',
      'applyPolicy',
      'recreatePods',
      'verifying',
      'done',
    ]);
    const movedOnMs = Date.now() - stopAsked;
    console.log(`A stopped ${stopMs} ms after it was asked; B had the step done ${movedOnMs} ms after`);
    expect(stopMs).toBeLessThan(3_000);
    expect(movedOnMs).toBeLessThan(5_000);
    expect(await stateBecomes({ app: replicaB }, id, ['done', 'failed', 'needsAttention'], 60_000)).toBe(
      'done',
    );

    // One group, made once; the hand-back was no attempt of the step, for the engine or for BullMQ.
    expect(writes.applied().filter((w) => w.action === 'CreateSecurityGroup')).toHaveLength(1);
    const view = await replicaB.engine.read(id);
    expect((view!.context as { attempts: Record<string, number> }).attempts['ensurePodSecurityGroup']).toBe(
      1,
    );
    const job = await replicaB.queues.steps.getJob(stepJobId(id, 'ensurePodSecurityGroup', 1));
    expect(job?.finishedOn).toBeTypeOf('number');
    expect(job?.attemptsMade).toBe(1);

    // The audit: A's read and B's read and B's create, each with its outcome; nothing interrupted.
    const rows = (await replicaB.store.listAudit({ requestId: id })).filter(
      (r) => (r.details as { step?: string }).step === 'ensurePodSecurityGroup',
    );
    const calls = rows.filter((r) => r.kind === 'intent').map((r) => r.action);
    expect(calls).toEqual(['DescribeSecurityGroups', 'DescribeSecurityGroups', 'CreateSecurityGroup']);
    expect(rows.filter((r) => r.kind === 'outcome').map((r) => r.outcome)).toEqual(['ok', 'ok', 'ok']);
    const chain = await verifyStoredAudit(replicaB.store, replicaB.config.audit.key);
    expect(chain).toMatchObject({ ok: true, broken: null });
  }, 120_000);
});
