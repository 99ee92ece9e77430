/**
 * Appends entries to the audit chain inside the caller's transaction. The audit_head row is
 * locked first (SELECT … FOR UPDATE), so appenders in any number of processes take turns and
 * each batch continues exactly from the head it read; seq is gapless because it comes from
 * the head, not a sequence.
 */
import { eq } from 'drizzle-orm';
import { computeAuditHash } from '../audit/audit-hash.ts';
import { AppError } from '../errors.ts';
import type { Clock } from '../ports/clock.ts';
import { auditHead, auditLog } from './schema.ts';
import type { AuditEntry, AuditRow } from './store.ts';
import type { StoreDatabase } from './store-database.ts';

export async function appendAuditRows(
  tx: StoreDatabase,
  entries: readonly AuditEntry[],
  auditKey: string,
  clock: Clock,
): Promise<AuditRow[]> {
  if (entries.length === 0) return [];
  const [head] = await tx.select().from(auditHead).where(eq(auditHead.id, 1)).for('update');
  if (head === undefined) {
    throw new AppError('INTERNAL', 'The audit_head row is missing', {
      hint: 'The store migrations were not applied to this schema',
    });
  }
  // One timestamp per batch, at millisecond precision so it survives timestamptz unchanged.
  const at = new Date(clock.now().getTime());
  let seq = head.lastSeq;
  let prevHash = head.lastHash;
  const rows = entries.map((entry): AuditRow => {
    seq += 1;
    const row: Omit<AuditRow, 'hash'> = { ...normaliseEntry(entry), seq, at, prevHash };
    prevHash = computeAuditHash(auditKey, row);
    return { ...row, hash: prevHash };
  });
  await tx.insert(auditLog).values(rows);
  await tx.update(auditHead).set({ lastSeq: seq, lastHash: prevHash }).where(eq(auditHead.id, 1));
  return rows;
}

/**
 * Picks the known fields and shapes them as the database will return them (details through
 * JSON, durationMs as an integer), so the hash computed now matches the row read back later.
 */
function normaliseEntry(entry: AuditEntry): AuditEntry {
  return {
    requestId: entry.requestId ?? null,
    actor: entry.actor,
    kind: entry.kind,
    system: entry.system,
    action: entry.action,
    target: entry.target,
    outcome: entry.outcome ?? null,
    durationMs:
      entry.durationMs === null || entry.durationMs === undefined ? null : Math.round(entry.durationMs),
    cloudRequestId: entry.cloudRequestId ?? null,
    details: JSON.parse(JSON.stringify(entry.details ?? {})) as Record<string, unknown>,
    callId: entry.callId ?? null,
  };
}
