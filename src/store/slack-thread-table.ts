/** The Slack transport's thread table (`slack_threads`) over the store's drizzle database. */
import { and, eq, gt, isNotNull, lte, notExists, or, sql } from 'drizzle-orm';
import type { Clock } from '../ports/clock.ts';
import type { SlackThreadRow, SlackThreadTable } from '../ports/chat-state.ts';
import { groupCommit } from './group-commit.ts';
import { requests, slackThreads } from './schema.ts';
import type { StoreDatabase } from './store-database.ts';

export function createSlackThreadTable(db: StoreDatabase, clock: Clock): SlackThreadTable {
  // Writes arriving together (a burst of slash commands each keeping its response_url) share one
  // upsert; each caller still waits for its own row's commit.
  const putMany = groupCommit(async (rows: SlackThreadRow[]) => {
    // One statement may not update a row twice: of two writes to a key, the later one is kept.
    const latest = [...new Map(rows.map((row) => [row.key, row])).values()];
    await db
      .insert(slackThreads)
      .values(latest)
      .onConflictDoUpdate({
        target: slackThreads.key,
        set: {
          value: sql`excluded.value`,
          requestId: sql`excluded.request_id`,
          expiresAt: sql`excluded.expires_at`,
        },
      });
    return rows.map(() => undefined);
  });
  return {
    async getSlackThread(key) {
      const [row] = await db
        .select({ value: slackThreads.value })
        .from(slackThreads)
        .where(and(eq(slackThreads.key, key), gt(slackThreads.expiresAt, clock.now())));
      return row?.value ?? null;
    },

    async putSlackThread(row) {
      await putMany([row]);
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
