/**
 * The intents a step recorded that have no outcome yet: calls a stopped process left open (see
 * src/audit/close-interrupted-calls.ts). Oldest first.
 */
import { and, asc, eq, isNotNull, notExists, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { auditLog } from './schema.ts';
import type { StoreDatabase } from './store-database.ts';

export function selectOpenIntents(db: StoreDatabase, requestId: string, step: string) {
  const outcome = alias(auditLog, 'outcome');
  return db
    .select()
    .from(auditLog)
    .where(
      and(
        eq(auditLog.requestId, requestId),
        eq(auditLog.kind, 'intent'),
        isNotNull(auditLog.callId),
        sql`${auditLog.details}->>'step' = ${step}`,
        notExists(
          db
            .select({ one: sql`1` })
            .from(outcome)
            .where(
              and(
                eq(outcome.requestId, requestId),
                eq(outcome.kind, 'outcome'),
                eq(outcome.callId, auditLog.callId),
              ),
            ),
        ),
      ),
    )
    .orderBy(asc(auditLog.seq));
}
