/**
 * The console as a chat platform: the in-process conversation (`sgops say`, tests, the web
 * console), kept in `console_messages`. Its platform ids are person ids. While the console is not
 * served it still answers what is said on it, but reaches people only when no other platform
 * does; when served, its live views on every replica hear of new messages through Redis.
 */
import { z } from 'zod';
import type { ChatPlatform, OpenChatPlatform } from '../../src/ports/chat-platform.ts';
import { createConsoleChat, type ConsoleChat } from './console-chat.ts';
import { createStoredConsoleHistory } from './stored-console-history.ts';
import { createRedisConsoleBus } from './redis-console-bus.ts';

const consoleSectionSchema = z.object({ mode: z.enum(['off', 'sandbox', 'token']).default('off') });

export interface OpenConsole extends OpenChatPlatform {
  chat: ConsoleChat;
}

export const consolePlatform: ChatPlatform<z.output<typeof consoleSectionSchema>, OpenConsole> = {
  name: 'console',
  config: consoleSectionSchema,
  async open({ section, intake, state, redis, logger }) {
    const served = (section?.mode ?? 'off') !== 'off';
    // Two more Redis connections, so only when the console is served.
    const bus = served
      ? createRedisConsoleBus({ url: redis.url, channel: `${redis.prefix}:console`, logger })
      : null;
    const chat = createConsoleChat({
      intake: () => intake,
      history: createStoredConsoleHistory(state),
      ...(bus ? { bus } : {}),
    });
    return {
      chat,
      transport: chat,
      fallbackOnly: !served,
      ...(bus ? { start: () => bus.start(), stop: () => bus.close() } : {}),
    };
  },
};
