/** The StoreTx operations, bound to one open drizzle transaction. */
import { eq, sql } from 'drizzle-orm';
import { AppError } from '../errors.ts';
import { appendAuditRows, type AuditAppendDeps } from './append-audit-rows.ts';
import { referencingRequest } from './map-database-error.ts';
import { approvals, outbox, requests, workflowSnapshots } from './schema.ts';
import type { OutboxRow, SnapshotRow, StoreTx } from './store.ts';
import type { StoreDatabase } from './store-database.ts';
import { executeRows } from './execute-rows.ts';
import { selectRequests } from './select-requests.ts';

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

    listRequests(filter) {
      return selectRequests(tx, filter);
    },

    async saveSnapshot(input, state) {
      const now = clock.now();
      const { requestId, expectedRevision } = input;
      // Both rows in one statement: the request's state and, only while the revision is still the
      // one read, the snapshot. found = 0 means no such request; revision null, a stale read.
      const at = sql`${now.toISOString()}::timestamptz`;
      const snapshot = sql`${JSON.stringify(input.snapshot)}::jsonb`;
      const saveSnapshot =
        expectedRevision === null
          ? sql`insert into ${workflowSnapshots}
                  (request_id, machine, machine_version, snapshot, revision, updated_at)
                select id, ${input.machine}, ${input.machineVersion}, ${snapshot}, 1, ${at} from req
                on conflict (request_id) do nothing
                returning revision`
          : sql`update ${workflowSnapshots}
                set machine = ${input.machine}, machine_version = ${input.machineVersion},
                  snapshot = ${snapshot}, revision = ${expectedRevision + 1}, updated_at = ${at}
                where request_id = ${requestId} and revision = ${expectedRevision}
                  and exists (select 1 from req)
                returning revision`;
      const [row] = await executeRows<{ found: number; revision: number | null }>(
        tx,
        sql`
        with req as (
          update ${requests} set state = ${state}, updated_at = ${at} where id = ${requestId} returning id
        ), snap as (${saveSnapshot})
        select (select count(*) from req)::int as found, (select revision from snap) as revision`,
      );
      if (!row || row.found === 0) {
        throw new AppError('REQUEST_NOT_FOUND', `Request ${requestId} does not exist`, {
          details: { requestId },
        });
      }
      if (row.revision === null) {
        throw new AppError('STATE_CONFLICT', `The snapshot of ${requestId} changed since it was read`, {
          details: { requestId, expectedRevision },
        });
      }
      return Number(row.revision);
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
