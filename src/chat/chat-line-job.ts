/**
 * A chat line's BullMQ job, the same whoever queues it (the intake on arrival, the reconciler after
 * Redis lost it): its id comes from the platform's message id, so queuing a line again while its
 * job is still in Redis, in any state, adds nothing.
 */
import type { JobsOptions } from 'bullmq';
import type { ChatInbound } from './chat-message.ts';

export function chatLineJobId(line: { platform: string; messageId: string }): string {
  // BullMQ keeps ':' for its own key names.
  return `${line.platform}.${line.messageId}`.replace(/:/g, '_');
}

export function chatLineJob(inbound: ChatInbound): { name: 'line'; data: ChatInbound; opts: JobsOptions } {
  return {
    name: 'line',
    data: inbound,
    opts: {
      jobId: chatLineJobId(inbound),
      // Kept a day: while it is, a line queued again is a no-op (see reconcile-chat-lines.ts).
      removeOnComplete: { age: 24 * 3600 },
      // Tried again while Postgres is away: 0.5 s doubling, about two minutes in all, so an
      // outage or failover delays a line instead of losing it (see chat-service.ts).
      attempts: 9,
      backoff: { type: 'exponential', delay: 500 },
    },
  };
}
