import { describe, expect, it } from 'vitest';
import { initialTransition } from 'xstate';
import { repairMachine, repairMachineVersion } from '../../../../workflows/repair/machine.ts';
import type { RepairEvent } from '../../../../workflows/repair/events.ts';
import type { RepairInput, RepairPlan, RepairStepName } from '../../../../workflows/repair/types.ts';
import { repairWorkStepNames } from '../../../../workflows/repair/types.ts';
import { effectsOf, myAppRequest, sendPersisted } from '../../../helpers/machine-fixtures.ts';

const at = '2026-01-01T00:00:00Z';

const input: RepairInput = {
  spec: {
    ...myAppRequest('R9Q4'),
    grantRequestId: 'R7K2',
    approval: {
      spec: { ...myAppRequest('R7K2'), egress: [] },
      outputs: {
        planning: { clusterGroupId: 'sg-cluster01' },
        ensurePodSecurityGroup: { podGroupId: 'sg-pod00001' },
        applyPolicy: { policyName: 'sgops-my-app' },
      },
    },
  },
  quorum: 1,
  approvalTimeoutMs: 60_000,
  requestedAt: at,
};

const dns = {
  protocol: 'UDP',
  port: '53',
  peer: { securityGroupId: 'sg-pod00001' },
  action: 'ACCEPT',
} as const;

const plan = (nothingToRepair = false): RepairPlan => ({
  cluster: { id: 'cls-sandbox1', name: 'sandbox', version: '1.26.1', vpcId: 'vpc-1' },
  clusterGroupId: 'sg-cluster01',
  existingPodGroupId: null,
  workloads: [],
  pods: [],
  drift: [],
  restore: {
    rules: nothingToRepair ? [] : [{ groupId: 'sg-cluster01', direction: 'ingress', rules: [dns] }],
    applyPolicy: false,
    labelServiceAccount: false,
    recreatePods: [],
    leftInPlace: [],
    groupsGone: [],
  },
  changes: [],
  warnings: [],
  signoffs: [],
  nothingToRepair,
});

const outputs: Record<RepairStepName, unknown> = {
  planning: plan(),
  restoreRules: { restored: [{ groupId: 'sg-cluster01', direction: 'ingress', rules: [dns] }] },
  reapplyPolicy: { policy: 'notPlanned', labelled: false },
  recreatePods: { restarted: [], skipped: [], barePods: [] },
  verifying: { remaining: [] },
};

type Snap = ReturnType<typeof initialTransition<typeof repairMachine>>[0];
type Actions = ReturnType<typeof initialTransition<typeof repairMachine>>[1];

const start = (i: RepairInput = input) => initialTransition(repairMachine, i);
const send = (snapshot: Snap, event: RepairEvent): [Snap, Actions] =>
  sendPersisted(repairMachine, snapshot, event);
const attemptOf = (s: Snap, step: RepairStepName) => s.context.attempts[step] ?? 0;
const done = (s: Snap, step: RepairStepName, output = outputs[step]) =>
  send(s, { type: 'step.done', step, attempt: attemptOf(s, step), output } as RepairEvent);
const effects = (actions: Actions) => effectsOf(actions);
const approve = (s: Snap, by: string) => send(s, { type: 'approve', by, at, as: ['namespace'] });

