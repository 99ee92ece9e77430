/** The ChatStateStore over the store's drizzle database (pg and PGlite alike). */
import { wellFormed } from '../domain/well-formed.ts';
import { and, asc, eq, gt, gte, isNotNull, lt, lte, notExists, or, sql, type SQL } from 'drizzle-orm';
import { AppError } from '../errors.ts';
import type { Clock } from '../ports/clock.ts';
import type { ChatStateStore, ConsoleMessageRow } from './chat-state-store.ts';
import { consoleHead, consoleMessages, requests, slackThreads, wecomCards } from './schema.ts';
import type { StoreDatabase } from './store-database.ts';
import { wecomCardFromClick } from './wecom-card-from-click.ts';
import { executeRows } from './execute-rows.ts';

const defaultConsolePage = 1000;

export function createChatStateStore(db: StoreDatabase, clock: Clock): ChatStateStore {
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

    async pruneWeComCards(sentBefore) {
      const gone = await db
        .delete(wecomCards)
        .where(lt(wecomCards.sentAt, sentBefore))
        .returning({ taskId: wecomCards.taskId });
      return gone.length;
    },

    async appendConsoleMessage(conversationId, message, keep): Promise<ConsoleMessageRow> {
      // Shaped as the database will return it (through JSON), so the caller sees what readers will;
      // jsonb refuses a lone surrogate (a reply may quote a broken line), so it becomes U+FFFD.
      const stored = JSON.parse(
        JSON.stringify(message, (_key, value: unknown) =>
          typeof value === 'string' ? wellFormed(value) : value,
        ),
      ) as Record<string, unknown>;
      const at = new Date(clock.now().getTime());
      // One statement: the head's row lock is held until it commits, so seqs are handed out in
      // commit order, and the oldest messages beyond `keep` go in the same breath.
      const [head] = await executeRows<{ last_seq: string | number | bigint }>(
        db,
        sql`
        with head as (
          insert into ${consoleHead} (id, last_seq) values (1, 1)
          on conflict (id) do update set last_seq = ${consoleHead}.last_seq + 1
          returning last_seq
        ), added as (
          insert into ${consoleMessages} (seq, conversation_id, message, at)
          select last_seq, ${conversationId}, ${JSON.stringify(stored)}::jsonb, ${at.toISOString()}::timestamptz
          from head
        ), pruned as (
          delete from ${consoleMessages} where seq <= (select last_seq from head) - ${keep}
        )
        select last_seq from head`,
      );
      if (head === undefined) throw new AppError('INTERNAL', 'The console_head upsert returned no row');
      return { seq: Number(head.last_seq), conversationId, message: stored, at };
    },

    listConsoleMessages(filter) {
      const conditions: SQL[] = [gt(consoleMessages.seq, filter.afterSeq ?? 0)];
      if (filter.conversationId !== undefined)
        conditions.push(eq(consoleMessages.conversationId, filter.conversationId));
      return db
        .select()
        .from(consoleMessages)
        .where(and(...conditions))
        .orderBy(asc(consoleMessages.seq))
        .limit(filter.limit ?? defaultConsolePage);
    },

    async lastConsoleSeq() {
      const [head] = await db.select({ lastSeq: consoleHead.lastSeq }).from(consoleHead);
      return head?.lastSeq ?? 0;
    },
  };
}
