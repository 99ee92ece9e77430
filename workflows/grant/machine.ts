/**
 * The grant workflow as a pure xstate v5 machine: it names steps and describes effects, nothing else.
 * No adapters, no BullMQ, no clock: the engine feeds it events and carries out what it returns.
 * Bump `grantMachineVersion` whenever a state is renamed or removed, and migrate old snapshots.
 */
import { and, assign, enqueueActions, setup } from 'xstate';
import type { Effect, NotifyTemplate } from './effects.ts';
import type { GrantEvent } from './events.ts';
import type { GrantContext, GrantInput, StepName, WorkStepName } from './types.ts';
import { workStepNames } from './types.ts';
import { approvalActions, approvalGuards } from '../shared/machine/approval-actions.ts';
import { stepActions, stepGuards } from '../shared/machine/step-actions.ts';
import { cancelRequest, retryFailedStep, stepEnds, stepFailed } from '../shared/machine/step-transitions.ts';
import { noWorkYet } from '../shared/machine/work-context.ts';
import { nextIn, workState as sharedWorkState } from '../shared/machine/work-state.ts';
import {
  addMs,
  expiryRevoke,
  expiryRevokeId,
  expiryTimersToArm,
  expiryTimersToDisarm,
  expiryWarningLeadMs,
  reminderToArm,
  reminderToDisarm,
} from './lifecycle.ts';

/**
 * v2 added approval reminders and time-bound grants (states `active`, `expiring`, `revoked`,
 * `lapsed`); v3 keeps `done` open for the drift watch's reports (it was final); migrate.ts brings
 * older snapshots up.
 */
export const grantMachineVersion = 3;

/** States a request can rest in; the ones that accept no further event are `finalStates`. */
export const endStates = [
  'done',
  'active',
  'revoked',
  'lapsed',
  'needsAttention',
  'failed',
  'rolledBack',
  'denied',
  'expired',
  'cancelled',
  'planned',
] as const;
export const finalStates = [
  'rolledBack',
  'denied',
  'expired',
  'cancelled',
  'planned',
  'revoked',
  'lapsed',
] as const;
/** Where nothing more is asked of anyone: the final states, and `done` (open only to drift reports). */
export const settledStates = [...finalStates, 'done'] as const;

type RunStep = Extract<Effect, { type: 'runStep' }>;
type OpenRevoke = Extract<Effect, { type: 'openRevoke' }>;
type Notify = { template: NotifyTemplate; audience: 'requester' | 'approvers' | 'everyone'; step?: StepName };

/** The event's time when it carries one (people's decisions always do; workers stamp the rest). */
const eventAt = (event: GrantEvent): string | undefined =>
  'at' in event && typeof event.at === 'string' ? event.at : undefined;

type ScheduleTimer = Extract<Effect, { type: 'scheduleTimer' }>;
type CancelTimer = Extract<Effect, { type: 'cancelTimer' }>;
type TimerAction =
  { type: 'scheduleTimer'; params: ScheduleTimer } | { type: 'cancelTimer'; params: CancelTimer };

/** Schedules the timers `toArm` names for the context at the event's time (none, one or several). */
function armTimers(toArm: (context: GrantContext, at: string | undefined) => ScheduleTimer[]) {
  return enqueueActions<GrantContext, GrantEvent, undefined, GrantEvent, never, TimerAction, never>(
    ({ context, event, enqueue }) => {
      for (const timer of toArm(context, eventAt(event))) enqueue({ type: 'scheduleTimer', params: timer });
    },
  );
}

/** Cancels the timers `toDisarm` names for the context. */
function disarmTimers(toDisarm: (context: GrantContext) => CancelTimer[]) {
  return enqueueActions<GrantContext, GrantEvent, undefined, GrantEvent, never, TimerAction, never>(
    ({ context, enqueue }) => {
      for (const timer of toDisarm(context)) enqueue({ type: 'cancelTimer', params: timer });
    },
  );
}

