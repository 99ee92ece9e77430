/**
 * Deterministic BullMQ job ids: adding a job whose id exists returns the existing job, so
 * re-dispatching an outbox row after a crash never runs a step twice. Ids may not contain ':'.
 */
export const stepJobId = (requestId: string, step: string, attempt: number) =>
  `${requestId}.${step}.${attempt}`;
export const timerJobId = (requestId: string, name: string) => `${requestId}.timer.${name}`;
export const outboxKey = (requestId: string, revision: number, index: number) =>
  `${requestId}.r${revision}.${index}`;
