/**
 * A slash command's `response_url`: Slack's way to answer a `/sgops` typed where the bot cannot
 * post (a DM between two people, a private channel it is not in). The adapter remembers it when
 * the command arrives, under the line's message id; the transport answers through it, ephemerally
 * to the person who typed it, while Slack still takes it: at most 5 posts within 30 minutes.
 */
import { AppError } from '../../src/errors.ts';
import type { SlackThreadStore } from './slack-thread-store.ts';
import type { SlackMessageBody } from './text-messages.ts';

export interface ResponseUrlRecord {
  url: string;
  /** Who typed the command, and where. */
  user: string;
  channel: string;
  /** When the command arrived (ms), and how many posts the URL took. */
  at: number;
  uses: number;
}

export const maxResponses = 5;
export const responseUrlLifetimeMs = 30 * 60 * 1000;

export const responseUrlKey = (messageId: string) => `respond:${messageId}`;

/** Slack errors that mean the bot may not post in that conversation, so only a response URL or a DM reach there. */
export function isOutsideConversation(error: unknown): boolean {
  const slackError = error instanceof AppError ? error.details?.['slackError'] : undefined;
  return slackError === 'channel_not_found' || slackError === 'not_in_channel';
}

export async function rememberResponseUrl(
  threads: SlackThreadStore,
  messageId: string,
  command: { url: string; user: string; channel: string; at: number },
): Promise<void> {
  const record: ResponseUrlRecord = { ...command, uses: 0 };
  await threads.set(responseUrlKey(messageId), JSON.stringify(record));
}

export interface ResponseUrlPoster {
  /** The command's record, when the URL may still take `count` posts. */
  usable(messageId: string, count: number): Promise<ResponseUrlRecord | undefined>;
  /** Posts the bodies ephemerally through the command's URL; false when it could not. */
  post(messageId: string, bodies: SlackMessageBody[]): Promise<boolean>;
}

export function createResponseUrlPoster(options: {
  threads: SlackThreadStore;
  now: () => Date;
  fetch?: typeof fetch;
}): ResponseUrlPoster {
  const { threads, now } = options;
  const send = options.fetch ?? fetch;

  async function read(messageId: string): Promise<ResponseUrlRecord | undefined> {
    const raw = await threads.get(responseUrlKey(messageId));
    if (!raw) return undefined;
    try {
      return JSON.parse(raw) as ResponseUrlRecord;
    } catch {
      return undefined;
    }
  }

  async function usable(messageId: string, count: number) {
    const record = await read(messageId);
    if (!record) return undefined;
    const fresh = now().getTime() - record.at < responseUrlLifetimeMs;
    return fresh && record.uses + count <= maxResponses ? record : undefined;
  }

  return {
    usable,
    async post(messageId, bodies) {
      const record = await usable(messageId, bodies.length);
      if (!record) return false;
      for (const body of bodies) {
        // Counted before the post: a post Slack took but whose answer was lost still used the URL.
        record.uses += 1;
        await threads.set(responseUrlKey(messageId), JSON.stringify(record));
        let res: Response;
        try {
          res = await send(record.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json; charset=utf-8' },
            body: JSON.stringify({
              response_type: 'ephemeral',
              replace_original: false,
              text: body.text,
              blocks: body.blocks,
            }),
            signal: AbortSignal.timeout(10_000),
          });
        } catch (error) {
          throw new AppError('NETWORK', 'Slack response_url post failed', { cause: error });
        }
        // 404 used_url / expired_url: the URL is spent; the caller takes another way.
        if (!res.ok) return false;
      }
      return true;
    },
  };
}