export const grantMachine = setup({
  types: {} as { context: GrantContext; events: GrantEvent; input: GrantInput },
  actions: {
    // Described, never executed here: the engine turns these into outbox rows.
    runStep: (_: unknown, _params: RunStep) => {},
    notify: (_: unknown, _params: Notify) => {},
    scheduleTimer: (_: unknown, _params: Extract<Effect, { type: 'scheduleTimer' }>) => {},
    cancelTimer: (_: unknown, _params: Extract<Effect, { type: 'cancelTimer' }>) => {},
    openRevoke: (_: unknown, _params: OpenRevoke) => {},
    /** The wait for approval begins: reminders count from here. */
    beginWait: assign({ awaitingSince: ({ event }) => eventAt(event) ?? null, remindersSent: 0 }),
    countReminder: assign({ remindersSent: ({ context }) => context.remindersSent + 1 }),
    /** A time-bound grant starts its time once, when first verified; a retried verification keeps it. */
    activate: assign(({ context, event }) => {
      if (context.spec.durationMs === undefined || context.activeSince) return {};
      const since = eventAt(event) ?? context.outputs.applyPolicy?.appliedAt ?? null;
      return since ? { activeSince: since, expiresAt: addMs(since, context.spec.durationMs) } : {};
    }),
    markWarned: assign({ expiryWarned: true }),
    recordLapse: assign({
      lapse: ({ context, event }) =>
        event.type === 'lapse' ? { coveredBy: event.coveredBy, at: event.at } : context.lapse,
    }),
    /** The grant ran out: sgops revokes it, under an id derived from the grant's. */
    recordExpiry: assign({
      revocation: ({ context }) => ({
        revokeRequestId: expiryRevokeId(context.spec.requestId),
        cause: 'expired' as const,
        by: 'sgops',
        at: context.expiresAt ?? context.activeSince ?? '',
      }),
    }),
    /** What the drift watch found; `since` moves only when what it found changed. */
    recordDrift: assign({
      drift: ({ context, event }) =>
        event.type !== 'drift'
          ? context.drift
          : { fingerprint: event.fingerprint, notes: event.notes, since: event.at },
    }),
    recordRevocation: assign({
      revocation: ({ context, event }) => {
        if (event.type !== 'revoke') return context.revocation;
        if (context.revocation?.revokeRequestId === event.revokeRequestId) return context.revocation;
        return {
          revokeRequestId: event.revokeRequestId,
          cause: 'revoked' as const,
          by: event.by,
          at: event.at,
        };
      },
    }),
    ...stepActions<StepName, GrantContext, GrantEvent>(),
    ...approvalActions<GrantContext, GrantEvent>(),
  },
  guards: {
    ...stepGuards<StepName, GrantContext, GrantEvent>(),
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
    /** Auto-approval covers the namespace's own groups only: another team's group waits for its owners. */
    isCurrentAutoApproved: ({ context, event }) =>
      event.type === 'step.done' &&
      event.step === 'planning' &&
      event.attempt === (context.attempts.planning ?? 0) &&
      context.autoApprove &&
      (event.output.signoffs ?? []).length === 0,
    ...approvalGuards<GrantContext, GrantEvent>(),
    isTimeBound: ({ context }) => context.spec.durationMs !== undefined,
    /** Drift found that differs from what was last told (a new finding, or a changed one). */
    isNewDrift: ({ context, event }) =>
      event.type === 'drift' && event.notes.length > 0 && event.fingerprint !== context.drift?.fingerprint,
    /** Nothing differs any more, where something did: told once, as put right. */
    isDriftGone: ({ context, event }) =>
      event.type === 'drift' && event.notes.length === 0 && (context.drift?.notes.length ?? 0) > 0,
    /** Only the reminder armed last counts: a stale or repeated timer job reminds nobody twice. */
    isDueReminder: ({ context, event }) =>
      event.type === 'timer.approvalReminder' && event.seq === context.remindersSent + 1,
    isNotWarned: ({ context }) => !context.expiryWarned,
    /** The opener answered with the revoke the grant asked for (not someone's revoke in the meantime). */
    isOwnExpiryRevoke: ({ context, event }) =>
      event.type === 'revoke' && event.revokeRequestId === context.revocation?.revokeRequestId,
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
    ...noWorkYet(),
    approvalReminderMs: input.approvalReminderMs ?? 0,
    remindersSent: 0,
    awaitingSince: null,
    expiryWarningMs:
      input.spec.durationMs === undefined
        ? null
        : expiryWarningLeadMs(input.spec.durationMs, input.expiryWarningMs),
    activeSince: null,
    expiresAt: null,
    expiryWarned: false,
    revocation: null,
    lapse: null,
    drift: null,
  }),
  states: {
    planning: {
      ...workState('planning'),
      on: {
        ...workState('planning').on,
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
        'step.failed': stepFailed('planning', 'requester'),
        cancel: cancelRequest('requester'),
      },
    },
    awaitingApproval: {
      entry: [
        'beginWait',
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
        armTimers(reminderToArm),
      ],
      exit: [
        { type: 'cancelTimer', params: { type: 'cancelTimer', name: 'approvalTimeout' } },
        disarmTimers(reminderToDisarm),
      ],
      on: {
        // Targetless: no exit, no entry, so the approval timeout runs on untouched.
        'timer.approvalReminder': {
          guard: 'isDueReminder',
          actions: [
            'countReminder',
            { type: 'notify', params: { template: 'approvalReminder', audience: 'approvers' } },
            armTimers(reminderToArm),
          ],
        },
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
        cancel: cancelRequest('everyone'),
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
            guard: and(['isTimeBound', 'isCurrentAndVerified']),
            target: 'active',
            actions: [
              'storeOutput',
              'activate',
              { type: 'notify', params: { template: 'done', audience: 'everyone' } },
            ],
          },
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
              'activate',
              { type: 'notify', params: { template: 'needsAttention', audience: 'everyone' } },
            ],
          },
        ],
      },
    },
    /** In force for good: the drift watch still reports to it what no longer matches. */
    done: { on: { drift: driftReported() } },
    /** A time-bound grant in force: it warns its requester before its end, then ends itself. */
    active: {
      entry: armTimers(expiryTimersToArm),
      exit: disarmTimers(expiryTimersToDisarm),
      on: {
        drift: driftReported(),
        'timer.expiryWarning': expiryWarning(),
        'timer.grantExpiry': grantExpiry(),
        revoke: { target: 'revoked', actions: 'recordRevocation' },
      },
    },
    /**
     * Ran out: waits for the opener of the `openRevoke` effect to answer `revoke` (it opened the
     * revoke) or `lapse` (another live grant gives the same access, so nothing is taken away).
     */
    expiring: {
      entry: { type: 'openRevoke', params: ({ context }) => expiryRevoke(context) },
      on: {
        revoke: [
          {
            guard: 'isOwnExpiryRevoke',
            target: 'revoked',
            actions: [
              'recordRevocation',
              { type: 'notify', params: { template: 'grantExpired', audience: 'everyone' } },
            ],
          },
          { target: 'revoked', actions: 'recordRevocation' },
        ],
        lapse: {
          target: 'lapsed',
          actions: [
            'recordLapse',
            { type: 'notify', params: { template: 'grantLapsed', audience: 'everyone' } },
          ],
        },
      },
    },
    /** A time-bound grant ended: `revocation` names the revoke that takes the access away. */
    revoked: { type: 'final' },
    /** A time-bound grant ran out while another grant (`lapse.coveredBy`) kept the access: nothing was removed. */
    lapsed: { type: 'final' },
    /** A dry run (`plan …`) ends here, with its plan and nothing changed. */
    planned: { type: 'final' },
    needsAttention: {
      // Its policy is applied: a time-bound grant runs out here too.
      entry: armTimers(expiryTimersToArm),
      exit: disarmTimers(expiryTimersToDisarm),
      on: {
        'timer.expiryWarning': expiryWarning(),
        'timer.grantExpiry': grantExpiry(),
        revoke: { guard: 'isTimeBound', target: 'revoked', actions: 'recordRevocation' },
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
        retry: retryFailedStep(['planning', ...workStepNames, 'rollingBack'] as const),
        rollback: { target: 'rollingBack', actions: ['clearFailure', 'recordDecision'] },
      },
    },
    rollingBack: {
      ...workState('rollingBack'),
      on: {
        ...workState('rollingBack').on,
        'step.done': stepEnds('rollingBack', 'rolledBack', 'rolledBack'),
      },
    },
    rolledBack: { type: 'final' },
    denied: { type: 'final' },
    expired: { type: 'final' },
    cancelled: { type: 'final' },
  },
});

