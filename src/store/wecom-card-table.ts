/** The WeCom transport's card table (`wecom_cards`) over the store's drizzle database. */
import { and, asc, eq, gte, lt } from 'drizzle-orm';
import type { Clock } from '../ports/clock.ts';
import { wecomCardFromClick, type WeComCardTable } from '../ports/chat-state.ts';
import { wecomCards } from './schema.ts';
import type { StoreDatabase } from './store-database.ts';

export function createWeComCardTable(db: StoreDatabase, clock: Clock): WeComCardTable {
  return {
    async saveWeComCard(card) {
      const values = {
        requestId: card.requestId,
        userId: card.userId,
        locale: card.locale,
        responseCode: card.responseCode,
        clickMessageId: null,
        closed: false,
        sentAt: card.sentAt,
      };
      await db
        .insert(wecomCards)
        .values({ taskId: card.taskId, ...values })
        .onConflictDoUpdate({ target: wecomCards.taskId, set: values });
    },

    async getWeComCard(taskId, sentAfter) {
      const [row] = await db
        .select()
        .from(wecomCards)
        .where(and(eq(wecomCards.taskId, taskId), gte(wecomCards.sentAt, sentAfter)));
      return row ?? null;
    },

    async recordWeComCardClick(click) {
      await db
        .insert(wecomCards)
        .values(wecomCardFromClick(click, clock.now()))
        .onConflictDoUpdate({
          target: wecomCards.taskId,
          set: { responseCode: click.responseCode, clickMessageId: click.messageId },
        });
    },

    listOpenWeComCards(requestId, userId, sentAfter) {
      return db
        .select()
        .from(wecomCards)
        .where(
          and(
            eq(wecomCards.requestId, requestId),
            eq(wecomCards.userId, userId),
            eq(wecomCards.closed, false),
            gte(wecomCards.sentAt, sentAfter),
          ),
        )
        .orderBy(asc(wecomCards.sentAt), asc(wecomCards.taskId));
    },

    async closeWeComCard(taskId) {
      await db
        .update(wecomCards)
        .set({ closed: true, responseCode: null })
        .where(eq(wecomCards.taskId, taskId));
    },

    async claimWeComCard(taskId) {
      const [row] = await db
        .update(wecomCards)
        .set({ closed: true })
        .where(and(eq(wecomCards.taskId, taskId), eq(wecomCards.closed, false)))
        .returning();
      return row ?? null;
    },

    async releaseWeComCard(taskId) {
      await db.update(wecomCards).set({ closed: false }).where(eq(wecomCards.taskId, taskId));
    },

    async pruneWeComCards(sentBefore) {
      const gone = await db
        .delete(wecomCards)
        .where(lt(wecomCards.sentAt, sentBefore))
        .returning({ taskId: wecomCards.taskId });
      return gone.length;
    },
  };
}
