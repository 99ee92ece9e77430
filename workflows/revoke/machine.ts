/**
 * The revoke workflow as a pure xstate v5 machine: the grant's road walked backwards. It names
 * steps and describes effects, nothing else; the engine feeds it events and carries out what it
 * returns. Removing access needs no approval: the plan goes out as information and work starts.
 * Bump `revokeMachineVersion` whenever a state is renamed or removed, and migrate old snapshots.
 */
import { setup } from 'xstate';
import type { RevokeEffect } from './effects.ts';
import type { RevokeEvent } from './events.ts';
import type { RevokeContext, RevokeInput, RevokeStepName, RevokeWorkStepName } from './types.ts';
import { revokeWorkStepNames } from './types.ts';
import { approvalActions } from '../shared/machine/approval-actions.ts';
import { stepActions, stepGuards } from '../shared/machine/step-actions.ts';
import { cancelRequest, retryFailedStep, stepEnds, stepFailed } from '../shared/machine/step-transitions.ts';
import { noWorkYet } from '../shared/machine/work-context.ts';
import { nextIn, workState as sharedWorkState } from '../shared/machine/work-state.ts';

export const revokeMachineVersion = 1;

export const revokeEndStates = ['done', 'failed', 'cancelled'] as const;

type RunStep = Extract<RevokeEffect, { type: 'runStep' }>;
type Notify = Omit<Extract<RevokeEffect, { type: 'notify' }>, 'type'>;

export const revokeMachine = setup({
  types: {} as { context: RevokeContext; events: RevokeEvent; input: RevokeInput },
  actions: {
    // Described, never executed here: the engine turns these into outbox rows.
    runStep: (_: unknown, _params: RunStep) => {},
    notify: (_: unknown, _params: Notify) => {},
    ...stepActions<RevokeStepName, RevokeContext, RevokeEvent>(),
    // Nobody approves a revoke: its only decision is a cancel.
    ...approvalActions<RevokeContext, RevokeEvent>(),
  },
  guards: stepGuards<RevokeStepName, RevokeContext, RevokeEvent>(),
}).createMachine({
  id: 'revoke',
  initial: 'planning',
  context: ({ input }) => ({
    spec: input.spec,
    requestedAt: input.requestedAt,
    approvals: [],
    decision: null,
    ...noWorkYet(),
  }),
  states: {
    planning: {
      ...workState('planning'),
      on: {
        ...workState('planning').on,
        'step.done': {
          guard: { type: 'isCurrent', params: { step: 'planning' } },
          target: 'removePolicy',
          actions: [
            'storeOutput',
            // Approvers hear of it as information: nothing waits for them.
            { type: 'notify', params: { template: 'revokePlanned', audience: 'everyone' } },
          ],
        },
        // Approvers have not heard of it yet: only the requester hears that planning failed.
        'step.failed': stepFailed('planning', 'requester'),
        // Until the first write, a revoke can be called off.
        cancel: cancelRequest('everyone'),
      },
    },
    removePolicy: workState('removePolicy'),
    recreatePods: workState('recreatePods'),
    removeDnsRules: workState('removeDnsRules'),
    removePodGroup: {
      ...workState('removePodGroup'),
      on: {
        ...workState('removePodGroup').on,
        'step.done': stepEnds('removePodGroup', 'done', 'revoked'),
      },
    },
    done: { type: 'final' },
    failed: {
      on: {
        retry: retryFailedStep(['planning', ...revokeWorkStepNames] as const),
      },
    },
    cancelled: { type: 'final' },
  },
});

/** The revoke's work states: the shared shape, with planning first and the revoke's step order. */
function workState(step: RevokeStepName) {
  const next =
    step === 'planning' ? revokeWorkStepNames[0] : nextIn<RevokeWorkStepName>(revokeWorkStepNames, step);
  return sharedWorkState<RevokeStepName, RevokeContext, RevokeEvent>(step, next);
}

export type RevokeMachine = typeof revokeMachine;
