/** Where every platform's listener hands a line over; it records the line once and queues it. */
import type { ChatInbound } from './chat-message.ts';

export interface ChatIntake {
  /** False when the message was seen before (a platform retry). */
  receive(inbound: ChatInbound): Promise<boolean>;
}
