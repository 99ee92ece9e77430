/**
 * The Store over drizzle, for pg and PGlite alike: same schema, same queries.
 * On PGlite (one connection) a Store method called from inside `transaction()` would wait for
 * that transaction to end, so inside a transaction use only the StoreTx it hands you.
 */
import { withConnectionLossMapped } from './with-connection-loss-mapped.ts';
import { and, asc, eq, gt, isNull, lt, type SQL } from 'drizzle-orm';
import { AppError } from '../errors.ts';
import { systemClock, type Clock } from '../ports/clock.ts';
import { appendAuditRows } from './append-audit-rows.ts';
import type { ChatStateStore } from './chat-state-store.ts';
import { createChatStateStore } from './create-chat-state-store.ts';
import { groupCommit } from './group-commit.ts';
import { createBatchedMarks } from './batched-marks.ts';
import { selectOpenIntents } from './select-open-intents.ts';
import { selectRequests } from './select-requests.ts';
import { createStoreTx, toSnapshotRow } from './create-store-tx.ts';
import { openDatabase, type StoreDriverOptions } from './open-database.ts';
import { approvals, auditLog, chatInbox, outbox, requests, workflowSnapshots } from './schema.ts';
import type { AuditEntry, RequestRow, SnapshotRow, Store } from './store.ts';
import type { StoreDatabase } from './store-database.ts';

export type CreateStoreOptions = StoreDriverOptions & {
  /** The audit chain's HMAC key, from configuration; never stored in the database. */
  auditKey: string;
  clock?: Clock;
  /** Where the drizzle-kit migrations live; the repository's ./drizzle by default. */
  migrationsFolder?: string;
};

/** The system of record and, beside it, the chat platforms' shared working memory. */
export async function createStore(options: CreateStoreOptions): Promise<Store & ChatStateStore> {
  const { auditKey } = options;
  if (typeof auditKey !== 'string' || auditKey.length === 0) {
    throw new AppError('CONFIG_INVALID', 'The audit key is empty', {
      hint: 'Configure a long random secret as the audit key',
    });
  }
  const clock = options.clock ?? systemClock;
  const { db, close } = await openDatabase(options, options.migrationsFolder);
  let closing: Promise<void> | undefined;

  const audit = { auditKey, clock, memo: { current: null } };
  const appendCoalesced = groupCommit((entries: AuditEntry[]) =>
    appendAuditRows(db, entries, audit, (fn) => db.transaction(fn)),
  );

  const { markDispatched, markHandled } = createBatchedMarks(db, clock);

  // A lost connection (a restart, a failover) reaches callers as the retryable DATABASE_UNAVAILABLE.
  return withConnectionLossMapped({
    ...createChatStateStore(db, clock),

    transaction(fn) {
      return db.transaction((tx) => fn(createStoreTx(tx, audit)));
    },

    async getRequest(id) {
      const [row] = await db.select().from(requests).where(eq(requests.id, id));
      return row ?? null;
    },

    async readRequest(id) {
      const [row] = await requestWithSnapshot(db, id);
      return row === undefined ? null : toRequestWithSnapshot(row);
    },

    /** Newest first; at most `limit` (100 by default). */
    listRequests(filter = {}) {
      return selectRequests(db, filter);
    },

    listApprovals(requestId) {
      return db
        .select()
        .from(approvals)
        .where(eq(approvals.requestId, requestId))
        .orderBy(asc(approvals.at), asc(approvals.personId));
    },

    async recordChatMessages(rows) {
      if (rows.length === 0) return [];
      const receivedAt = clock.now();
      const inserted = await db
        .insert(chatInbox)
        .values(rows.map((row) => ({ ...row, receivedAt })))
        .onConflictDoNothing({ target: [chatInbox.platform, chatInbox.messageId] })
        .returning({ platform: chatInbox.platform, messageId: chatInbox.messageId });
      // Fresh = inserted now, and the first of its kind in this batch (Postgres keeps that one).
      const fresh = new Set(inserted.map((r) => `${r.platform}\n${r.messageId}`));
      return rows.map((row) => fresh.delete(`${row.platform}\n${row.messageId}`));
    },

    listUnhandledChatMessages({ receivedBefore, limit }) {
      return db
        .select()
        .from(chatInbox)
        .where(and(isNull(chatInbox.handledAt), lt(chatInbox.receivedAt, receivedBefore)))
        .orderBy(asc(chatInbox.receivedAt), asc(chatInbox.platform), asc(chatInbox.messageId))
        .limit(limit);
    },

    async markChatMessagesHandled(keys) {
      if (keys.length === 0) return [];
      return markHandled(keys);
    },

    listUndispatchedOutbox(limit) {
      return db.select().from(outbox).where(isNull(outbox.dispatchedAt)).orderBy(asc(outbox.id)).limit(limit);
    },

    async markOutboxDispatched(ids) {
      if (ids.length === 0) return;
      await markDispatched(ids);
    },

    async appendAudit(entries) {
      if (entries.length === 0) return [];
      return appendCoalesced(entries);
    },

    /** Oldest first; every matching row when no limit is given (page with afterSeq). */
    listAudit(filter = {}) {
      const conditions: SQL[] = [];
      if (filter.requestId !== undefined) conditions.push(eq(auditLog.requestId, filter.requestId));
      if (filter.afterSeq !== undefined) conditions.push(gt(auditLog.seq, filter.afterSeq));
      const query = db
        .select()
        .from(auditLog)
        .where(and(...conditions))
        .orderBy(asc(auditLog.seq));
      return filter.limit === undefined ? query : query.limit(filter.limit);
    },

    listOpenIntents(requestId, step) {
      return selectOpenIntents(db, requestId, step);
    },

    /** Safe to call more than once. */
    close() {
      closing ??= close();
      return closing;
    },
  });
}

/** A request joined with its snapshot, in one statement. */
function requestWithSnapshot(db: StoreDatabase, id: string) {
  return db
    .select({ request: requests, snapshot: workflowSnapshots })
    .from(requests)
    .leftJoin(workflowSnapshots, eq(workflowSnapshots.requestId, requests.id))
    .where(eq(requests.id, id));
}

function toRequestWithSnapshot(row: {
  request: typeof requests.$inferSelect;
  snapshot: typeof workflowSnapshots.$inferSelect | null;
}): { request: RequestRow; snapshot: SnapshotRow | null } {
  return { request: row.request, snapshot: row.snapshot === null ? null : toSnapshotRow(row.snapshot) };
}
