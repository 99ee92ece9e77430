/** The Slack transport's thread table (`slack_threads`) over the store's drizzle database. */
import { and, eq, gt, isNotNull, lte, notExists, or, sql } from 'drizzle-orm';
import type { Clock } from '../ports/clock.ts';
import type { SlackThreadTable } from '../ports/chat-state.ts';
import { requests, slackThreads } from './schema.ts';
import type { StoreDatabase } from './store-database.ts';

export function createSlackThreadTable(db: StoreDatabase, clock: Clock): SlackThreadTable {
  return {
    async getSlackThread(key) {
      const [row] = await db
        .select({ value: slackThreads.value })
        .from(slackThreads)
        .where(and(eq(slackThreads.key, key), gt(slackThreads.expiresAt, clock.now())));
      return row?.value ?? null;
    },

    async putSlackThread(row) {
      await db
        .insert(slackThreads)
        .values(row)
        .onConflictDoUpdate({
          target: slackThreads.key,
          set: { value: row.value, requestId: row.requestId, expiresAt: row.expiresAt },
        });
    },

    async pruneSlackThreads() {
      const gone = await db
        .delete(slackThreads)
        .where(
          or(
            lte(slackThreads.expiresAt, clock.now()),
            and(
              isNotNull(slackThreads.requestId),
              notExists(
                db
                  .select({ one: sql`1` })
                  .from(requests)
                  .where(eq(requests.id, slackThreads.requestId)),
              ),
            ),
          ),
        )
        .returning({ key: slackThreads.key });
      return gone.length;
    },
  };
}
