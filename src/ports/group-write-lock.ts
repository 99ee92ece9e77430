/**
 * Writes into one security group, one at a time across every sgops replica. A rule write is guarded
 * by the rule set's Version: a grant that reads the set while another writes it is refused with
 * UnsupportedOperation.VersionMismatch, and every refused call spends the account's rate limit. A
 * step runs each read-then-write on a group inside `serialise`, so the read it plans from is still
 * the group's state when its write lands. The Version guard stays: the lock spares calls, and a
 * writer outside sgops (the console, another tool) is still caught by it.
 */
export interface GroupWriteLock {
  /**
   * Runs `fn` once no other writer of `securityGroupId` holds its turn, and gives the turn back when
   * `fn` settles. Waiting ends with the retryable GROUP_WRITE_BUSY when `signal` aborts (the worker
   * is stopping) or the wait is longer than the lock's bound; `fn` is then never run.
   */
  serialise<T>(securityGroupId: string, fn: () => Promise<T>, signal?: AbortSignal): Promise<T>;
}
