/**
 * Chat lines recorded in Postgres whose jobs Redis lost (restarted empty, flushed, replaced) are
 * queued again, so nobody is left without an answer. A line is looked at only once it is
 * `requeueAfterMs` old and still not handled; one whose job is still in Redis, in any state, is left
 * to it (queuing it again would be a no-op anyway: the job id is the line's). A line older than
 * `giveUpAfterMs` is not handled any more, only given up and logged once: someone who waited that
 * long should not meet a surprise grant now.
 */
import type { Queue } from 'bullmq';
import type { Logger } from 'pino';
import type { Clock } from '../ports/clock.ts';
import type { ChatInboxRow, Store } from '../store/store.ts';
import { chatLineJob, chatLineJobId } from './chat-line-job.ts';
import type { ChatInbound, Platform } from './chat-message.ts';

/** Longer than a line takes from being recorded to being queued, even with Redis slow to answer. */
export const chatRequeueAfterMs = 30_000;
/** Past this a lost line is given up rather than handled. */
export const chatGiveUpAfterMs = 3_600_000;
/** Lines looked at per round, oldest first; the next round takes the rest. */
const linesPerRound = 1000;

export interface ChatLineReconciler {
  /** Returns how many lines were queued again. */
  reconcile(): Promise<number>;
}

export function createChatLineReconciler(deps: {
  store: Pick<Store, 'listUnhandledChatMessages' | 'markChatMessagesHandled'>;
  chatQueue: Queue;
  clock: Clock;
  logger: Logger;
}): ChatLineReconciler {
  const { store, chatQueue, clock, logger } = deps;
  const keyOf = (line: ChatInboxRow) => ({ platform: line.platform, messageId: line.messageId });
  return {
    async reconcile() {
      const now = clock.now().getTime();
      const lines = await store.listUnhandledChatMessages({
        receivedBefore: new Date(now - chatRequeueAfterMs),
        limit: linesPerRound,
      });
      const finished: ChatInboxRow[] = [];
      const lost: ChatInboxRow[] = [];
      const tooOld: ChatInboxRow[] = [];
      for (const line of lines) {
        const job = await chatQueue.getJob(chatLineJobId(line));
        // Handled, but the mark did not land (Postgres away then, or a replica of an older version).
        if (job?.finishedOn) finished.push(line);
        else if (job) continue;
        else if (line.receivedAt.getTime() < now - chatGiveUpAfterMs) tooOld.push(line);
        else lost.push(line);
      }
      if (finished.length > 0) await store.markChatMessagesHandled(finished.map(keyOf));
      if (lost.length > 0) {
        await chatQueue.addBulk(lost.map((line) => chatLineJob(inboundOf(line))));
        logger.warn(
          { count: lost.length, lines: lost.map(chatLineJobId) },
          'chat lines re-queued after Redis lost them',
        );
      }
      if (tooOld.length > 0) {
        // Of several replicas, only the one whose mark lands logs the line.
        const marked = await store.markChatMessagesHandled(tooOld.map(keyOf));
        const givenUp = tooOld.filter((_, i) => marked[i]);
        if (givenUp.length > 0)
          logger.error(
            {
              count: givenUp.length,
              lines: givenUp.map((line) => ({
                ...keyOf(line),
                personId: line.personId,
                receivedAt: line.receivedAt.toISOString(),
              })),
              giveUpAfterMs: chatGiveUpAfterMs,
            },
            'chat lines given up, not handled: Redis lost their jobs and they are too old to act on now',
          );
      }
      return lost.length;
    },
  };
}

/** The line as the intake queued it. */
function inboundOf(line: ChatInboxRow): ChatInbound {
  return {
    platform: line.platform as Platform,
    messageId: line.messageId,
    platformUserId: line.personId,
    conversationId: line.conversationId,
    ...(line.threadId === null ? {} : { threadId: line.threadId }),
    text: line.text,
  };
}
