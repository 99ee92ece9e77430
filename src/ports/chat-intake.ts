/**
 * Where every platform's listener hands a line over; it records the line once and queues it. The
 * line is durable when `receive` resolves; it reaches the queue right after (see chat-intake.ts).
 */
import type { ChatInbound } from './chat-message.ts';

export interface ChatReceiveOptions {
  /**
   * A write the platform wants done before the line is handled (Slack's response_url): it runs
   * alongside the line's own write, and the line is queued only once it has settled, so the worker
   * never handles a line before it. Its failure is logged, not thrown: the line is recorded by
   * then, and a recorded line is always answered.
   */
  alongside?: Promise<unknown>;
}

export interface ChatIntake {
  /** False when the message was seen before (a platform retry). */
  receive(inbound: ChatInbound, options?: ChatReceiveOptions): Promise<boolean>;
}
