/**
 * The marks concurrent workers set together, one statement per batch (see group-commit.ts): an
 * outbox row dispatched, a chat line handled.
 */
import { and, eq, inArray, isNull, or } from 'drizzle-orm';
import type { Clock } from '../ports/clock.ts';
import { groupCommit } from './group-commit.ts';
import { chatInbox, outbox } from './schema.ts';
import type { StoreDatabase } from './store-database.ts';

export interface BatchedMarks {
  markDispatched(ids: number[]): Promise<number[]>;
  /** For each key: whether this call marked it (false when it was handled already, or twice in the batch). */
  markHandled(keys: { platform: string; messageId: string }[]): Promise<boolean[]>;
}

export function createBatchedMarks(db: StoreDatabase, clock: Clock): BatchedMarks {
  // Concurrent steps' dispatches are marked together. Only the first dispatch is recorded; a
  // re-send after a crash keeps the original time.
  const markDispatched = groupCommit(async (ids: number[]) => {
    await db
      .update(outbox)
      .set({ dispatchedAt: clock.now() })
      .where(and(inArray(outbox.id, ids), isNull(outbox.dispatchedAt)));
    return ids;
  });

  // Lines the chat workers finish together are marked together.
  const markHandled = groupCommit(async (keys: { platform: string; messageId: string }[]) => {
    const marked = await db
      .update(chatInbox)
      .set({ handledAt: clock.now() })
      .where(
        and(
          isNull(chatInbox.handledAt),
          or(
            ...keys.map((k) => and(eq(chatInbox.platform, k.platform), eq(chatInbox.messageId, k.messageId))),
          ),
        ),
      )
      .returning({ platform: chatInbox.platform, messageId: chatInbox.messageId });
    // Newly marked = updated now, and the first of its kind in this batch.
    const fresh = new Set(marked.map((r) => `${r.platform}\n${r.messageId}`));
    return keys.map((k) => fresh.delete(`${k.platform}\n${k.messageId}`));
  });

  return { markDispatched, markHandled };
}
