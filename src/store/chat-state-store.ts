/** The chat platforms' tables are declared in src/ports/chat-state.ts; re-exported for the store's users. */
export type { ChatStateStore, SlackThreadRow, WeComCardRow, ConsoleMessageRow } from '../ports/chat-state.ts';
