/**
 * The one way a request is opened, whether a person asked in chat or sgops asked itself (the
 * revoke of an expired grant): the request, its first snapshot and outbox, and the audit row of
 * that decision, in one transaction.
 */
import type { Engine, NewRequest, Transitioned } from '../engine/engine.ts';
import type { AuditEntry } from '../store/store.ts';

export async function openAuditedRequest(
  engine: Engine,
  request: NewRequest,
  input: unknown,
  decision: AuditEntry,
): Promise<Transitioned> {
  return engine.open(request, input, async (tx) => {
    await tx.appendAudit([decision]);
  });
}
