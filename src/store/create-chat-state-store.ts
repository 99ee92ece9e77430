/** The ChatStateStore over the store's drizzle database (pg and PGlite alike): each platform's table. */
import { wellFormed } from '../domain/well-formed.ts';
import { and, asc, eq, gt, sql, type SQL } from 'drizzle-orm';
import { AppError } from '../errors.ts';
import type { Clock } from '../ports/clock.ts';
import type { ChatStateStore, ConsoleMessageRow } from '../ports/chat-state.ts';
import { consoleHead, consoleMessages } from './schema.ts';
import type { StoreDatabase } from './store-database.ts';
import { createSlackThreadTable } from './slack-thread-table.ts';
import { createWeComCardTable } from './wecom-card-table.ts';
import { executeRows } from './execute-rows.ts';

const defaultConsolePage = 1000;

export function createChatStateStore(db: StoreDatabase, clock: Clock): ChatStateStore {
  return {
    ...createSlackThreadTable(db, clock),
    ...createWeComCardTable(db, clock),

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
