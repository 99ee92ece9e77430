import { describe, expect, it } from 'vitest';
import { initialTransition } from 'xstate';
import { revokeMachine, revokeMachineVersion } from '../../../../workflows/revoke/machine.ts';
import type { RevokeEvent } from '../../../../workflows/revoke/events.ts';
import type { RevokeInput, RevokeStepName } from '../../../../workflows/revoke/types.ts';
import { revokeWorkStepNames } from '../../../../workflows/revoke/types.ts';
import { effectsOf, myAppRequest, sendPersisted } from '../../../helpers/machine-fixtures.ts';

const at = '2026-01-01T00:00:00Z';

const input: RevokeInput = {
  spec: { ...myAppRequest('R9Q4'), reason: 'app retired' },
  requestedAt: at,
};

const plan = {
  cluster: { id: 'cls-sandbox1', name: 'sandbox', version: '1.26.1', vpcId: 'vpc-1' },
  clusterGroupId: 'sg-cluster01',
  podGroupId: 'sg-pod00001',
  policy: { name: 'sgops-my-app', exists: true, managed: true, groupIds: ['sg-pod00001'] },
  dnsRules: [],
  workloads: [{ kind: 'Deployment', name: 'my-deployment' }],
  pods: [],
  stillUsedBy: [],
  changes: [],
  warnings: [],
};

const outputs: Record<RevokeStepName, unknown> = {
  planning: plan,
  removePolicy: { policyName: 'sgops-my-app', deleted: true, kept: null },
  recreatePods: { restarted: ['Deployment/my-deployment'], skipped: [], barePods: [] },
  removeDnsRules: { removed: [], kept: [] },
  removePodGroup: { podGroupId: 'sg-pod00001', deleted: true, kept: [] },
};

type Snap = ReturnType<typeof initialTransition<typeof revokeMachine>>[0];
type Actions = ReturnType<typeof initialTransition<typeof revokeMachine>>[1];

const start = () => initialTransition(revokeMachine, input);

const send = (snapshot: Snap, event: RevokeEvent): [Snap, Actions] =>
  sendPersisted(revokeMachine, snapshot, event);

const attemptOf = (s: Snap, step: RevokeStepName) => s.context.attempts[step] ?? 0;
const done = (s: Snap, step: RevokeStepName, output = outputs[step]) =>
  send(s, { type: 'step.done', step, attempt: attemptOf(s, step), output } as RevokeEvent);
// What the engine keeps of the returned actions: the described effects.
const effects = (actions: Actions) =>
  effectsOf(actions.filter((a) => a.type === 'runStep' || a.type === 'notify'));
const error = { code: 'ROLLOUT_STALLED' as const, message: 'stalled', retryable: false, hint: 'fix it' };

/** The snapshot once the given work step is running. */
function at_(step: RevokeStepName): Snap {
  let [s] = start();
  for (const before of ['planning', ...revokeWorkStepNames] as const) {
    if (before === step) return s;
    [s] = done(s, before);
  }
  throw new Error(`no step ${step}`);
}

