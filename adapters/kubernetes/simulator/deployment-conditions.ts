export interface Condition {
  type: string;
  status: string;
  reason: string;
  message: string;
  lastUpdateTime?: string;
  lastTransitionTime?: string;
}

/** Replaces a condition; an unchanged one keeps its times, as the controller's SetDeploymentCondition does. */
export function setCondition(
  conditions: Condition[],
  next: Condition,
  now: string,
  force = false,
): Condition[] {
  const old = conditions.find((c) => c.type === next.type);
  if (
    !force &&
    old !== undefined &&
    old.status === next.status &&
    old.reason === next.reason &&
    old.message === next.message
  ) {
    return conditions;
  }
  const stamped = {
    ...next,
    lastUpdateTime: now,
    lastTransitionTime: old !== undefined && old.status === next.status ? old.lastTransitionTime : now,
  };
  return [...conditions.filter((c) => c.type !== next.type), stamped];
}

export interface RolloutFacts {
  /** The new ReplicaSet's name. */
  rsName: string;
  complete: boolean;
  /** The new ReplicaSet was created in this pass. */
  created: boolean;
  /** Updated, ready or available replicas went up, or old replicas went down (DeploymentProgressing). */
  progressed: boolean;
  /** spec.progressDeadlineSeconds unless paused. */
  deadlineSeconds: number | undefined;
}

export interface ProgressOutcome {
  conditions: Condition[];
  /** When the deadline has not passed yet: ms until it does (the controller looks again then). */
  recheckInMs?: number;
}

/**
 * The Progressing condition as the deployment controller's syncRolloutStatus computes it:
 * any progress refreshes lastUpdateTime; none for progressDeadlineSeconds since then turns it
 * into Progressing=False, reason ProgressDeadlineExceeded (which `kubectl rollout status` reports).
 */
export function progressing(conditions: Condition[], facts: RolloutFacts, now: string): ProgressOutcome {
  const { rsName } = facts;
  if (facts.complete) {
    const next = {
      type: 'Progressing',
      status: 'True',
      reason: 'NewReplicaSetAvailable',
      message: `ReplicaSet "${rsName}" has successfully progressed.`,
    };
    return { conditions: setCondition(conditions, next, now) };
  }
  if (facts.created) {
    const next = {
      type: 'Progressing',
      status: 'True',
      reason: 'NewReplicaSetCreated',
      message: `Created new replica set "${rsName}"`,
    };
    return withDeadline(setCondition(conditions, next, now, true), facts, now);
  }
  if (facts.progressed) {
    const next = {
      type: 'Progressing',
      status: 'True',
      reason: 'ReplicaSetUpdated',
      message: `ReplicaSet "${rsName}" is progressing.`,
    };
    return withDeadline(setCondition(conditions, next, now, true), facts, now);
  }
  const current = conditions.find((c) => c.type === 'Progressing');
  if (current === undefined || current.reason === 'NewReplicaSetAvailable') {
    const next = {
      type: 'Progressing',
      status: 'True',
      reason: 'ReplicaSetUpdated',
      message: `ReplicaSet "${rsName}" is progressing.`,
    };
    return withDeadline(setCondition(conditions, next, now, true), facts, now);
  }
  return withDeadline(conditions, facts, now);
}

function withDeadline(conditions: Condition[], facts: RolloutFacts, now: string): ProgressOutcome {
  const current = conditions.find((c) => c.type === 'Progressing');
  if (facts.deadlineSeconds === undefined || current === undefined) return { conditions };
  if (current.reason === 'ProgressDeadlineExceeded') return { conditions };
  const due = Date.parse(current.lastUpdateTime ?? now) + facts.deadlineSeconds * 1000;
  // Timestamps have second precision; "before now" must hold strictly, as in DeploymentTimedOut.
  if (due < Date.parse(now)) {
    const next = {
      type: 'Progressing',
      status: 'False',
      reason: 'ProgressDeadlineExceeded',
      message: `ReplicaSet "${facts.rsName}" has timed out progressing.`,
    };
    return { conditions: setCondition(conditions, next, now) };
  }
  return { conditions, recheckInMs: due - Date.parse(now) + 1000 };
}