describe('the repair machine', () => {
  it('carries version 1 and starts by planning', () => {
    expect(repairMachineVersion).toBe(1);
    const [s, actions] = start();
    expect(s.value).toBe('planning');
    expect(effects(actions)).toEqual([{ type: 'runStep', step: 'planning', attempt: 1, delayMs: 0 }]);
  });

  it('ends at once, writing nothing, when planning finds nothing to repair', () => {
    const [s, actions] = done(start()[0], 'planning', plan(true));
    expect(s.value).toBe('nothingToRepair');
    expect(s.status).toBe('done');
    expect(effects(actions)).toEqual([
      { type: 'notify', template: 'nothingToRepair', audience: 'requester' },
    ]);
  });

  it('waits for the approvers after a plan, with the plan to the requester and a card to them', () => {
    const [s, actions] = done(start()[0], 'planning');
    expect(s.value).toBe('awaitingApproval');
    expect(effects(actions)).toEqual(
      expect.arrayContaining([
        { type: 'notify', template: 'repairPlanReady', audience: 'requester' },
        { type: 'notify', template: 'approvalRequested', audience: 'approvers' },
        { type: 'scheduleTimer', name: 'approvalTimeout', delayMs: 60_000 },
      ]),
    );
    expect(effects(actions).some((e) => e.type === 'runStep')).toBe(false);
  });

  it('runs a restore-only repair the policy approves without waiting, recording the policy as the decider', () => {
    const [s, actions] = sendPersisted(repairMachine, start({ ...input, autoApprove: true })[0], {
      type: 'step.done',
      step: 'planning',
      attempt: 1,
      output: plan(),
      at: '2026-01-01T00:05:00Z',
    });
    expect(s.value).toBe('restoreRules');
    expect(s.context.decision).toEqual({ by: 'policy', at: '2026-01-01T00:05:00Z' });
    expect(s.context.approvedAt).toBe('2026-01-01T00:05:00Z');
    expect(s.context.approvals).toEqual([]);
    expect(effects(actions)).toEqual([
      { type: 'recordPolicyApproval', grantRequestId: 'R7K2' },
      { type: 'notify', template: 'autoApproved', audience: 'everyone' },
      { type: 'runStep', step: 'restoreRules', attempt: 1, delayMs: 0 },
    ]);
  });

  it("still waits when the policy's option is off, or when a rule goes back into another team's group", () => {
    expect(done(start()[0], 'planning')[0].value).toBe('awaitingApproval');
    const owners = { key: 'owners:name=orders-db', quorum: 1, owners: ['group:dba'], groups: [] };
    const [s] = done(start({ ...input, autoApprove: true })[0], 'planning', {
      ...plan(),
      signoffs: [owners],
    });
    expect(s.value).toBe('awaitingApproval');
    expect(s.context.decision).toBeNull();
  });

  it('counts approvals to the quorum, once each, then writes step by step and ends done', () => {
    let [s] = start({ ...input, quorum: 2 });
    [s] = done(s, 'planning');
    let actions: Actions;
    [s, actions] = approve(s, 'bob');
    expect(s.value).toBe('awaitingApproval');
    expect(effects(actions)).toEqual([
      { type: 'notify', template: 'approvalRecorded', audience: 'everyone' },
    ]);
    [s, actions] = approve(s, 'bob');
    expect(s.value).toBe('awaitingApproval');
    expect(effects(actions)).toEqual([]);
    [s, actions] = approve(s, 'carol');
    expect(s.value).toBe('restoreRules');
    expect(s.context.approvedAt).toBe(at);
    expect(effects(actions)).toEqual(
      expect.arrayContaining([
        { type: 'notify', template: 'approved', audience: 'everyone' },
        { type: 'cancelTimer', name: 'approvalTimeout' },
        { type: 'runStep', step: 'restoreRules', attempt: 1, delayMs: 0 },
      ]),
    );
    for (const step of repairWorkStepNames) {
      expect(s.value).toBe(step);
      [s, actions] = done(s, step);
    }
    expect(s.value).toBe('done');
    expect(effects(actions)).toContainEqual({ type: 'notify', template: 'repaired', audience: 'everyone' });
  });

  it("waits for the owners of another team's group a rule is written back into, as well as the namespace", () => {
    const owners = {
      key: 'owners:name=orders-db',
      quorum: 1,
      owners: ['group:dba'],
      groups: [{ id: 'sg-db123456', name: 'orders-db', touches: [] }],
    };
    let [s] = done(start()[0], 'planning', { ...plan(), signoffs: [owners] });
    [s] = approve(s, 'bob');
    expect(s.value).toBe('awaitingApproval');
    [s] = send(s, { type: 'approve', by: 'erin', at, as: [owners.key] });
    expect(s.value).toBe('restoreRules');
  });

  it('ends denied or expired without a write', () => {
    const [waiting] = done(start()[0], 'planning');
    const [denied, a1] = send(waiting, { type: 'deny', by: 'bob', at, reason: 'not now' });
    expect(denied.value).toBe('denied');
    expect(denied.context.decision).toEqual({ by: 'bob', at, reason: 'not now' });
    expect(effects(a1).some((e) => e.type === 'runStep')).toBe(false);
    const [expired] = send(waiting, { type: 'timer.approvalTimeout' });
    expect(expired.value).toBe('expired');
  });

  it('fails at a step and, on retry, runs that step again', () => {
    let [s] = done(start()[0], 'planning');
    [s] = approve(s, 'bob');
    const error = { code: 'PRECONDITION_FAILED' as const, message: 'boom', retryable: false };
    [s] = send(s, { type: 'step.failed', step: 'restoreRules', attempt: 1, error } as RepairEvent);
    expect(s.value).toBe('failed');
    expect(s.context.failedStep).toBe('restoreRules');
    const [again, actions] = send(s, { type: 'retry', by: 'alice', at });
    expect(again.value).toBe('restoreRules');
    expect(effects(actions)).toContainEqual({
      type: 'runStep',
      step: 'restoreRules',
      attempt: 2,
      delayMs: 0,
    });
  });
});
