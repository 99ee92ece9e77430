/**
 * The Slack ChatTransport. Plain replies go where the line came from; everything about a request
 * lives in ONE thread per (request, conversation): the first message about it starts the thread,
 * progress is one checklist message updated in place, plans and results follow in the thread.
 * Approval cards carry Approve/Deny buttons and are rewritten without them once the request has
 * stopped waiting for a decision (awaitsDecision). What was posted is remembered in the SlackThreadStore.
 */
import { webApi } from '@slack/bolt';
import type { Logger } from 'pino';
import {
  messagePhase,
  ownApproval,
  type ChatOutbound,
  type ChatTransport,
} from '../../src/ports/chat-message.ts';
import { atRest } from '../../src/ports/state-phase.ts';
import { AppError } from '../../src/errors.ts';
import { approvalCardBlocks, decidedCardBlocks } from './approval-card-blocks.ts';
import { repairButtonBlock } from './repair-button-block.ts';
import { offerButtonsBlock } from './offer-buttons-block.ts';
import { mapSlackError } from './map-slack-error.ts';
import { progressMessage, withProgressLine, type ProgressChecklist } from './progress-checklist.ts';
import { slackLabels } from './slack-labels.ts';
import { createResponseUrlPoster, isOutsideConversation } from './response-url.ts';
import { slackOriginOf } from './slack-origin.ts';
import type { SlackThreadStore } from './slack-thread-store.ts';
import { textMessages, type SlackMessageBody } from './text-messages.ts';

export interface SlackTransportOptions {
  /** A WebClient (e.g. the adapter's `client`); or give `botToken` (and `apiUrl`) to make one. */
  client?: webApi.WebClient;
  botToken?: string;
  apiUrl?: string;
  threads: SlackThreadStore;
  logger?: Logger;
  now?: () => Date;
  /** How response_url posts are made (tests); the global fetch by default. */
  fetch?: typeof fetch;
}

interface ThreadRecord {
  channel: string;
  ts: string;
}
interface ProgressRecord extends ThreadRecord {
  checklist: ProgressChecklist;
}
interface CardRecord extends ThreadRecord {
  text: string;
  locale: ChatOutbound['locale'];
  decided: boolean;
  /** The decided card names who decided (not only the outcome read from the state). */
  saysWho?: boolean;
}

/** The card keeps the plan to re-render it after the decision; beyond this it was cut anyway. */
const cardTextLimit = 40_000;

export function threadKey(requestId: string, channel: string): string {
  return `thread:${requestId}:${channel}`;
}

export function threadRootKey(channel: string, ts: string): string {
  return `root:${channel}:${ts}`;
}

/** For the adapter's `resolveRequestThread`: which request a thread (started by this transport) is about. */
export function requestOfThread(
  threads: SlackThreadStore,
): (conversationId: string, threadTs: string) => Promise<string | undefined> {
  return (conversationId, threadTs) => threads.get(threadRootKey(conversationId, threadTs));
}

