/**
 * A request's audit rows as a person reads them: one entry per call (its intent and outcome rows
 * joined by callId) or per chat decision. Details are left out: they can hold arguments, and the
 * timeline only needs what happened, where, how it ended and how long it took.
 */
import type { AuditRow } from '../store/store.ts';

export interface AuditCall {
  seq: number;
  /** When the call started (the intent's time), or the decision's time. */
  at: string;
  actor: string;
  system: AuditRow['system'];
  action: string;
  target: string;
  /** The step that made the call, when one did. */
  step: string | null;
  /** `ok`, an error code, or null while the call is still in flight. */
  outcome: string | null;
  durationMs: number | null;
  cloudRequestId: string | null;
}

export function auditTimeline(rows: readonly AuditRow[]): AuditCall[] {
  const calls: AuditCall[] = [];
  const open = new Map<string, AuditCall>();
  for (const row of [...rows].sort((a, b) => a.seq - b.seq)) {
    const pending = row.kind === 'outcome' && row.callId ? open.get(row.callId) : undefined;
    if (pending) {
      pending.outcome = row.outcome;
      pending.durationMs = row.durationMs;
      pending.cloudRequestId = row.cloudRequestId;
      open.delete(row.callId!);
      continue;
    }
    const call: AuditCall = {
      seq: row.seq,
      at: row.at.toISOString(),
      actor: row.actor,
      system: row.system,
      action: row.action,
      target: row.target,
      step: typeof row.details['step'] === 'string' ? row.details['step'] : null,
      outcome: row.outcome,
      durationMs: row.durationMs,
      cloudRequestId: row.cloudRequestId,
    };
    calls.push(call);
    if (row.kind === 'intent' && row.callId) open.set(row.callId, call);
  }
  return calls;
}
