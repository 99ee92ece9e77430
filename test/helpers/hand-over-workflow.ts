/**
 * Workflow settings for tests of a step going from one replica to another: locks far longer than
 * the test, so a step can reach the other replica only when the first hands it over, never
 * because a lock lapsed.
 */
export const handOverWorkflow = {
  stepBackoffMs: 50,
  pollDelayMs: 100,
  approvalTimeoutMs: 600_000,
  shutdownGraceMs: 10_000,
  lockDurationMs: 30_000,
  stalledIntervalMs: 30_000,
};
