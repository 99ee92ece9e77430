/**
 * A process killed between a call and its outcome row leaves an intent without an outcome. When
 * the step runs again (on this or another replica), those intents are closed as INTERRUPTED, so the
 * trail says what is known — the call was made, its result was never recorded — and the step then
 * re-reads the world before it acts again. Every intent ends with exactly one outcome.
 */
import type { AuditEntry, Store } from '../store/store.ts';

export async function closeInterruptedCalls(
  store: Pick<Store, 'listOpenIntents' | 'appendAudit'>,
  requestId: string,
  step: string,
): Promise<number> {
  const open = await store.listOpenIntents(requestId, step);
  if (open.length === 0) return 0;
  const closing: AuditEntry[] = open.map((intent) => ({
    requestId,
    actor: intent.actor,
    kind: 'outcome',
    system: intent.system,
    action: intent.action,
    target: intent.target,
    outcome: 'INTERRUPTED',
    durationMs: null,
    cloudRequestId: null,
    details: { step, note: 'the process making this call stopped before its outcome was recorded' },
    callId: intent.callId,
  }));
  await store.appendAudit(closing);
  return closing.length;
}
