/**
 * The grant workflow as a pure xstate v5 machine: it names steps and describes effects, nothing else.
 * No adapters, no BullMQ, no clock: the engine feeds it events and carries out what it returns.
 * Bump `grantMachineVersion` whenever a state is renamed or removed, and migrate old snapshots.
 */
import { assign, setup } from 'xstate';
import type { Effect, NotifyTemplate } from './effects.ts';
import type { GrantEvent } from './events.ts';
import type { GrantContext, GrantInput, StepName, WorkStepName } from './types.ts';
import { workStepNames } from './types.ts';
import { nextIn, runStepParams, workState as sharedWorkState } from '../shared/work-state.ts';

export const grantMachineVersion = 1;

/** States a request can rest in; the ones that accept no further event are `finalStates`. */
export const endStates = [
  'done',
  'needsAttention',
  'failed',
  'rolledBack',
  'denied',
  'expired',
  'cancelled',
  'planned',
] as const;
export const finalStates = ['done', 'rolledBack', 'denied', 'expired', 'cancelled', 'planned'] as const;

type RunStep = Extract<Effect, { type: 'runStep' }>;
type Notify = { template: NotifyTemplate; audience: 'requester' | 'approvers' | 'everyone'; step?: StepName };

export const grantMachine = setup({
  types: {} as { context: GrantContext; events: GrantEvent; input: GrantInput },
  actions: {
    // Described, never executed here: the engine turns these into outbox rows.
    runStep: (_: unknown, _params: RunStep) => {},
    notify: (_: unknown, _params: Notify) => {},
    scheduleTimer: (_: unknown, _params: Extract<Effect, { type: 'scheduleTimer' }>) => {},
    cancelTimer: (_: unknown, _params: Extract<Effect, { type: 'cancelTimer' }>) => {},
    bumpAttempt: assign({
      attempts: ({ context }, params: { step: StepName }) => ({
        ...context.attempts,
        [params.step]: (context.attempts[params.step] ?? 0) + 1,
      }),
    }),
    storeOutput: assign({
      outputs: ({ context, event }) =>
        event.type === 'step.done' ? { ...context.outputs, [event.step]: event.output } : context.outputs,
      progress: null,
    }),
    recordProgress: assign({ progress: ({ event }) => (event.type === 'step.wait' ? event.progress : null) }),
    recordFailure: assign({
      failedStep: ({ event }) => (event.type === 'step.failed' ? event.step : null),
      error: ({ event }) => (event.type === 'step.failed' ? event.error : null),
    }),
    clearFailure: assign({ failedStep: null, error: null }),
    recordApproval: assign({
      approvals: ({ context, event }) =>
        event.type === 'approve'
          ? [
              ...context.approvals,
              { by: event.by, at: event.at, ...(event.comment ? { comment: event.comment } : {}) },
            ]
          : context.approvals,
    }),
    recordDecision: assign({
      decision: ({ event }) =>
        event.type === 'deny'
          ? { by: event.by, at: event.at, reason: event.reason }
          : 'by' in event
            ? { by: event.by, at: event.at }
            : null,
      approvedAt: ({ context, event }) => (event.type === 'approve' ? event.at : context.approvedAt),
    }),
  },
  guards: {
    /** Only the latest attempt of the step in progress may move the workflow: stale job results are ignored. */
    isCurrent: ({ context, event }, params: { step: StepName }) =>
      'step' in event && event.step === params.step && event.attempt === (context.attempts[params.step] ?? 0),
    isCurrentAndVerified: ({ context, event }) =>
      event.type === 'step.done' &&
      event.step === 'verifying' &&
      event.attempt === (context.attempts.verifying ?? 0) &&
      event.output.allVerified,
    isCurrentDryRun: ({ context, event }) =>
      event.type === 'step.done' &&
      event.step === 'planning' &&
      event.attempt === (context.attempts.planning ?? 0) &&
      context.dryRun,
    isCurrentAutoApproved: ({ context, event }) =>
      event.type === 'step.done' &&
      event.step === 'planning' &&
      event.attempt === (context.attempts.planning ?? 0) &&
      context.autoApprove,
    isNewApprover: ({ context, event }) =>
      event.type === 'approve' && !context.approvals.some((a) => a.by === event.by),
    reachesQuorum: ({ context, event }) =>
      event.type === 'approve' &&
      !context.approvals.some((a) => a.by === event.by) &&
      context.approvals.length + 1 >= context.quorum,
    failedAt: ({ context }, params: { step: StepName }) => context.failedStep === params.step,
  },
}).createMachine({
  id: 'grant',
  initial: 'planning',
  context: ({ input }) => ({
    spec: input.spec,
    quorum: input.quorum,
    approvalTimeoutMs: input.approvalTimeoutMs,
    dryRun: input.dryRun ?? false,
    autoApprove: input.autoApprove ?? false,
    approvals: [],
    approvedAt: null,
    decision: null,
    outputs: {},
    attempts: {},
    progress: null,
    failedStep: null,
    error: null,
  }),
  states: {
    planning: {
      entry: [
        { type: 'bumpAttempt', params: { step: 'planning' } },
        { type: 'runStep', params: ({ context, event }) => runStepParams('planning', context, event) },
      ],
      on: {
        'step.done': [
          {
            guard: { type: 'isCurrentDryRun' },
            target: 'planned',
            actions: [
              'storeOutput',
              { type: 'notify', params: { template: 'planned', audience: 'requester' } },
            ],
          },
          {
            guard: { type: 'isCurrentAutoApproved' },
            target: 'ensurePodSecurityGroup',
            actions: [
              'storeOutput',
              { type: 'notify', params: { template: 'planReady', audience: 'requester' } },
              { type: 'notify', params: { template: 'autoApproved', audience: 'everyone' } },
            ],
          },
          {
            guard: { type: 'isCurrent', params: { step: 'planning' } },
            target: 'awaitingApproval',
            actions: 'storeOutput',
          },
        ],
        'step.wait': {
          guard: { type: 'isCurrent', params: { step: 'planning' } },
          target: 'planning',
          reenter: true,
          actions: 'recordProgress',
        },
        'step.failed': {
          guard: { type: 'isCurrent', params: { step: 'planning' } },
          target: 'failed',
          actions: [
            'recordFailure',
            { type: 'notify', params: { template: 'failed', audience: 'requester' } },
          ],
        },
        cancel: {
          target: 'cancelled',
          actions: [
            'recordDecision',
            { type: 'notify', params: { template: 'cancelled', audience: 'requester' } },
          ],
        },
      },
    },
    awaitingApproval: {
      entry: [
        { type: 'notify', params: { template: 'planReady', audience: 'requester' } },
        { type: 'notify', params: { template: 'approvalRequested', audience: 'approvers' } },
        {
          type: 'scheduleTimer',
          params: ({ context }) => ({
            type: 'scheduleTimer',
            name: 'approvalTimeout',
            delayMs: context.approvalTimeoutMs,
          }),
        },
      ],
      exit: [{ type: 'cancelTimer', params: { type: 'cancelTimer', name: 'approvalTimeout' } }],
      on: {
        approve: [
          {
            guard: 'reachesQuorum',
            target: 'ensurePodSecurityGroup',
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
        cancel: {
          target: 'cancelled',
          actions: [
            'recordDecision',
            { type: 'notify', params: { template: 'cancelled', audience: 'everyone' } },
          ],
        },
      },
    },
    ensurePodSecurityGroup: workState('ensurePodSecurityGroup'),
    allowDns: workState('allowDns'),
    ensurePodGroupRules: workState('ensurePodGroupRules'),
    applyPolicy: workState('applyPolicy'),
    recreatePods: workState('recreatePods'),
    verifying: {
      ...workState('verifying'),
      on: {
        ...workState('verifying').on,
        'step.done': [
          {
            guard: 'isCurrentAndVerified',
            target: 'done',
            actions: ['storeOutput', { type: 'notify', params: { template: 'done', audience: 'everyone' } }],
          },
          {
            guard: { type: 'isCurrent', params: { step: 'verifying' } },
            target: 'needsAttention',
            actions: [
              'storeOutput',
              { type: 'notify', params: { template: 'needsAttention', audience: 'everyone' } },
            ],
          },
        ],
      },
    },
    done: { type: 'final' },
    /** A dry run (`plan …`) ends here, with its plan and nothing changed. */
    planned: { type: 'final' },
    needsAttention: {
      on: {
        retry: {
          target: 'verifying',
          actions: [
            { type: 'notify', params: { template: 'stepStarted', audience: 'requester', step: 'verifying' } },
          ],
        },
        rollback: { target: 'rollingBack', actions: 'recordDecision' },
      },
    },
    failed: {
      on: {
        retry: (['planning', ...workStepNames, 'rollingBack'] as const).map((step) => ({
          guard: { type: 'failedAt' as const, params: { step } },
          target: step,
          actions: [
            'clearFailure' as const,
            {
              type: 'notify' as const,
              params: { template: 'stepStarted' as const, audience: 'requester' as const, step },
            },
          ],
        })),
        rollback: { target: 'rollingBack', actions: ['clearFailure', 'recordDecision'] },
      },
    },
    rollingBack: {
      ...workState('rollingBack'),
      on: {
        ...workState('rollingBack').on,
        'step.done': {
          guard: { type: 'isCurrent', params: { step: 'rollingBack' } },
          target: 'rolledBack',
          actions: [
            'storeOutput',
            { type: 'notify', params: { template: 'rolledBack', audience: 'everyone' } },
          ],
        },
      },
    },
    rolledBack: { type: 'final' },
    denied: { type: 'final' },
    expired: { type: 'final' },
    cancelled: { type: 'final' },
  },
});

/** The grant's work states: the shared shape, with the grant's step order. */
function workState(step: StepName) {
  return sharedWorkState<StepName, GrantContext, GrantEvent>(step, nextIn<WorkStepName>(workStepNames, step));
}

export type GrantMachine = typeof grantMachine;
