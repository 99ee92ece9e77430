import type { ConsoleMessage } from '../../adapters/console/console-chat.ts';
import type { App } from '../../src/main.ts';

export interface ConsoleConversation {
  /** Says a line as a person and returns the first message answering it. */
  say(person: string, text: string): Promise<ConsoleMessage>;
  /** Waits for a message to `person` that matches. */
  waitFor(person: string, match: (m: ConsoleMessage) => boolean, timeoutMs?: number): Promise<ConsoleMessage>;
}

/** Talks to the app through its console chat, as the worlds' tests do. */
export function consoleConversation(app: App): ConsoleConversation {
  return {
    async say(person, text) {
      const messageId = await app.console.say(person, text);
      return app.console.waitFor((m) => m.inReplyTo === messageId, 10_000);
    },
    waitFor(person, match, timeoutMs = 30_000) {
      return app.console.waitFor((m) => m.conversationId === person && match(m), timeoutMs);
    },
  };
}
