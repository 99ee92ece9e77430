/**
 * The repair workflow as a pure xstate v5 machine: plan what puts a drifted grant back, wait for
 * the namespace's approvers, then write it back step by step. It names steps and describes
 * effects, nothing else; the engine feeds it events and carries out what it returns. Bump
 * `repairMachineVersion` whenever a state is renamed or removed, and migrate old snapshots.
 */
import { assign, setup } from 'xstate';
import { approvalActions, approvalGuards } from '../shared/machine/approval-actions.ts';
import type { RepairEffect, RepairNotifyTemplate } from './effects.ts';
import type { RepairEvent } from './events.ts';
import type { RepairContext, RepairInput, RepairStepName, RepairWorkStepName } from './types.ts';
import { repairWorkStepNames } from './types.ts';
import { stepActions, stepGuards } from '../shared/machine/step-actions.ts';
import { cancelRequest, retryFailedStep, stepEnds, stepFailed } from '../shared/machine/step-transitions.ts';
import { noWorkYet } from '../shared/machine/work-context.ts';
import { nextIn, workState as sharedWorkState } from '../shared/machine/work-state.ts';

export const repairMachineVersion = 1;

export const repairEndStates = [
  'done',
  'nothingToRepair',
  'failed',
  'denied',
  'expired',
  'cancelled',
] as const;

type RunStep = Extract<RepairEffect, { type: 'runStep' }>;

/** Who a decision the policy made is recorded as (the audit's actor is sgops; the rule decided). */
export const policyDecider = 'policy';

/** The event's time when it carries one (workers stamp step results). */
const eventAt = (event: RepairEvent): string | undefined =>
  'at' in event && typeof event.at === 'string' ? event.at : undefined;
type Notify = {
  template: RepairNotifyTemplate;
  audience: 'requester' | 'approvers' | 'everyone';
  step?: RepairStepName;
};

