/**
 * The one way a request is opened, whether a person asked in chat or sgops asked itself (the
 * revoke of an expired grant): the request, its first snapshot and outbox, and the audit row of
 * that decision, in one transaction.
 */
import type { Engine, NewRequest, Transitioned } from '../engine/engine.ts';
import type { AuditEntry, StoreTx } from '../store/store.ts';

export async function openAuditedRequest(
  engine: Engine,
  request: NewRequest,
  input: unknown,
  decision: AuditEntry,
  /** Refuses the opening inside its transaction (throws), e.g. under a lock another opener also takes. */
  check?: (tx: StoreTx) => Promise<void>,
): Promise<Transitioned> {
  return engine.open(request, input, async (tx) => {
    await check?.(tx);
    await tx.appendAudit([decision]);
  });
}
