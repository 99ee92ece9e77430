/**
 * A process killed between a call and its outcome row (or one whose database stayed away for longer
 * than it waited to write that row) leaves an intent without an outcome. When
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
    details: {
      step,
      note: 'the outcome of this call was never recorded: the process making it stopped, or could not reach the database, first',
    },
    callId: intent.callId,
  }));
  await store.appendAudit(closing);
  return closing.length;
}
