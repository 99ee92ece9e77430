/**
 * Records in Postgres that a chat line's handling ended, so the reconciler does not queue it again
 * after a Redis loss: once it was answered, or on its last attempt whatever happened. Marking is
 * bookkeeping: a failure to mark is logged and never fails the line (which would run it again).
 */
import type { Logger } from 'pino';
import type { Store } from '../store/store.ts';
import type { ChatInbound } from './chat-message.ts';

export type HandleChat = (inbound: ChatInbound, options: { lastAttempt: boolean }) => Promise<void>;

export function markingHandled(
  handle: HandleChat,
  deps: { store: Pick<Store, 'markChatMessagesHandled'>; logger: Logger },
): HandleChat {
  const mark = async (inbound: ChatInbound) => {
    try {
      await deps.store.markChatMessagesHandled([
        { platform: inbound.platform, messageId: inbound.messageId },
      ]);
    } catch (err) {
      // Its job stays in Redis a day, finished, and the reconciler marks it from there.
      deps.logger.warn(
        { err, platform: inbound.platform, messageId: inbound.messageId },
        'chat line handled, but could not be marked handled',
      );
    }
  };
  return async (inbound, options) => {
    try {
      await handle(inbound, options);
    } catch (error) {
      // Thrown before its last attempt, the line is tried again: not done yet.
      if (options.lastAttempt) await mark(inbound);
      throw error;
    }
    await mark(inbound);
  };
}
