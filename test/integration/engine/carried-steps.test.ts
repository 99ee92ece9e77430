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
import { until } from '../../helpers/until.ts';
import { workStepNames } from '../../../workflows/grant/types.ts';
import { deploySuperNodeApps } from '../../helpers/deploy-super-node-apps.ts';

const endStates = ['done', 'failed', 'needsAttention'];

/**
 * A step job carries on with the steps its request moves to next (src/engine/carried-steps.ts).
 * The locks here are far longer than the test: a step can only reach another replica when its
 * carrier hands it over.
 */
describe('a step job carries its request on to the next steps', () => {
  let world: TestWorld;
  let replicaB: App | undefined;

  beforeAll(async () => {
    world = await startTestWorld('carried-steps', { workflow: handOverWorkflow });
    await deploySuperNodeApps(world.simulator, [{ app: 'carried-app', namespace: 'my-namespace' }]);
  }, 60_000);

  afterAll(async () => {
    await replicaB?.stop();
    await world?.stop();
  });

  /** Opens a grant, does `beforeApproval` once it awaits approval, then has bob approve it. */
  async function approvedGrant(app: string, beforeApproval?: () => void): Promise<string> {
    const opened = await world.say('alice', `grant pod SG to app ${app} in my-namespace`);
    const id = opened.requestId!;
    await stateBecomes(world, id, ['awaitingApproval']);
    beforeApproval?.();
    await world.say('bob', `approve ${id}`);
    return id;
  }

  it('runs the steps after the first in the first step job, and their guard jobs never run', async () => {
    const id = await approvedGrant('my-app');
    expect(await stateBecomes(world, id, endStates, 60_000)).toBe('done');

    const steps = world.app.queues.steps;
    const carrier = await steps.getJob(stepJobId(id, 'ensurePodSecurityGroup', 1));
    expect(carrier?.finishedOn).toBeTypeOf('number');
    // Each carried step's guard is removed once the step has reported; none was processed.
    for (const step of ['allowDns', 'ensurePodGroupRules', 'applyPolicy']) {
      await until(
        `the guard of ${step} to be removed`,
        async () => ((await steps.getJob(stepJobId(id, step, 1))) ? undefined : true),
        5_000,
      );
    }
    // Every step still ran once, in order, each call audited with its outcome.
    const rows = await world.app.store.listAudit({ requestId: id });
    const stepsInOrder = [
      ...new Set(rows.filter((r) => r.kind === 'intent').map((r) => String(r.details['step']))),
    ];
    expect(stepsInOrder).toEqual(['planning', ...workStepNames]);
    const intents = rows.filter((r) => r.kind === 'intent').length;
    expect(rows.filter((r) => r.kind === 'outcome')).toHaveLength(intents);
  }, 90_000);

  it('hands a carried step to its guard when its replica stops, and another replica runs it at once', async () => {
    const writes = emulatorWriteLog(world.emulator);
    // allowDns is the first step after the approval to read rules: its read is held while A carries it.
    let hold: { id: string } | undefined;
    const id = await approvedGrant('carried-app', () => {
      hold = world.emulator.holds.arm({ action: 'DescribeSecurityGroupPolicies', when: 'after' });
    });
    expect((await world.emulator.holds.waitUntilHeld(hold!.id, 15_000)).state).toBe('held');
    expect((await world.app.engine.read(id))!.state).toBe('allowDns');

    replicaB = await createApp(world.app.config, { logger: pino({ level: 'silent' }) });
    await replicaB.start();
    const stopAsked = Date.now();
    const stopping = world.app.stop();
    await new Promise((r) => setTimeout(r, 300));
    world.emulator.holds.release(hold!.id, 'go');
    await stopping;
    await stateBecomes({ app: replicaB }, id, [
      'ensurePodGroupRules',
      'applyPolicy',
      'recreatePods',
      ...endStates,
    ]);
    const movedOnMs = Date.now() - stopAsked;
    console.log(
      `the carried allowDns was past its step on replica B ${movedOnMs} ms after A was asked to stop`,
    );
    // Far within the 30 s locks: the guard was released, not waited out.
    expect(movedOnMs).toBeLessThan(5_000);
    expect(await stateBecomes({ app: replicaB }, id, endStates, 60_000)).toBe('done');

    // The guard ran the step, as a job of its own, with the step's attempt unspent.
    const guard = await replicaB.queues.steps.getJob(stepJobId(id, 'allowDns', 1));
    expect(guard?.finishedOn).toBeTypeOf('number');
    expect(guard?.data).not.toHaveProperty('carrier');
    const view = await replicaB.engine.read(id);
    expect((view!.context as { attempts: Record<string, number> }).attempts['allowDns']).toBe(1);
    // No rule was written twice, and the chain holds.
    const ruleWrites = writes
      .applied()
      .filter((w) => w.action === 'CreateSecurityGroupPolicies')
      .map((w) => JSON.stringify(w.params));
    expect(new Set(ruleWrites).size).toBe(ruleWrites.length);
    expect(await verifyStoredAudit(replicaB.store, replicaB.config.audit.key)).toMatchObject({
      ok: true,
      broken: null,
    });
  }, 120_000);
});
