/**
 * Appends entries to the audit chain. seq is gapless because it comes from the audit_head row, not
 * a sequence, and each batch continues exactly from the head it was chained to.
 *
 * Two ways in, one result. The fast way chains the batch to the head this process last wrote or
 * read and writes it in ONE statement that moves the head only if it is still there (compare and
 * set); nothing is written when another writer got in first. The safe way, taken then, locks the
 * head (SELECT … FOR UPDATE) so appenders in any number of processes take turns. The guess is
 * only ever a shortcut: a wrong one (another replica, a rolled-back transaction) costs one retry.
 */
import { eq, sql } from 'drizzle-orm';
import { computeAuditHash } from '../audit/audit-hash.ts';
import { AppError } from '../errors.ts';
import type { Clock } from '../ports/clock.ts';
import { executeRows } from './execute-rows.ts';
import { auditHead, auditLog } from './schema.ts';
import type { AuditEntry, AuditRow } from './store.ts';
import type { StoreDatabase } from './store-database.ts';

export interface ChainHead {
  seq: number;
  hash: string;
}

/** The head this process last saw; one per store, shared by its transactions. */
export interface HeadMemo {
  current: ChainHead | null;
}

export interface AuditAppendDeps {
  auditKey: string;
  clock: Clock;
  memo: HeadMemo;
}

/**
 * `db` runs the fast statement; `locked` runs the safe way inside a transaction (a new one at the
 * top level, the caller's own inside a StoreTx).
 */
export async function appendAuditRows(
  db: StoreDatabase,
  entries: readonly AuditEntry[],
  deps: AuditAppendDeps,
  locked: <T>(fn: (tx: StoreDatabase) => Promise<T>) => Promise<T>,
): Promise<AuditRow[]> {
  if (entries.length === 0) return [];
  // One timestamp per batch, at millisecond precision so it survives timestamptz unchanged.
  const at = new Date(deps.clock.now().getTime());
  const guess = deps.memo.current;
  if (guess !== null) {
    const rows = chainRows(guess, entries, at, deps.auditKey);
    if (await insertIfHeadIs(db, guess, rows)) {
      deps.memo.current = headOf(rows);
      return rows;
    }
  }
  const rows = await locked(async (tx) => {
    const [head] = await tx.select().from(auditHead).where(eq(auditHead.id, 1)).for('update');
    if (head === undefined) {
      throw new AppError('INTERNAL', 'The audit_head row is missing', {
        hint: 'The store migrations were not applied to this schema',
      });
    }
    const chained = chainRows({ seq: head.lastSeq, hash: head.lastHash }, entries, at, deps.auditKey);
    await tx.insert(auditLog).values(chained);
    const last = headOf(chained);
    await tx.update(auditHead).set({ lastSeq: last.seq, lastHash: last.hash }).where(eq(auditHead.id, 1));
    return chained;
  });
  deps.memo.current = headOf(rows);
  return rows;
}

function chainRows(head: ChainHead, entries: readonly AuditEntry[], at: Date, auditKey: string): AuditRow[] {
  let seq = head.seq;
  let prevHash = head.hash;
  return entries.map((entry): AuditRow => {
    seq += 1;
    const row: Omit<AuditRow, 'hash'> = { ...normaliseEntry(entry), seq, at, prevHash };
    prevHash = computeAuditHash(auditKey, row);
    return { ...row, hash: prevHash };
  });
}

const headOf = (rows: readonly AuditRow[]): ChainHead => {
  const last = rows[rows.length - 1]!;
  return { seq: last.seq, hash: last.hash };
};

/**
 * Moves the head from `expected` to the batch's last row and inserts the batch, in one statement;
 * false (and nothing written) when the head is no longer `expected`. Under READ COMMITTED an
 * UPDATE that waited for another writer re-checks its WHERE against the row that writer left.
 */
async function insertIfHeadIs(
  db: StoreDatabase,
  expected: ChainHead,
  rows: readonly AuditRow[],
): Promise<boolean> {
  const last = headOf(rows);
  const batch = JSON.stringify(
    rows.map((r) => ({
      seq: r.seq,
      at: r.at.toISOString(),
      request_id: r.requestId,
      actor: r.actor,
      kind: r.kind,
      system: r.system,
      action: r.action,
      target: r.target,
      outcome: r.outcome,
      duration_ms: r.durationMs,
      cloud_request_id: r.cloudRequestId,
      details: r.details,
      call_id: r.callId,
      prev_hash: r.prevHash,
      hash: r.hash,
    })),
  );
  const inserted = await executeRows<{ seq: unknown }>(
    db,
    sql`
    with moved as (
      update ${auditHead} set last_seq = ${last.seq}, last_hash = ${last.hash}
      where id = 1 and last_seq = ${expected.seq} and last_hash = ${expected.hash}
      returning 1
    )
    insert into ${auditLog} (seq, at, request_id, actor, kind, system, action, target, outcome,
      duration_ms, cloud_request_id, details, call_id, prev_hash, hash)
    select b.seq, b.at, b.request_id, b.actor, b.kind, b.system, b.action, b.target, b.outcome,
      b.duration_ms, b.cloud_request_id, b.details, b.call_id, b.prev_hash, b.hash
    from jsonb_to_recordset(${batch}::jsonb) as b(seq bigint, at timestamptz, request_id text,
      actor text, kind text, system text, action text, target text, outcome text, duration_ms integer,
      cloud_request_id text, details jsonb, call_id text, prev_hash text, hash text)
    where exists (select 1 from moved)
    returning seq`,
  );
  return inserted.length === rows.length;
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