function expiryWarning() {
  return {
    guard: 'isNotWarned' as const,
    actions: [
      'markWarned' as const,
      {
        type: 'notify' as const,
        params: { template: 'expiryWarning' as const, audience: 'requester' as const },
      },
    ],
  };
}

/** A drift report: told to everyone once per change — when found, when it changes, when it is gone. */
function driftReported() {
  return [
    {
      guard: 'isNewDrift' as const,
      actions: [
        'recordDrift' as const,
        {
          type: 'notify' as const,
          params: { template: 'driftFound' as const, audience: 'everyone' as const },
        },
      ],
    },
    {
      guard: 'isDriftGone' as const,
      actions: [
        'recordDrift' as const,
        {
          type: 'notify' as const,
          params: { template: 'driftCleared' as const, audience: 'everyone' as const },
        },
      ],
    },
  ];
}

function grantExpiry() {
  return {
    guard: 'isTimeBound' as const,
    target: 'expiring' as const,
    actions: 'recordExpiry' as const,
  };
}

/** The grant's work states: the shared shape, with the grant's step order. */
function workState(step: StepName) {
  return sharedWorkState<StepName, GrantContext, GrantEvent>(step, nextIn<WorkStepName>(workStepNames, step));
}

export type GrantMachine = typeof grantMachine;
