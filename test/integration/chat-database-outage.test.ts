import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.ts';
import type { ChatStateStore } from '../../src/store/chat-state-store.ts';
import type { Store } from '../../src/store/store.ts';
import { startTestWorld } from '../helpers/test-world.ts';
import type { TestWorld } from '../helpers/test-world.ts';

/**
 * A line recorded just before Postgres went away is not lost and not doubled: the chat worker
 * fails it as retryable before it changed anything, the queue tries it again, and once the
 * database is back the line is handled once — one request, one answer.
 */
describe('a chat line handled while Postgres is away', () => {
  let world: TestWorld;
  let away = false;

  /** The store as the app sees it: while `away`, every call fails as a lost connection does. */
  function awayable(store: Store & ChatStateStore): Store & ChatStateStore {
    return new Proxy(store, {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver) as unknown;
        if (typeof value !== 'function') return value;
        // The line was recorded before the outage began: the intake's insert still lands.
        if (key === 'recordChatMessages') return value.bind(target);
        return (...args: unknown[]) =>
          away
            ? Promise.reject(
                new AppError('DATABASE_UNAVAILABLE', 'The database could not be reached: ECONNREFUSED'),
              )
            : (value as (...a: unknown[]) => unknown).apply(target, args);
      },
    });
  }

  beforeAll(async () => {
    world = await startTestWorld('chat-database-outage', {}, { observeStore: awayable });
  }, 60_000);

  afterAll(async () => {
    away = false;
    await world?.stop();
  });

  it('opens the request once, after the database is back, and answers the person', async () => {
    const answers: string[] = [];
    const unsubscribe = world.app.console.subscribe((m) => {
      if (m.conversationId === 'alice') answers.push(m.kind);
    });
    away = true;
    const messageId = await world.app.console.say('alice', 'grant pod SG to app my-app in my-namespace');
    // Longer than a few quick tries: at 0, 0.5, 1.5 and 3.5 s the line fails and must keep waiting.
    await new Promise((r) => setTimeout(r, 4000));
    expect(answers).toEqual([]);
    away = false;

    const answer = await world.app.console.waitFor((m) => m.inReplyTo === messageId, 15_000);
    expect(answer.kind).not.toBe('error');
    const requests = await world.app.store.listRequests({ requester: 'alice', limit: 10 });
    expect(requests.map((r) => r.id)).toEqual([answer.requestId]);
    unsubscribe();
  }, 30_000);
});
