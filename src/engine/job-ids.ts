/**
 * Deterministic BullMQ job ids: adding a job whose id exists returns the existing job, so
 * re-dispatching an outbox row after a crash never runs a step twice. Ids may not contain ':'.
 */
export const stepJobId = (requestId: string, step: string, attempt: number) =>
  `${requestId}.${step}.${attempt}`;
/** A repeating timer (the approval reminder) gives each occurrence its `seq`: the next is armed while one runs. */
export const timerJobId = (requestId: string, name: string, seq?: number) =>
  `${requestId}.timer.${name}${seq === undefined ? '' : `.${seq}`}`;
/**
 * A workflow's own effect, one per request and type (an expired grant opens at most one revoke:
 * `R7K2.openRevoke`).
 */
export const workflowEffectJobId = (requestId: string, type: string) => `${requestId}.${type}`;
export const outboxKey = (requestId: string, revision: number, index: number) =>
  `${requestId}.r${revision}.${index}`;
