/** The StoreTx operations, bound to one open drizzle transaction. */
import { and, eq } from 'drizzle-orm';
import { AppError } from '../errors.ts';
import { appendAuditRows, type AuditAppendDeps } from './append-audit-rows.ts';
import { referencingRequest } from './map-database-error.ts';
import { approvals, outbox, requests, workflowSnapshots } from './schema.ts';
import type { OutboxRow, RequestRow, SnapshotRow, StoreTx } from './store.ts';
import type { StoreDatabase } from './store-database.ts';

export function createStoreTx(tx: StoreDatabase, audit: AuditAppendDeps): StoreTx {
  const { clock } = audit;
  return {
    async insertRequest(row) {
      const now = clock.now();
      const inserted = await tx
        .insert(requests)
        .values({ ...row, createdAt: now, updatedAt: now })
        .onConflictDoNothing({ target: requests.id })
        .returning({ id: requests.id });
      if (inserted.length === 0) {
        throw new AppError('STATE_CONFLICT', `Request ${row.id} already exists`, {
          details: { requestId: row.id },
        });
      }
    },

    async lockRequest(id) {
      // Two statements on purpose: a joined SELECT … FOR UPDATE that waited for the lock would
      // re-check only the locked row and miss a snapshot the previous holder inserted.
      const [request] = await tx.select().from(requests).where(eq(requests.id, id)).for('update');
      if (request === undefined) return null;
      const [snapshot] = await tx.select().from(workflowSnapshots).where(eq(workflowSnapshots.requestId, id));
      return { request, snapshot: snapshot === undefined ? null : toSnapshotRow(snapshot) };
    },

    async saveSnapshot(input, state) {
      const now = clock.now();
      const updated = await tx
        .update(requests)
        .set({ state, updatedAt: now })
        .where(eq(requests.id, input.requestId))
        .returning({ id: requests.id });
      if (updated.length === 0) {
        throw new AppError('REQUEST_NOT_FOUND', `Request ${input.requestId} does not exist`, {
          details: { requestId: input.requestId },
        });
      }
      const values = {
        machine: input.machine,
        machineVersion: input.machineVersion,
        snapshot: input.snapshot,
        updatedAt: now,
      };
      const saved =
        input.expectedRevision === null
          ? await tx
              .insert(workflowSnapshots)
              .values({ ...values, requestId: input.requestId, revision: 1 })
              .onConflictDoNothing({ target: workflowSnapshots.requestId })
              .returning({ revision: workflowSnapshots.revision })
          : await tx
              .update(workflowSnapshots)
              .set({ ...values, revision: input.expectedRevision + 1 })
              .where(
                and(
                  eq(workflowSnapshots.requestId, input.requestId),
                  eq(workflowSnapshots.revision, input.expectedRevision),
                ),
              )
              .returning({ revision: workflowSnapshots.revision });
      const revision = saved[0]?.revision;
      if (revision === undefined) {
        throw new AppError('STATE_CONFLICT', `The snapshot of ${input.requestId} changed since it was read`, {
          details: { requestId: input.requestId, expectedRevision: input.expectedRevision },
        });
      }
      return revision;
    },

    async insertApproval(row) {
      const inserted = await referencingRequest([row.requestId], () =>
        tx
          .insert(approvals)
          .values({ ...row, at: clock.now() })
          .onConflictDoNothing({ target: [approvals.requestId, approvals.personId] })
          .returning({ personId: approvals.personId }),
      );
      return inserted.length > 0;
    },

    async insertOutbox(rows) {
      if (rows.length === 0) return [];
      const now = clock.now();
      const inserted: OutboxRow[] = await referencingRequest(
        rows.map((row) => row.requestId),
        () =>
          tx
            .insert(outbox)
            .values(rows.map((row) => ({ ...row, createdAt: now })))
            .onConflictDoNothing({ target: outbox.key })
            .returning(),
      );
      return inserted.sort((a, b) => a.id - b.id);
    },

    appendAudit(entries) {
      return appendAuditRows(tx, entries, audit, (fn) => fn(tx));
    },
  };
}

export function toSnapshotRow(row: typeof workflowSnapshots.$inferSelect): SnapshotRow {
  return {
    requestId: row.requestId,
    machine: row.machine,
    machineVersion: row.machineVersion,
    snapshot: row.snapshot,
    revision: row.revision,
  };
}

/** A request joined with its snapshot, in one statement. */
export function requestWithSnapshot(db: StoreDatabase, id: string) {
  return db
    .select({ request: requests, snapshot: workflowSnapshots })
    .from(requests)
    .leftJoin(workflowSnapshots, eq(workflowSnapshots.requestId, requests.id))
    .where(eq(requests.id, id));
}

export function toRequestWithSnapshot(row: {
  request: typeof requests.$inferSelect;
  snapshot: typeof workflowSnapshots.$inferSelect | null;
}): { request: RequestRow; snapshot: SnapshotRow | null } {
  return { request: row.request, snapshot: row.snapshot === null ? null : toSnapshotRow(row.snapshot) };
}
