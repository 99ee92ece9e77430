/**
 * The chat platforms' shared state (Slack threads, WeCom cards, console history), through the
 * adapters' durable stores over the one Store, run against every driver by the *.test.ts here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDurableSlackThreadStore } from '../../../adapters/slack/slack-thread-store.ts';
import {
  cardLifetimeMs,
  createDurableWeComCardStore,
  pruneExpiredWeComCards,
} from '../../../adapters/wecom/wecom-card-store.ts';
import { createStoredConsoleHistory } from '../../../adapters/console/stored-console-history.ts';
import type { ChatOutbound } from '../../../src/chat/chat-message.ts';
import type { ChatStateStore } from '../../../src/store/chat-state-store.ts';
import type { Store } from '../../../src/store/store.ts';
import { newRequestId, requestRow } from './store-suite.ts';

export const chatStateAuditKey = 'chat-state-suite-audit-key-0123456789';

/** A clock the test moves; the store and the adapters read the same one. */
export function movableClock(start = Date.parse('2030-01-01T00:00:00Z')) {
  let at = start;
  return {
    now: () => new Date(at),
    advance(ms: number) {
      at += ms;
    },
  };
}

export interface ChatStateHarness {
  store: Store & ChatStateStore;
  clock: ReturnType<typeof movableClock>;
  /** Another handle on the same database, as a second replica would have (null when impossible). */
  openSecond: (() => Promise<Store & ChatStateStore>) | null;
  cleanup(): Promise<void>;
}

const hour = 3600 * 1000;
const day = 24 * hour;

function outbound(conversationId: string, text: string, extra: Partial<ChatOutbound> = {}): ChatOutbound {
  return { platform: 'console', conversationId, locale: 'en', kind: 'reply', text, ...extra };
}

