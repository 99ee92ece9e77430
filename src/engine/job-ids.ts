/**
 * Deterministic BullMQ job ids: adding a job whose id exists returns the existing job, so
 * re-dispatching an outbox row after a crash never runs a step twice. Ids may not contain ':'.
 */
export const stepJobId = (requestId: string, step: string, attempt: number) =>
  `${requestId}.${step}.${attempt}`;
/** A repeating timer (the approval reminder) gives each occurrence its `seq`: the next is armed while one runs. */
export const timerJobId = (requestId: string, name: string, seq?: number) =>
  `${requestId}.timer.${name}${seq === undefined ? '' : `.${seq}`}`;
/** One per request: a request opens at most one follow-up (the revoke of an expired grant). */
export const openRevokeJobId = (requestId: string) => `${requestId}.openRevoke`;
export const outboxKey = (requestId: string, revision: number, index: number) =>
  `${requestId}.r${revision}.${index}`;
