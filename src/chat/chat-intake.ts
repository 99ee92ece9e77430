/**
 * Where every platform's handler hands a line over: record it once (keyed by the platform's message
 * id, so retries are no-ops) and queue it. Handlers call this and acknowledge at once.
 */
import type { Queue } from 'bullmq';
import { wellFormed } from '../domain/well-formed.ts';
import { groupCommit } from '../store/group-commit.ts';
import type { Store } from '../store/store.ts';
import { chatLineJob } from './chat-line-job.ts';
import type { ChatInbound } from '../ports/chat-message.ts';
import type { ChatIntake } from '../ports/chat-intake.ts';

export type { ChatIntake };

export function createChatIntake(deps: { store: Store; chatQueue: Queue }): ChatIntake {
  // Lines arriving together (a burst of slash commands) share one INSERT and one queue round trip.
  const recordAndQueue = groupCommit(async (lines: ChatInbound[]) => {
    const fresh = await deps.store.recordChatMessages(
      lines.map((inbound) => ({
        platform: inbound.platform,
        messageId: inbound.messageId,
        personId: inbound.platformUserId,
        conversationId: inbound.conversationId,
        ...(inbound.threadId === undefined ? {} : { threadId: inbound.threadId }),
        text: inbound.text,
      })),
    );
    // Enqueue even when seen: the job id makes it idempotent, and a crash between record and enqueue is healed.
    await deps.chatQueue.addBulk(lines.map((line) => chatLineJob(line)));
    return fresh;
  });
  return {
    async receive(received) {
      // Postgres text cannot hold U+0000, nor jsonb (a request's spec, the audit's details) a lone
      // UTF-16 surrogate; the grammar reads control characters as spaces anyway.
      const text = wellFormed(received.text.replaceAll('\u0000', ' '));
      const inbound = text === received.text ? received : { ...received, text };
      const [fresh] = await recordAndQueue([inbound]);
      return fresh === true;
    },
  };
}
