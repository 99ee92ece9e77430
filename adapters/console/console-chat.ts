/**
 * The console's chat port: say a line as a person and read the bot's messages. It is a real
 * platform to the rest of sgops (lines go through the intake and the chat queue like Slack's);
 * tests and the web console use it alike.
 */
import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import type { ChatIntake } from '../../src/chat/chat-intake.ts';
import type { ChatOutbound, ChatTransport } from '../../src/chat/chat-message.ts';

export interface ConsoleMessage extends ChatOutbound {
  seq: number;
  at: string;
}

export interface ConsoleChat extends ChatTransport {
  /** Queues a line as `personId`; resolves with the message id once it is recorded. */
  say(personId: string, text: string): Promise<string>;
  /** Every message the bot sent to a person's console conversation, oldest first. */
  messagesFor(personId: string, afterSeq?: number): ConsoleMessage[];
  /** Resolves with the first message (already sent or future) that matches, or rejects after `timeoutMs`. */
  waitFor(predicate: (m: ConsoleMessage) => boolean, timeoutMs?: number): Promise<ConsoleMessage>;
  /** The newest message's sequence number: replies to a line said now will come after it. */
  lastSeq(): number;
  /**
   * Messages for a person after `afterSeq`; waits up to `waitMs` for the first one when there is none
   * yet, or until `signal` aborts (the server is closing).
   */
  poll(personId: string, afterSeq: number, waitMs: number, signal?: AbortSignal): Promise<ConsoleMessage[]>;
  /** Subscribes to new messages; returns the unsubscribe function. */
  subscribe(listener: (m: ConsoleMessage) => void): () => void;
}

export function createConsoleChat(deps: {
  intake: () => ChatIntake;
  now?: () => Date;
  maxMessages?: number;
}): ConsoleChat {
  const messages: ConsoleMessage[] = [];
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  const now = deps.now ?? (() => new Date());
  const max = deps.maxMessages ?? 10_000;
  let seq = 0;

  return {
    async send(message) {
      const stored: ConsoleMessage = { ...message, seq: ++seq, at: now().toISOString() };
      messages.push(stored);
      if (messages.length > max) messages.splice(0, messages.length - max);
      emitter.emit('message', stored);
    },
    async say(personId, text) {
      const messageId = randomUUID();
      await deps.intake().receive({
        platform: 'console',
        messageId,
        platformUserId: personId,
        conversationId: personId,
        text,
      });
      return messageId;
    },
    messagesFor(personId, afterSeq = 0) {
      return messages.filter((m) => m.conversationId === personId && m.seq > afterSeq);
    },
    waitFor(predicate, timeoutMs = 10_000) {
      const existing = messages.find(predicate);
      if (existing) return Promise.resolve(existing);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          emitter.off('message', onMessage);
          reject(new Error(`no matching console message within ${timeoutMs} ms`));
        }, timeoutMs);
        const onMessage = (m: ConsoleMessage) => {
          if (!predicate(m)) return;
          clearTimeout(timer);
          emitter.off('message', onMessage);
          resolve(m);
        };
        emitter.on('message', onMessage);
      });
    },
    lastSeq() {
      return seq;
    },
    poll(personId, afterSeq, waitMs, signal) {
      const ready = messages.filter((m) => m.conversationId === personId && m.seq > afterSeq);
      if (ready.length > 0 || waitMs <= 0 || signal?.aborted) return Promise.resolve(ready);
      return new Promise((resolve) => {
        const done = () => {
          clearTimeout(timer);
          emitter.off('message', onMessage);
          signal?.removeEventListener('abort', done);
          resolve(messages.filter((m) => m.conversationId === personId && m.seq > afterSeq));
        };
        const timer = setTimeout(done, waitMs);
        const onMessage = (m: ConsoleMessage) => {
          if (m.conversationId === personId && m.seq > afterSeq) done();
        };
        emitter.on('message', onMessage);
        signal?.addEventListener('abort', done, { once: true });
      });
    },
    subscribe(listener) {
      emitter.on('message', listener);
      return () => emitter.off('message', listener);
    },
  };
}
