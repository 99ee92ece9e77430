import { describe, expect, it } from 'vitest';
import { initialTransition } from 'xstate';
import { grantMachine } from '../../../../workflows/grant/machine.ts';
import type { GrantEvent } from '../../../../workflows/grant/events.ts';
import type { StepName } from '../../../../workflows/grant/types.ts';
import { workStepNames } from '../../../../workflows/grant/types.ts';
import {
  effectsOf,
  grantInput,
  grantOutputs,
  grantPlan,
  sendGrant,
  type GrantSnapshot,
} from '../../../helpers/machine-fixtures.ts';

const outputs = grantOutputs('2026-01-01T00:00:00Z');

function start(quorum = 1) {
  return initialTransition(grantMachine, grantInput('R7K2', { quorum }));
}

const attemptOf = (s: GrantSnapshot, step: StepName) => s.context.attempts[step] ?? 0;
const done = (s: GrantSnapshot, step: StepName, output = outputs[step]) =>
  sendGrant(s, { type: 'step.done', step, attempt: attemptOf(s, step), output } as GrantEvent);
const at = '2026-01-01T00:00:00Z';

function approved(): GrantSnapshot {
  const [s0] = start();
  const [s1] = done(s0, 'planning');
  return sendGrant(s1, { type: 'approve', by: 'bob', at })[0];
}