describe('the revoke machine', () => {
  it('carries version 1', () => {
    expect(revokeMachineVersion).toBe(1);
  });

  it('starts in planning with the request time kept and asks for the planning step', () => {
    const [s, actions] = start();
    expect(s.value).toBe('planning');
    expect(s.context.requestedAt).toBe(at);
    expect(s.context.approvals).toEqual([]);
    expect(effects(actions)).toEqual([{ type: 'runStep', step: 'planning', attempt: 1, delayMs: 0 }]);
  });

  it('starts removing right after planning, telling requester and approvers the plan as information', () => {
    const [s0] = start();
    const [s1, actions] = done(s0, 'planning');
    expect(s1.value).toBe('removePolicy');
    expect(s1.context.outputs.planning).toEqual(plan);
    expect(effects(actions)).toEqual(
      expect.arrayContaining([
        { type: 'notify', template: 'revokePlanned', audience: 'everyone' },
        { type: 'runStep', step: 'removePolicy', attempt: 1, delayMs: 0 },
      ]),
    );
  });

  it('walks every work step in order, announcing each next one, and ends done with a revoked notice', () => {
    let [s] = done(start()[0], 'planning');
    for (const step of revokeWorkStepNames) {
      expect(s.value).toBe(step);
      const [next, actions] = done(s, step);
      const i = revokeWorkStepNames.indexOf(step);
      const following = revokeWorkStepNames[i + 1];
      if (following) {
        expect(effects(actions)).toEqual(
          expect.arrayContaining([
            { type: 'notify', template: 'stepStarted', audience: 'requester', step: following },
            { type: 'runStep', step: following, attempt: 1, delayMs: 0 },
          ]),
        );
      } else {
        expect(effects(actions)).toContainEqual({
          type: 'notify',
          template: 'revoked',
          audience: 'everyone',
        });
      }
      s = next;
    }
    expect(s.value).toBe('done');
    expect(s.status).toBe('done');
    expect(s.context.outputs).toEqual(outputs);
  });

  it('re-arms a waiting step with a new attempt, the requested delay and the progress text', () => {
    const s = at_('recreatePods');
    const [s2, actions] = send(s, {
      type: 'step.wait',
      step: 'recreatePods',
      attempt: 1,
      delayMs: 500,
      progress: 'Deployment my-deployment: 1/2 updated',
    });
    expect(s2.value).toBe('recreatePods');
    expect(s2.context.progress).toBe('Deployment my-deployment: 1/2 updated');
    expect(effects(actions)).toContainEqual({
      type: 'runStep',
      step: 'recreatePods',
      attempt: 2,
      delayMs: 500,
    });
    const [s3] = done(s2, 'recreatePods');
    expect(s3.value).toBe('removeDnsRules');
    expect(s3.context.progress).toBeNull();
  });

  it('ignores results of stale attempts and of other steps', () => {
    const s = at_('removePolicy');
    const [stale] = send(s, {
      type: 'step.done',
      step: 'removePolicy',
      attempt: 7,
      output: { policyName: 'sgops-my-app', deleted: true, kept: null },
    });
    expect(stale.value).toBe('removePolicy');
    const [other] = send(s, {
      type: 'step.done',
      step: 'removeDnsRules',
      attempt: 1,
      output: { removed: [], kept: [] },
    });
    expect(other.value).toBe('removePolicy');
    const [staleFail] = send(s, { type: 'step.failed', step: 'removePolicy', attempt: 0, error });
    expect(staleFail.value).toBe('removePolicy');
  });

  for (const step of revokeWorkStepNames) {
    it(`fails at ${step} with the error kept, tells everyone, and retries that same step`, () => {
      const s = at_(step);
      const [failed, actions] = send(s, { type: 'step.failed', step, attempt: attemptOf(s, step), error });
      expect(failed.value).toBe('failed');
      expect(failed.context.failedStep).toBe(step);
      expect(failed.context.error).toEqual(error);
      expect(effects(actions)).toContainEqual({ type: 'notify', template: 'failed', audience: 'everyone' });

      const [retried, retryActions] = send(failed, { type: 'retry', by: 'alice', at });
      expect(retried.value).toBe(step);
      expect(retried.context.failedStep).toBeNull();
      expect(retried.context.error).toBeNull();
      expect(effects(retryActions)).toEqual(
        expect.arrayContaining([
          { type: 'notify', template: 'stepStarted', audience: 'requester', step },
          { type: 'runStep', step, attempt: attemptOf(s, step) + 1, delayMs: 0 },
        ]),
      );
    });
  }

  it('tells only the requester when planning fails, and retries planning', () => {
    const [s0] = start();
    const [failed, actions] = send(s0, { type: 'step.failed', step: 'planning', attempt: 1, error });
    expect(failed.value).toBe('failed');
    expect(effects(actions)).toContainEqual({ type: 'notify', template: 'failed', audience: 'requester' });
    const [retried] = send(failed, { type: 'retry', by: 'alice', at });
    expect(retried.value).toBe('planning');
    expect(retried.context.attempts.planning).toBe(2);
  });

  it('can be cancelled while planning, before any write, and not afterwards', () => {
    const [s0] = start();
    const [cancelled, actions] = send(s0, { type: 'cancel', by: 'alice', at });
    expect(cancelled.value).toBe('cancelled');
    expect(cancelled.status).toBe('done');
    expect(cancelled.context.decision).toEqual({ by: 'alice', at });
    expect(effects(actions)).toContainEqual({ type: 'notify', template: 'cancelled', audience: 'everyone' });
    const working = at_('removePolicy');
    expect(send(working, { type: 'cancel', by: 'alice', at })[0].value).toBe('removePolicy');
  });

  it('ignores retry outside failed and every event once done', () => {
    const working = at_('removeDnsRules');
    expect(send(working, { type: 'retry', by: 'alice', at })[0].value).toBe('removeDnsRules');
    let [s] = done(start()[0], 'planning');
    for (const step of revokeWorkStepNames) [s] = done(s, step);
    const [after, actions] = send(s, { type: 'retry', by: 'alice', at });
    expect(after.value).toBe('done');
    expect(effects(actions)).toEqual([]);
  });

  it('survives a JSON round trip of its snapshot in every state', () => {
    for (const step of ['planning', ...revokeWorkStepNames] as const) {
      const s = at_(step);
      const json = JSON.parse(JSON.stringify(revokeMachine.getPersistedSnapshot(s)));
      expect(revokeMachine.resolveState(json).value).toBe(step);
    }
  });
});
