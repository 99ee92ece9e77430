import { describe, expect, it } from 'vitest';
import type {
  Condition,
  RolloutFacts,
} from '../../../../adapters/kubernetes/simulator/deployment-conditions.ts';
import { progressing } from '../../../../adapters/kubernetes/simulator/deployment-conditions.ts';

const facts: RolloutFacts = {
  rsName: 'web-abc',
  complete: false,
  created: false,
  progressed: false,
  deadlineSeconds: 10,
};
const updated: Condition = {
  type: 'Progressing',
  status: 'True',
  reason: 'ReplicaSetUpdated',
  message: 'ReplicaSet "web-abc" is progressing.',
  lastUpdateTime: '2025-01-01T00:00:00Z',
  lastTransitionTime: '2024-12-31T23:59:00Z',
};

describe('the Progressing condition', () => {
  it('waits, asking to be looked at again, while the deadline has not passed', () => {
    const outcome = progressing([updated], facts, '2025-01-01T00:00:05Z');
    expect(outcome.conditions).toEqual([updated]);
    expect(outcome.recheckInMs).toBe(6000);
  });

  it('turns False with ProgressDeadlineExceeded once no progress was made for the deadline', () => {
    const outcome = progressing([updated], facts, '2025-01-01T00:00:11Z');
    expect(outcome.conditions).toEqual([
      {
        type: 'Progressing',
        status: 'False',
        reason: 'ProgressDeadlineExceeded',
        message: 'ReplicaSet "web-abc" has timed out progressing.',
        lastUpdateTime: '2025-01-01T00:00:11Z',
        lastTransitionTime: '2025-01-01T00:00:11Z',
      },
    ]);
    expect(outcome.recheckInMs).toBeUndefined();
  });

  it('refreshes lastUpdateTime on progress, keeping lastTransitionTime', () => {
    const outcome = progressing([updated], { ...facts, progressed: true }, '2025-01-01T00:00:09Z');
    expect(outcome.conditions[0]).toMatchObject({
      reason: 'ReplicaSetUpdated',
      lastUpdateTime: '2025-01-01T00:00:09Z',
      lastTransitionTime: '2024-12-31T23:59:00Z',
    });
  });

  it('never times out a complete rollout or one without a deadline', () => {
    expect(
      progressing([updated], { ...facts, complete: true }, '2025-01-02T00:00:00Z').conditions[0],
    ).toMatchObject({
      status: 'True',
      reason: 'NewReplicaSetAvailable',
      message: 'ReplicaSet "web-abc" has successfully progressed.',
    });
    expect(
      progressing([updated], { ...facts, deadlineSeconds: undefined }, '2025-01-02T00:00:00Z').conditions,
    ).toEqual([updated]);
  });
});