export const repairMachine = setup({
  types: {} as { context: RepairContext; events: RepairEvent; input: RepairInput },
  actions: {
    // Described, never executed here: the engine turns these into outbox rows.
    runStep: (_: unknown, _params: RunStep) => {},
    notify: (_: unknown, _params: Notify) => {},
    scheduleTimer: (_: unknown, _params: Extract<RepairEffect, { type: 'scheduleTimer' }>) => {},
    cancelTimer: (_: unknown, _params: Extract<RepairEffect, { type: 'cancelTimer' }>) => {},
    recordPolicyApproval: (
      _: unknown,
      _params: Extract<RepairEffect, { type: 'recordPolicyApproval' }>,
    ) => {},
    /** The policy decided: no person's approval is kept, the decision names the policy. */
    approveByPolicy: assign({
      decision: ({ event }) => ({ by: policyDecider, at: eventAt(event) ?? '' }),
      approvedAt: ({ event }) => eventAt(event) ?? null,
    }),
    ...stepActions<RepairStepName, RepairContext, RepairEvent>(),
    ...approvalActions<RepairContext, RepairEvent>(),
  },
  guards: {
    ...stepGuards<RepairStepName, RepairContext, RepairEvent>(),
    /** The policy lets restore-only repairs run alone, and nothing is written into another team's group. */
    isCurrentAutoApproved: ({ context, event }) =>
      event.type === 'step.done' &&
      event.step === 'planning' &&
      event.attempt === (context.attempts.planning ?? 0) &&
      context.autoApprove &&
      !event.output.nothingToRepair &&
      event.output.signoffs.length === 0,
    isCurrentAndNothing: ({ context, event }) =>
      event.type === 'step.done' &&
      event.step === 'planning' &&
      event.attempt === (context.attempts.planning ?? 0) &&
      event.output.nothingToRepair,
    ...approvalGuards<RepairContext, RepairEvent>(),
  },
}).createMachine({
  id: 'repair',
  initial: 'planning',
  context: ({ input }) => ({
    spec: input.spec,
    quorum: input.quorum,
    approvalTimeoutMs: input.approvalTimeoutMs,
    requestedAt: input.requestedAt,
    autoApprove: input.autoApprove ?? false,
    approvals: [],
    approvedAt: null,
    decision: null,
    ...noWorkYet(),
  }),
  states: {
    planning: {
      ...workState('planning'),
      on: {
        ...workState('planning').on,
        'step.done': [
          {
            guard: 'isCurrentAndNothing',
            target: 'nothingToRepair',
            actions: [
              'storeOutput',
              { type: 'notify', params: { template: 'nothingToRepair', audience: 'requester' } },
            ],
          },
          {
            guard: 'isCurrentAutoApproved',
            target: 'restoreRules',
            actions: [
              'storeOutput',
              'approveByPolicy',
              {
                type: 'recordPolicyApproval',
                params: ({ context }) => ({
                  type: 'recordPolicyApproval' as const,
                  grantRequestId: context.spec.grantRequestId,
                }),
              },
              { type: 'notify', params: { template: 'autoApproved', audience: 'everyone' } },
            ],
          },
          {
            guard: { type: 'isCurrent', params: { step: 'planning' } },
            target: 'awaitingApproval',
            actions: 'storeOutput',
          },
        ],
        // Approvers have not heard of it yet: only the requester hears that planning failed.
        'step.failed': stepFailed('planning', 'requester'),
        cancel: cancelRequest('requester'),
      },
    },
    awaitingApproval: {
      entry: [
        { type: 'notify', params: { template: 'repairPlanReady', audience: 'requester' } },
        { type: 'notify', params: { template: 'approvalRequested', audience: 'approvers' } },
        {
          type: 'scheduleTimer',
          params: ({ context }) => ({
            type: 'scheduleTimer' as const,
            name: 'approvalTimeout' as const,
            delayMs: context.approvalTimeoutMs,
          }),
        },
      ],
      exit: [{ type: 'cancelTimer', params: { type: 'cancelTimer', name: 'approvalTimeout' } }],
      on: {
        approve: [
          {
            guard: 'reachesQuorum',
            target: 'restoreRules',
            actions: [
              'recordApproval',
              'recordDecision',
              { type: 'notify', params: { template: 'approved', audience: 'everyone' } },
            ],
          },
          {
            guard: 'isNewApprover',
            actions: [
              'recordApproval',
              { type: 'notify', params: { template: 'approvalRecorded', audience: 'everyone' } },
            ],
          },
        ],
        deny: {
          target: 'denied',
          actions: [
            'recordDecision',
            { type: 'notify', params: { template: 'denied', audience: 'everyone' } },
          ],
        },
        'timer.approvalTimeout': {
          target: 'expired',
          actions: [{ type: 'notify', params: { template: 'expired', audience: 'everyone' } }],
        },
        cancel: cancelRequest('everyone'),
      },
    },
    restoreRules: workState('restoreRules'),
    reapplyPolicy: workState('reapplyPolicy'),
    recreatePods: workState('recreatePods'),
    verifying: {
      ...workState('verifying'),
      on: {
        ...workState('verifying').on,
        'step.done': stepEnds('verifying', 'done', 'repaired'),
      },
    },
    done: { type: 'final' },
    nothingToRepair: { type: 'final' },
    failed: {
      on: {
        retry: retryFailedStep(['planning', ...repairWorkStepNames] as const),
      },
    },
    denied: { type: 'final' },
    expired: { type: 'final' },
    cancelled: { type: 'final' },
  },
});

/** The repair's work states: the shared shape, with the repair's step order (planning waits for approval). */
function workState(step: RepairStepName) {
  const next = step === 'planning' ? null : nextIn<RepairWorkStepName>(repairWorkStepNames, step);
  return sharedWorkState<RepairStepName, RepairContext, RepairEvent>(step, next);
}

export type RepairMachine = typeof repairMachine;
