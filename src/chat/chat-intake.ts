/**
 * Where every platform's handler hands a line over: record it once in Postgres (keyed by the
 * platform's message id, so retries are no-ops), then queue it. `receive` resolves once the line is
 * committed, and the handler acknowledges then; the line is added to BullMQ just after, off the
 * acknowledgement's path (a burst of acks then waits for one round trip, not two). Postgres is the
 * record: a line committed but not queued (Redis refused it, or the replica died in between) is
 * queued again by the reconciler (requeue-lost-chat-lines.ts) within chatRequeueAfterMs plus one
 * reconcile interval, so it is answered late, never lost.
 */
import type { Queue } from 'bullmq';
import type { Logger } from 'pino';
import { wellFormed } from '../domain/well-formed.ts';
import { groupCommit } from '../store/group-commit.ts';
import type { Store } from '../store/store.ts';
import { chatLineJob } from './chat-line-job.ts';
import type { ChatInbound } from '../ports/chat-message.ts';
import type { ChatIntake } from '../ports/chat-intake.ts';
import type { AcksFirst } from './acks-first.ts';

export type { ChatIntake };

export interface RecordingChatIntake extends ChatIntake {
  /** Resolves once every line recorded so far has been handed to BullMQ (or failed to be). */
  settled(): Promise<void>;
}

export function createChatIntake(deps: {
  store: Store;
  chatQueue: Queue;
  logger: Logger;
  /** Told while a line's acknowledgement is under way, so answers give way to it. */
  acks?: Pick<AcksFirst, 'acking'>;
}): RecordingChatIntake {
  const { logger } = deps;
  // Lines arriving together (a burst of slash commands) share one INSERT …
  const record = groupCommit((lines: ChatInbound[]) =>
    deps.store.recordChatMessages(
      lines.map((inbound) => ({
        platform: inbound.platform,
        messageId: inbound.messageId,
        personId: inbound.platformUserId,
        conversationId: inbound.conversationId,
        ...(inbound.threadId === undefined ? {} : { threadId: inbound.threadId }),
        text: inbound.text,
      })),
    ),
  );
  // … and one queue round trip. Queued even when seen before: the job id makes it idempotent, and a
  // line recorded by a replica that died before queuing it is queued by its retry.
  const enqueue = groupCommit(async (lines: ChatInbound[]) => {
    await deps.chatQueue.addBulk(lines.map((line) => chatLineJob(line)));
    return lines.map(() => true);
  });
  const pending = new Set<Promise<unknown>>();

  function queueAfterAck(inbound: ChatInbound, acked: () => void): void {
    const queued = new Promise<void>((resolve) => {
      // setImmediate: the handler's acknowledgement is written before the Redis round trip starts.
      setImmediate(() => {
        acked();
        enqueue([inbound])
          .catch((err: unknown) =>
            logger.warn(
              { err, platform: inbound.platform, messageId: inbound.messageId },
              'chat line recorded but not queued; the reconciler will queue it',
            ),
          )
          .finally(resolve);
      });
    });
    pending.add(queued);
    void queued.finally(() => pending.delete(queued));
  }

  return {
    async receive(received, options) {
      // Postgres text cannot hold U+0000, nor jsonb (a request's spec, the audit's details) a lone
      // UTF-16 surrogate; the grammar reads control characters as spaces anyway.
      const text = wellFormed(received.text.replaceAll('\u0000', ' '));
      const inbound = text === received.text ? received : { ...received, text };
      const alongside = options?.alongside?.catch((err: unknown) =>
        logger.warn(
          { err, platform: inbound.platform, messageId: inbound.messageId },
          'chat line side write failed',
        ),
      );
      const acked = deps.acks?.acking() ?? (() => undefined);
      let fresh: boolean | undefined;
      try {
        [[fresh]] = await Promise.all([record([inbound]), alongside]);
      } catch (error) {
        acked();
        throw error;
      }
      queueAfterAck(inbound, acked);
      return fresh === true;
    },
    async settled() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}
