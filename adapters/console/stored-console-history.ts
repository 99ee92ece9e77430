/**
 * The console's history in the database, shared by replicas. The database (not Redis) keeps it
 * because it is the conversation people read back: it survives a Redis flush or restart like the
 * requests it talks about, and it comes through the one typed store on pg and PGlite alike.
 * Redis only carries the hint that a message was added (see redis-console-bus.ts).
 */
import type { ChatOutbound } from '../../src/ports/chat-message.ts';
import type { ConsoleMessageRow, ConsoleMessageTable } from '../../src/ports/chat-state.ts';
import type { ConsoleHistory, ConsoleMessage } from './console-chat.ts';

/** The newest this many messages are kept, across all conversations. */
export const defaultConsoleKeep = 10_000;

export function createStoredConsoleHistory(
  rows: ConsoleMessageTable,
  options: { keep?: number } = {},
): ConsoleHistory {
  const keep = options.keep ?? defaultConsoleKeep;
  return {
    async append(message) {
      return messageOf(await rows.appendConsoleMessage(message.conversationId, { ...message }, keep));
    },
    async list(filter) {
      return (await rows.listConsoleMessages(filter)).map(messageOf);
    },
    lastSeq() {
      return rows.lastConsoleSeq();
    },
  };
}

function messageOf(row: ConsoleMessageRow): ConsoleMessage {
  return { ...(row.message as unknown as ChatOutbound), seq: row.seq, at: row.at.toISOString() };
}