export function createSlackTransport(options: SlackTransportOptions): ChatTransport {
  const client = options.client ?? clientFrom(options);
  const { threads, logger } = options;
  const now = options.now ?? (() => new Date());
  const responses = createResponseUrlPoster({
    threads,
    now,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  // Messages about one request are applied in order, so the progress checklist never loses a line.
  const queues = new Map<string, Promise<void>>();

  async function call<T>(method: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw mapSlackError(error, method);
    }
  }

  async function getJson<T>(key: string): Promise<T | undefined> {
    const raw = await threads.get(key);
    if (raw === undefined) return undefined;
    try {
      return JSON.parse(raw) as T;
    } catch {
      return undefined;
    }
  }

  const setJson = (key: string, value: unknown) => threads.set(key, JSON.stringify(value));

  /** Both ways: request → thread for posting, thread → request for lines typed in the thread. */
  async function rememberThread(requestId: string, channel: string, thread: ThreadRecord): Promise<void> {
    await setJson(threadKey(requestId, channel), thread);
    await threads.set(threadRootKey(thread.channel, thread.ts), requestId);
  }

  /** User ids (U…, W…) are reached through their DM channel, opened once and remembered. */
  async function resolveChannel(conversationId: string): Promise<string> {
    if (!/^[UW][A-Z0-9]+$/.test(conversationId)) return conversationId;
    const known = await threads.get(`dm:${conversationId}`);
    if (known) return known;
    const opened = await call('conversations.open', () =>
      client.conversations.open({ users: conversationId }),
    );
    const channel = opened.channel?.id;
    if (!channel) throw new AppError('INTERNAL', `Slack opened no DM channel for ${conversationId}`);
    await threads.set(`dm:${conversationId}`, channel);
    return channel;
  }

  async function post(channel: string, body: SlackMessageBody, threadTs?: string): Promise<ThreadRecord> {
    const result = await call('chat.postMessage', () =>
      client.chat.postMessage({
        channel,
        text: body.text,
        blocks: body.blocks,
        unfurl_links: false,
        unfurl_media: false,
        ...(threadTs ? { thread_ts: threadTs } : {}),
      }),
    );
    if (!result.ts) throw new AppError('INTERNAL', 'Slack chat.postMessage returned no ts');
    return { channel: result.channel ?? channel, ts: result.ts };
  }

  async function update(record: ThreadRecord, body: SlackMessageBody): Promise<void> {
    await call('chat.update', () =>
      client.chat.update({ channel: record.channel, ts: record.ts, text: body.text, blocks: body.blocks }),
    );
  }

  /** Errors (and, for slash commands, plain replies) go only to the person who caused them. */
  /** An answer about no request, with the Start buttons of the lines it offers under its end. */
  function answerBodies(message: ChatOutbound) {
    const bodies = textMessages(message.text);
    const offers = message.offers?.length ? offerButtonsBlock(message.offers, message.locale) : null;
    if (offers) bodies.at(-1)?.blocks.push(offers);
    return bodies;
  }

  async function sentPrivately(message: ChatOutbound, channel: string): Promise<boolean> {
    const origin = slackOriginOf(message.inReplyTo, message.inReplyToUser);
    if (!origin) return false;
    const privately =
      message.kind === 'error' ||
      (origin.via === 'command' && message.kind === 'reply' && !message.requestId);
    if (!privately) return false;
    try {
      for (const body of answerBodies(message)) {
        await call('chat.postEphemeral', () =>
          client.chat.postEphemeral({
            channel,
            user: origin.user,
            text: body.text,
            blocks: body.blocks,
            ...(message.threadId ? { thread_ts: message.threadId } : {}),
          }),
        );
      }
      return true;
    } catch (error) {
      // Not in that channel, say: better a public answer than none.
      logger?.warn({ err: error, channel }, 'slack ephemeral reply failed; posting it instead');
      return false;
    }
  }

  /** The request's thread in this channel, if it has one (or the thread the line came from). */
  async function existingThread(message: ChatOutbound, requestId: string, channel: string) {
    const known = await getJson<ThreadRecord>(threadKey(requestId, channel));
    if (known) return known;
    if (!message.threadId) return undefined;
    const adopted = { channel, ts: message.threadId };
    await rememberThread(requestId, channel, adopted);
    return adopted;
  }

  async function postInThread(message: ChatOutbound, requestId: string, channel: string): Promise<void> {
    const bodies = textMessages(message.text, {
      truncatedNote: slackLabels[message.locale].truncated(requestId),
    });
    const repair = message.actions?.find((a) => a.id === 'repair');
    if (repair) bodies.at(-1)?.blocks.push(repairButtonBlock(repair.requestId, message.locale));
    let thread = await existingThread(message, requestId, channel);
    if (!thread) {
      const first = bodies.shift();
      if (!first) return;
      thread = await post(channel, first);
      await rememberThread(requestId, channel, thread);
    }
    for (const body of bodies) await post(thread.channel, body, thread.ts);
  }

  async function postCard(message: ChatOutbound, requestId: string, channel: string): Promise<void> {
    const card = await post(
      channel,
      approvalCardBlocks({ requestId, text: message.text, locale: message.locale, ...message.card }),
    );
    const record: CardRecord = {
      ...card,
      text: message.text.slice(0, cardTextLimit),
      locale: message.locale,
      decided: false,
    };
    await setJson(`card:${requestId}:${channel}`, record);
    if (!(await getJson<ThreadRecord>(threadKey(requestId, channel)))) {
      await rememberThread(requestId, channel, card);
    }
  }

  /**
   * Rewrites this conversation's card of the request without buttons once the request stopped
   * waiting. A card closed without knowing who decided (a message that did not say) is rewritten
   * again by the first message that does. The card of an approver whose approval is one of several
   * closes at once, saying he approved, and is rewritten again once the request is decided.
   */
  async function closeCard(message: ChatOutbound, requestId: string, channel: string): Promise<void> {
    const own = ownApproval(message);
    if (!message.state || (messagePhase(message) === 'waiting' && !own)) return;
    const key = `card:${requestId}:${channel}`;
    const card = await getJson<CardRecord>(key);
    if (!card || (card.decided && (card.saysWho || !message.decision))) return;
    await update(
      card,
      decidedCardBlocks({
        requestId,
        text: card.text,
        locale: card.locale,
        decision: message.decision,
        state: message.state,
        at: now().toISOString().replace('T', ' ').slice(0, 16) + ' UTC',
        stillWaiting: own,
      }),
    );
    // Still undecided: the decision, when it comes, rewrites it again.
    if (!own) await setJson(key, { ...card, decided: true, saysWho: message.decision !== undefined });
  }

  async function upsertProgress(
    message: ChatOutbound,
    requestId: string,
    channel: string,
    line: string,
  ): Promise<void> {
    const key = `progress:${requestId}:${channel}`;
    const existing = await getJson<ProgressRecord>(key);
    const start: ProgressChecklist = existing?.checklist ?? {
      requestId,
      locale: message.locale,
      state: message.state ?? '',
      lines: [],
    };
    const checklist = message.state
      ? withProgressLine(start, line, message.state, messagePhase(message))
      : withProgressLine(start, line, start.state, start.phase);
    if (existing) {
      if (JSON.stringify(checklist) === JSON.stringify(existing.checklist)) return;
      await update(existing, progressMessage(checklist));
      await setJson(key, { ...existing, checklist });
      return;
    }
    const thread = await existingThread(message, requestId, channel);
    const posted = await post(channel, progressMessage(checklist), thread?.ts);
    if (!thread) await rememberThread(requestId, channel, posted);
    await setJson(key, { ...posted, checklist });
  }

  async function deliver(message: ChatOutbound, channel: string): Promise<void> {
    const requestId = message.requestId;
    // Even a private answer (a click on a card already decided elsewhere) closes the card.
    if (requestId && message.kind !== 'approval') await closeCard(message, requestId, channel);
    if (await sentPrivately(message, channel)) return;
    if (!requestId) {
      for (const body of answerBodies(message)) await post(channel, body, message.threadId);
      return;
    }
    if (message.kind === 'approval') return postCard(message, requestId, channel);
    if (message.kind === 'progress') return upsertProgress(message, requestId, channel, message.text);
    await postInThread(message, requestId, channel);
    // The checklist shows how it ended, too.
    if (message.state && atRest(messagePhase(message) ?? 'working')) {
      const progress = await getJson<ProgressRecord>(`progress:${requestId}:${channel}`);
      if (progress && progress.checklist.state !== message.state) {
        await upsertProgress(message, requestId, channel, '');
      }
    }
  }

  /** Runs `work` after everything queued for the same request and channel. */
  async function inOrder(message: ChatOutbound, work: (channel: string) => Promise<void>): Promise<void> {
    if (message.platform !== 'slack') {
      throw new AppError('INTERNAL', `the Slack transport was given a ${message.platform} message`);
    }
    const channel = await resolveChannel(message.conversationId);
    const key = `${message.requestId ?? '-'}:${channel}`;
    const previous = queues.get(key) ?? Promise.resolve();
    const next = previous.catch(() => {}).then(() => work(channel));
    queues.set(key, next);
    try {
      await next;
    } finally {
      if (queues.get(key) === next) queues.delete(key);
    }
  }

  /**
   * Where the bot may not post (a /sgops typed in a DM between two people or a private channel it
   * is not in): the answer to the command goes through its response_url, ephemerally to whoever
   * typed it, while Slack takes it (5 posts, 30 minutes); everything else about a request asked
   * there — plan, progress, result, and answers once the URL is spent — goes to the requester's
   * DM with the bot, in the request's thread there.
   */
  async function deliverOutside(message: ChatOutbound, channel: string, error: unknown): Promise<void> {
    const requestId = message.requestId;
    const origin = slackOriginOf(message.inReplyTo, message.inReplyToUser);
    const linkKey = requestId ? `outside:${requestId}:${channel}` : undefined;
    const linked = linkKey ? await getJson<{ user: string }>(linkKey) : undefined;
    // A command's answer goes to whoever typed it; the request's follow-ups to its requester.
    const user = origin?.user ?? linked?.user;
    if (!user) throw error ?? new AppError('INTERNAL', `Slack: nobody to tell about ${requestId ?? 'this'}`);
    if (linkKey && !linked) await setJson(linkKey, { user });
    if (origin?.via === 'command' && message.inReplyTo) {
      const l = slackLabels[message.locale];
      const bodies = textMessages(message.text, requestId ? { truncatedNote: l.truncated(requestId) } : {});
      // Said once, with the answer: where the rest of the request will be told.
      if (requestId) {
        bodies.at(-1)?.blocks.push({
          type: 'context',
          elements: [{ type: 'mrkdwn', text: l.followUpInDm(requestId) }],
        });
      }
      if (await responses.post(message.inReplyTo, bodies)) return;
    }
    const dm = await resolveChannel(user);
    if (dm === channel) throw error ?? new AppError('INTERNAL', `Slack: cannot post in ${channel}`);
    logger?.info({ channel, requestId }, 'slack: not in that conversation; answering in the DM instead');
    const { threadId: _elsewhere, ...rest } = message;
    await deliver({ ...rest, conversationId: user }, dm);
  }

  return {
    send: (message) =>
      inOrder(message, async (channel) => {
        // A request asked where the bot cannot post: known to go elsewhere, no failed post first.
        if (message.requestId && (await threads.get(`outside:${message.requestId}:${channel}`))) {
          return deliverOutside(message, channel, undefined);
        }
        try {
          await deliver(message, channel);
        } catch (error) {
          if (!isOutsideConversation(error)) throw error;
          await deliverOutside(message, channel, error);
        }
      }),
    async closeCards(message) {
      const requestId = message.requestId;
      if (!requestId) return;
      // A person reached only by id: no DM opened just to find there is no card in it.
      if (
        /^[UW][A-Z0-9]+$/.test(message.conversationId) &&
        !(await threads.get(`dm:${message.conversationId}`))
      )
        return;
      await inOrder(message, (channel) => closeCard(message, requestId, channel));
    },
  };
}

function clientFrom(options: SlackTransportOptions): webApi.WebClient {
  if (!options.botToken) {
    throw new AppError('CONFIG_INVALID', 'The Slack transport needs a client or a bot token');
  }
  return new webApi.WebClient(options.botToken, {
    ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}),
    // The notify job retries failures with backoff; a long in-client retry would hold its worker.
    retryConfig: { retries: 1, factor: 2, minTimeout: 200, maxTimeout: 1000 },
  });
}