export function describeChatStateSuite(driver: string, open: () => Promise<ChatStateHarness>): void {
  describe(`chat state on ${driver}`, () => {
    let h: ChatStateHarness;
    beforeAll(async () => {
      h = await open();
    });
    afterAll(async () => {
      await h?.cleanup();
    });

    async function insertRequest(): Promise<string> {
      const id = newRequestId();
      await h.store.transaction((tx) => tx.insertRequest(requestRow(id)));
      return id;
    }

    describe('Slack threads', () => {
      it('remember what was posted, and the latest write of a key wins', async () => {
        const threads = createDurableSlackThreadStore(h.store, { now: h.clock.now });
        const id = await insertRequest();
        await threads.set(`thread:${id}:C0DEV`, JSON.stringify({ channel: 'C0DEV', ts: '1.1' }));
        await threads.set(`progress:${id}:C0DEV`, JSON.stringify({ channel: 'C0DEV', ts: '1.2' }));
        await threads.set(`progress:${id}:C0DEV`, JSON.stringify({ channel: 'C0DEV', ts: '1.3' }));
        // Another replica's store over the same database reads the same entries.
        const elsewhere = createDurableSlackThreadStore(h.store, { now: h.clock.now });
        expect(JSON.parse((await elsewhere.get(`thread:${id}:C0DEV`))!)).toEqual({
          channel: 'C0DEV',
          ts: '1.1',
        });
        expect(JSON.parse((await elsewhere.get(`progress:${id}:C0DEV`))!)).toMatchObject({ ts: '1.3' });
        expect(await elsewhere.get(`progress:${id}:COTHER`)).toBeUndefined();
      });

      it('take a burst of writes at once (one statement), the later of two writes to a key winning', async () => {
        const threads = createDurableSlackThreadStore(h.store, { now: h.clock.now });
        const keys = Array.from({ length: 40 }, (_, i) => `respond:burst.${i}`);
        // Not awaited one by one: they arrive together, as a burst of slash commands' response URLs.
        await Promise.all([
          ...keys.map((key) => threads.set(key, `first ${key}`)),
          threads.set(keys[7]!, 'second'),
          threads.set(keys[7]!, 'third'),
        ]);
        const values = await Promise.all(keys.map((key) => threads.get(key)));
        expect(values.filter((v, i) => v === `first ${keys[i]}`)).toHaveLength(keys.length - 1);
        expect(values[7]).toBe('third');
      });

      it('forget an entry once it expires, and prune it together with entries of requests that are gone', async () => {
        const threads = createDurableSlackThreadStore(h.store, { now: h.clock.now, ttlMs: 10 * day });
        const id = await insertRequest();
        const missing = newRequestId();
        await threads.set('dm:U0ALICE', 'D0ALICE');
        await threads.set(`root:C0DEV:9.9`, id);
        await threads.set(`thread:${missing}:C0DEV`, JSON.stringify({ channel: 'C0DEV', ts: '9.8' }));

        h.clock.advance(2 * day);
        expect(await threads.get('dm:U0ALICE')).toBe('D0ALICE');
        // The entry whose request does not exist goes; the rest stay.
        expect(await h.store.pruneSlackThreads()).toBeGreaterThanOrEqual(1);
        expect(await threads.get(`thread:${missing}:C0DEV`)).toBeUndefined();
        expect(await threads.get(`root:C0DEV:9.9`)).toBe(id);

        h.clock.advance(9 * day);
        expect(await threads.get('dm:U0ALICE')).toBeUndefined();
        // A write refreshes the entry's life.
        await threads.set(`root:C0DEV:9.9`, id);
        h.clock.advance(9 * day);
        expect(await threads.get(`root:C0DEV:9.9`)).toBe(id);
        await h.store.pruneSlackThreads();
        expect(await threads.get('dm:U0ALICE')).toBeUndefined();
      });

      it('are deleted once expired by the prune the app runs now and then, never by a write', async () => {
        const threads = createDurableSlackThreadStore(h.store, { now: h.clock.now, ttlMs: hour });
        await threads.set('dm:U0PRUNE1', 'D1');
        h.clock.advance(2 * hour);
        await threads.set('dm:U0PRUNE2', 'D2');
        // The write left the expired row to the prune, which deletes it: not merely hidden.
        expect(await h.store.pruneSlackThreads()).toBeGreaterThanOrEqual(1);
        expect(await h.store.pruneSlackThreads()).toBe(0);
        expect(await threads.get('dm:U0PRUNE1')).toBeUndefined();
        expect(await threads.get('dm:U0PRUNE2')).toBe('D2');
      });
    });

    describe('WeCom cards', () => {
      it('keep a sent card, its click and its closing for any replica to read', async () => {
        const cards = createDurableWeComCardStore(h.store, { now: h.clock.now });
        const sentAt = h.clock.now();
        await cards.save({
          taskId: 'task-a1',
          requestId: 'R2345',
          userId: 'bob',
          locale: 'zh',
          responseCode: 'rc-send',
          sentAt,
        });
        const other = createDurableWeComCardStore(h.store, { now: h.clock.now });
        expect(await other.get('task-a1')).toEqual({
          taskId: 'task-a1',
          requestId: 'R2345',
          userId: 'bob',
          locale: 'zh',
          responseCode: 'rc-send',
          closed: false,
          sentAt,
        });
        await other.recordClick({
          taskId: 'task-a1',
          requestId: 'R2345',
          userId: 'bob',
          responseCode: 'rc-click',
          messageId: 'click-1',
        });
        expect(await cards.openCards('R2345', 'bob')).toMatchObject([
          { taskId: 'task-a1', responseCode: 'rc-click', clickMessageId: 'click-1', locale: 'zh' },
        ]);
        expect(await cards.openCards('R2345', 'carol')).toEqual([]);
        await cards.close('task-a1');
        expect(await other.openCards('R2345', 'bob')).toEqual([]);
        expect(await other.get('task-a1')).toMatchObject({ closed: true });
        expect((await other.get('task-a1'))?.responseCode).toBeUndefined();
      });

      it('give a card to only one of two closers claiming it at once, with its newest response code', async () => {
        const cards = createDurableWeComCardStore(h.store, { now: h.clock.now });
        const other = createDurableWeComCardStore(h.store, { now: h.clock.now });
        await cards.save({
          taskId: 'task-claim',
          requestId: 'R2346',
          userId: 'bob',
          locale: 'en',
          responseCode: 'rc-send',
          sentAt: h.clock.now(),
        });
        await cards.recordClick({
          taskId: 'task-claim',
          requestId: 'R2346',
          userId: 'bob',
          responseCode: 'rc-click',
          messageId: 'click-claim',
        });
        const claims = await Promise.all([cards.claim('task-claim'), other.claim('task-claim')]);
        expect(claims.filter((c) => c !== undefined)).toEqual([
          expect.objectContaining({ taskId: 'task-claim', responseCode: 'rc-click' }),
        ]);
        expect(await cards.openCards('R2346', 'bob')).toEqual([]);
        expect(await other.claim('task-claim')).toBeUndefined();
        // A claim given back (an update to try again later) lets the next closer have it.
        await cards.release('task-claim');
        expect(await other.claim('task-claim')).toMatchObject({ responseCode: 'rc-click' });
      });

      it('record a click on a card they never saw, so it can still be updated', async () => {
        const cards = createDurableWeComCardStore(h.store, { now: h.clock.now });
        await cards.recordClick({
          taskId: 'task-unseen',
          requestId: 'R3456',
          userId: 'carol',
          responseCode: 'rc-x',
          messageId: 'click-2',
        });
        expect(await cards.openCards('R3456', 'carol')).toMatchObject([
          { taskId: 'task-unseen', responseCode: 'rc-x', locale: 'en', closed: false },
        ]);
      });

      it('let cards go after 72 hours, when their response codes are dead', async () => {
        const cards = createDurableWeComCardStore(h.store, { now: h.clock.now });
        await cards.save({
          taskId: 'task-old',
          requestId: 'R4567',
          userId: 'bob',
          locale: 'en',
          responseCode: 'rc-old',
          sentAt: h.clock.now(),
        });
        h.clock.advance(cardLifetimeMs - hour);
        expect(await cards.get('task-old')).toBeDefined();
        h.clock.advance(2 * hour);
        expect(await cards.get('task-old')).toBeUndefined();
        expect(await cards.openCards('R4567', 'bob')).toEqual([]);
        // A save leaves the old row to the prune, which deletes it: gone from the table, not only hidden.
        await cards.save({
          taskId: 'task-new',
          requestId: 'R4567',
          userId: 'bob',
          locale: 'en',
          sentAt: h.clock.now(),
        });
        expect(await h.store.getWeComCard('task-old', new Date(0))).not.toBeNull();
        expect(await pruneExpiredWeComCards(h.store, h.clock.now())).toBeGreaterThanOrEqual(1);
        expect(await pruneExpiredWeComCards(h.store, h.clock.now())).toBe(0);
        expect(await h.store.getWeComCard('task-old', new Date(0))).toBeNull();
        expect((await cards.openCards('R4567', 'bob')).map((c) => c.taskId)).toEqual(['task-new']);
      });
    });

    describe('console history', () => {
      it('numbers messages in order and reads them back per person and after a cursor', async () => {
        const history = createStoredConsoleHistory(h.store);
        const before = await history.lastSeq();
        const first = await history.append(
          outbound('alice', 'hello alice', { requestId: 'R5678', state: 'planning' }),
        );
        const second = await history.append(outbound('bob', 'hello bob'));
        const third = await history.append(outbound('alice', '你好', { kind: 'result', actions: [] }));
        expect([first.seq, second.seq, third.seq]).toEqual([before + 1, before + 2, before + 3]);
        expect(await history.lastSeq()).toBe(before + 3);
        const alice = await history.list({ conversationId: 'alice', afterSeq: before, limit: 10 });
        expect(alice).toEqual([first, third]);
        expect(alice[0]).toMatchObject({ text: 'hello alice', requestId: 'R5678', state: 'planning' });
        expect(alice[1]!.at).toBe(h.clock.now().toISOString());
        expect(await history.list({ conversationId: 'alice', afterSeq: first.seq, limit: 10 })).toEqual([
          third,
        ]);
        expect(await history.list({ afterSeq: before, limit: 2 })).toEqual([first, second]);
      });

      it('keep a message that quotes a broken line, with U+FFFD for its lone surrogates', async () => {
        const history = createStoredConsoleHistory(h.store);
        const kept = await history.append(outbound('dave', 'bad reason "argu \ud800" and 😀 \udc00'));
        expect(kept.text).toBe('bad reason "argu \ufffd" and 😀 \ufffd');
        expect((await history.list({ afterSeq: kept.seq - 1, limit: 1 }))[0]?.text).toBe(kept.text);
      });

      it('keep only the newest messages', async () => {
        const history = createStoredConsoleHistory(h.store, { keep: 3 });
        const sent = [];
        for (let i = 0; i < 6; i += 1) sent.push(await history.append(outbound('dave', `line ${i}`)));
        const kept = await history.list({ afterSeq: 0, limit: 100 });
        expect(kept.map((m) => m.text)).toEqual(['line 3', 'line 4', 'line 5']);
        expect(await history.lastSeq()).toBe(sent.at(-1)!.seq);
      });

      it('hands out distinct, gapless numbers to appends from two replicas at once', async (ctx) => {
        if (!h.openSecond) return ctx.skip();
        const second = await h.openSecond();
        try {
          const a = createStoredConsoleHistory(h.store);
          const b = createStoredConsoleHistory(second);
          const before = await a.lastSeq();
          const appended = await Promise.all(
            Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).append(outbound('carol', `line ${i}`))),
          );
          const seqs = appended.map((m) => m.seq).sort((x, y) => x - y);
          expect(seqs).toEqual(Array.from({ length: 20 }, (_, i) => before + 1 + i));
          expect((await b.list({ conversationId: 'carol', afterSeq: before, limit: 100 })).length).toBe(20);
        } finally {
          await second.close();
        }
      });
    });
  });
}