describe('the grant machine', () => {
  it('starts in planning and asks for the planning step', () => {
    const [s, actions] = start();
    expect(s.value).toBe('planning');
    expect(effectsOf(actions)).toContainEqual({ type: 'runStep', step: 'planning', attempt: 1, delayMs: 0 });
  });

  it('waits for approval with the plan, notifies both sides and arms the approval timeout', () => {
    const [s0] = start();
    const [s1, actions] = done(s0, 'planning');
    expect(s1.value).toBe('awaitingApproval');
    expect(s1.context.outputs.planning).toEqual(grantPlan);
    expect(effectsOf(actions)).toEqual(
      expect.arrayContaining([
        { type: 'notify', template: 'planReady', audience: 'requester' },
        { type: 'notify', template: 'approvalRequested', audience: 'approvers' },
        { type: 'scheduleTimer', name: 'approvalTimeout', delayMs: 60_000 },
      ]),
    );
  });

  it('fails before approval when planning fails, with the error kept', () => {
    const [s0] = start();
    const error = {
      code: 'PRECONDITION_FAILED' as const,
      message: 'no super nodes',
      retryable: false,
      hint: 'add one',
    };
    const [s1] = sendGrant(s0, { type: 'step.failed', step: 'planning', attempt: 1, error });
    expect(s1.value).toBe('failed');
    expect(s1.context.error).toEqual(error);
    expect(s1.context.failedStep).toBe('planning');
  });

  it('walks every work step in order after one approval, cancelling the timeout', () => {
    const [s0] = start();
    const [s1] = done(s0, 'planning');
    const [s2, actions] = sendGrant(s1, { type: 'approve', by: 'bob', at });
    expect(effectsOf(actions)).toContainEqual({ type: 'cancelTimer', name: 'approvalTimeout' });
    expect(s2.value).toBe('ensurePodSecurityGroup');
    expect(s2.context.approvedAt).toBe(at);
    let s = s2;
    for (const step of workStepNames) {
      expect(s.value).toBe(step);
      [s] = done(s, step);
    }
    expect(s.value).toBe('done');
    // Rests there, open only to the drift watch's reports.
    expect(s.status).toBe('active');
  });

  it('needs a quorum of distinct approvers', () => {
    const [s0] = start(2);
    const [s1] = done(s0, 'planning');
    const [s2] = sendGrant(s1, { type: 'approve', by: 'bob', at });
    expect(s2.value).toBe('awaitingApproval');
    const [s3] = sendGrant(s2, { type: 'approve', by: 'bob', at });
    expect(s3.value).toBe('awaitingApproval');
    expect(s3.context.approvals).toHaveLength(1);
    const [s4] = sendGrant(s3, { type: 'approve', by: 'carol', at });
    expect(s4.value).toBe('ensurePodSecurityGroup');
  });

  it('ends denied, expired or cancelled from the approval wait', () => {
    const [s0] = start();
    const [s1] = done(s0, 'planning');
    expect(sendGrant(s1, { type: 'deny', by: 'bob', at, reason: 'no' })[0].value).toBe('denied');
    expect(sendGrant(s1, { type: 'timer.approvalTimeout' })[0].value).toBe('expired');
    expect(sendGrant(s1, { type: 'cancel', by: 'alice', at })[0].value).toBe('cancelled');
    expect(sendGrant(s0, { type: 'cancel', by: 'alice', at })[0].value).toBe('cancelled');
  });

  it('re-arms a waiting step with a new attempt and the requested delay', () => {
    let s = approved();
    for (const step of ['ensurePodSecurityGroup', 'allowDns', 'ensurePodGroupRules', 'applyPolicy'] as const)
      [s] = done(s, step);
    expect(s.value).toBe('recreatePods');
    const [s2, actions] = sendGrant(s, {
      type: 'step.wait',
      step: 'recreatePods',
      attempt: 1,
      delayMs: 500,
      progress: '1/2 updated',
    });
    expect(s2.value).toBe('recreatePods');
    expect(s2.context.progress).toBe('1/2 updated');
    expect(effectsOf(actions)).toContainEqual({
      type: 'runStep',
      step: 'recreatePods',
      attempt: 2,
      delayMs: 500,
    });
  });

  it('ignores results of stale attempts and of other steps', () => {
    const s = approved();
    const [same] = sendGrant(s, {
      type: 'step.done',
      step: 'ensurePodSecurityGroup',
      attempt: 99,
      output: { podGroupId: 'x', created: true },
    });
    expect(same.value).toBe('ensurePodSecurityGroup');
    const [other] = sendGrant(s, { type: 'step.done', step: 'allowDns', attempt: 1, output: { added: [] } });
    expect(other.value).toBe('ensurePodSecurityGroup');
  });

  it('ends needsAttention when verification finds pods without their groups', () => {
    let s = approved();
    for (const step of workStepNames.slice(0, -1)) [s] = done(s, step);
    const [end, actions] = done(s, 'verifying', {
      pods: [
        {
          name: 'p',
          node: '10.0.0.1',
          ok: false,
          groups: [],
          reason: 'security groups is only support super node',
        },
      ],
      allVerified: false,
    });
    expect(end.value).toBe('needsAttention');
    expect(effectsOf(actions)).toContainEqual({
      type: 'notify',
      template: 'needsAttention',
      audience: 'everyone',
    });
  });

  it('fails a work step, then retries exactly that step', () => {
    let s = approved();
    [s] = done(s, 'ensurePodSecurityGroup');
    const error = { code: 'CLOUD_THROTTLED' as const, message: 'slow down', retryable: true };
    const [failed] = sendGrant(s, { type: 'step.failed', step: 'allowDns', attempt: 1, error });
    expect(failed.value).toBe('failed');
    const [retried, actions] = sendGrant(failed, { type: 'retry', by: 'alice', at });
    expect(retried.value).toBe('allowDns');
    expect(retried.context.error).toBeNull();
    expect(effectsOf(actions)).toContainEqual({ type: 'runStep', step: 'allowDns', attempt: 2, delayMs: 0 });
  });

  it('rolls back from failed and from needsAttention', () => {
    let s = approved();
    [s] = done(s, 'ensurePodSecurityGroup');
    const error = { code: 'INTERNAL' as const, message: 'boom', retryable: false };
    const [failed] = sendGrant(s, { type: 'step.failed', step: 'allowDns', attempt: 1, error });
    const [rolling] = sendGrant(failed, { type: 'rollback', by: 'bob', at });
    expect(rolling.value).toBe('rollingBack');
    const [end] = done(rolling, 'rollingBack');
    expect(end.value).toBe('rolledBack');
    expect(end.status).toBe('done');
  });

  it('accepts no event once it has ended', () => {
    const [s0] = start();
    const [s1] = done(s0, 'planning');
    const [denied] = sendGrant(s1, { type: 'deny', by: 'bob', at, reason: 'no' });
    const [after] = sendGrant(denied, { type: 'approve', by: 'carol', at });
    expect(after.value).toBe('denied');
  });

  it('ends planned after the plan of a dry run, asking nobody', () => {
    const [s0] = initialTransition(grantMachine, grantInput('R7K2', { dryRun: true }));
    const [s1, actions] = done(s0, 'planning');
    expect(s1.value).toBe('planned');
    expect(s1.status).toBe('done');
    expect(effectsOf(actions)).toEqual([{ type: 'notify', template: 'planned', audience: 'requester' }]);
  });

  it('goes straight to work after the plan when the policy approves the requester itself', () => {
    const [s0] = initialTransition(grantMachine, grantInput('R7K2', { autoApprove: true }));
    const [s1, actions] = done(s0, 'planning');
    expect(s1.value).toBe('ensurePodSecurityGroup');
    expect(effectsOf(actions)).toEqual(
      expect.arrayContaining([
        { type: 'notify', template: 'autoApproved', audience: 'everyone' },
        { type: 'runStep', step: 'ensurePodSecurityGroup', attempt: 1, delayMs: 0 },
      ]),
    );
    expect(effectsOf(actions)).not.toContainEqual(expect.objectContaining({ type: 'scheduleTimer' }));
  });

  describe("with another team's group in the plan", () => {
    const ordersDb = {
      key: 'owners:name=orders-db',
      quorum: 1,
      owners: ['group:dba'],
      groups: [
        {
          id: 'sg-ordersdb',
          name: 'orders-db',
          touches: [{ kind: 'ingress' as const, ports: [{ protocol: 'TCP', port: '3306' }], from: null }],
        },
      ],
    };
    const planWithOwners = { ...grantPlan, signoffs: [ordersDb] };

    it('does not auto-approve: it waits for approvers even when the policy approves the requester', () => {
      const [s0] = initialTransition(grantMachine, grantInput('R7K2', { autoApprove: true }));
      const [s1, actions] = done(s0, 'planning', planWithOwners);
      expect(s1.value).toBe('awaitingApproval');
      expect(effectsOf(actions)).not.toContainEqual(expect.objectContaining({ template: 'autoApproved' }));
    });

    it('waits for the owners after the namespace signed, and for the namespace after the owners signed', () => {
      const [s0] = start();
      const [s1] = done(s0, 'planning', planWithOwners);
      const [byBob] = sendGrant(s1, { type: 'approve', by: 'bob', at, as: ['namespace'] });
      expect(byBob.value).toBe('awaitingApproval');
      const [byErin] = sendGrant(s1, { type: 'approve', by: 'erin', at, as: [ordersDb.key] });
      expect(byErin.value).toBe('awaitingApproval');
      const [both] = sendGrant(byBob, { type: 'approve', by: 'erin', at, as: [ordersDb.key] });
      expect(both.value).toBe('ensurePodSecurityGroup');
      expect(both.context.approvals.map((a) => [a.by, a.as])).toEqual([
        ['bob', ['namespace']],
        ['erin', [ordersDb.key]],
      ]);
    });

    it('lets one approver who belongs to both sets sign both at once', () => {
      const [s0] = start();
      const [s1] = done(s0, 'planning', planWithOwners);
      const [s2] = sendGrant(s1, { type: 'approve', by: 'bob', at, as: ['namespace', ordersDb.key] });
      expect(s2.value).toBe('ensurePodSecurityGroup');
    });

    it('ignores an approval that counts for no set', () => {
      const [s0] = start();
      const [s1] = done(s0, 'planning', planWithOwners);
      const [s2, actions] = sendGrant(s1, { type: 'approve', by: 'mallory', at, as: [] });
      expect(s2.value).toBe('awaitingApproval');
      expect(s2.context.approvals).toEqual([]);
      expect(effectsOf(actions)).toEqual([]);
    });

    it('counts an approval saved before owners existed (no `as`) for the namespace only', () => {
      const [s0] = start();
      const [s1] = done(s0, 'planning', planWithOwners);
      const [s2] = sendGrant(s1, { type: 'approve', by: 'bob', at });
      expect(s2.value).toBe('awaitingApproval');
      expect(s2.context.approvals[0]!.as).toEqual(['namespace']);
    });
  });

  it('cancels only before the first write', () => {
    const s = approved();
    const [same] = sendGrant(s, { type: 'cancel', by: 'alice', at });
    expect(same.value).toBe('ensurePodSecurityGroup');
  });
});
