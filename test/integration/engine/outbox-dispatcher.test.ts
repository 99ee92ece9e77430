import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOutboxDispatcher } from '../../../src/engine/outbox-dispatcher.ts';
import { createQueues, redisConnectionFromUrl } from '../../../src/engine/queues.ts';
import type { Queues } from '../../../src/engine/queues.ts';
import { createStore } from '../../../src/store/create-store.ts';
import type { OutboxRow, Store } from '../../../src/store/store.ts';
import { newRequestId, requestRow } from '../store/store-suite.ts';

const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('the outbox dispatcher', () => {
  let store: Store;
  let queues: Queues;

  beforeAll(async () => {
    store = await createStore({ kind: 'pglite', auditKey: 'outbox-dispatcher-test-key-0123456789' });
    queues = createQueues({
      connection: redisConnectionFromUrl(redisUrl),
      prefix: `sgops-test-outbox-${randomBytes(4).toString('hex')}`,
    });
  });
  afterAll(async () => {
    await queues.steps.obliterate({ force: true });
    await queues.close();
    await store.close();
  });

  /** A request whose transition left one runStep effect in the outbox. */
  async function committedStep(step: string): Promise<OutboxRow[]> {
    const id = newRequestId();
    return store.transaction(async (tx) => {
      await tx.insertRequest(requestRow(id));
      return tx.insertOutbox([
        {
          requestId: id,
          key: `${id}.${step}.1`,
          effect: { type: 'runStep', requestId: id, step, attempt: 1 },
        },
      ]);
    });
  }

  const dispatcherOver = (marks: Pick<Store, 'markOutboxDispatched'>) =>
    createOutboxDispatcher({
      store: { ...store, listUndispatchedOutbox: (n) => store.listUndispatchedOutbox(n), ...marks },
      queues,
      settings: { stepAttempts: 3, stepBackoffMs: 50 },
      logger: pino({ level: 'silent' }),
    });
  const undispatched = async (rows: OutboxRow[]) =>
    (await store.listUndispatchedOutbox(1000)).filter((r) => rows.some((x) => x.id === r.id));

  it('enqueues a committed effect without waiting for its row to be marked, and settle waits for the mark', async () => {
    const rows = await committedStep('planning');
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const dispatcher = dispatcherOver({
      markOutboxDispatched: async (ids) => {
        await held;
        await store.markOutboxDispatched(ids);
      },
    });

    await dispatcher.dispatch(rows);
    expect(await queues.steps.getJob(`${rows[0]!.requestId}.planning.1`)).toBeDefined();
    expect(await undispatched(rows)).toHaveLength(1);

    let settled = false;
    const settling = dispatcher.settle().then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(settled).toBe(false);
    release();
    await settling;
    expect(await undispatched(rows)).toEqual([]);
  });

  it('carries a step due now as a guard job, unless a sweep queued it first as a plain job', async () => {
    const dispatcher = dispatcherOver(store);
    const carry = { carrierJobId: 'carrier-job', guardDelayMs: 60_000 };

    const mine = await committedStep('applyPolicy');
    const carried = await dispatcher.dispatch(mine, carry);
    const guardId = `${mine[0]!.requestId}.applyPolicy.1`;
    expect(carried).toEqual({ step: 'applyPolicy', attempt: 1, guardJobId: guardId });
    const guard = await queues.steps.getJob(guardId);
    expect(guard?.data).toMatchObject({ carrier: 'carrier-job' });
    expect(await guard?.isDelayed()).toBe(true);

    // The sweep got there between the commit and the dispatch: its plain job runs the step.
    const raced = await committedStep('applyPolicy');
    await dispatcher.enqueue(raced[0]!.effect as never, raced[0]!.key);
    expect(await dispatcher.dispatch(raced, carry)).toBeUndefined();
    const plain = await queues.steps.getJob(`${raced[0]!.requestId}.applyPolicy.1`);
    expect(plain?.data).not.toHaveProperty('carrier');
  });

  it('leaves a row whose mark failed to the sweep, which enqueues nothing twice', async () => {
    const rows = await committedStep('allowDns');
    const failing = dispatcherOver({
      markOutboxDispatched: () => Promise.reject(new Error('database away')),
    });
    await failing.dispatch(rows);
    await failing.settle();
    expect(await undispatched(rows)).toHaveLength(1);

    const healthy = dispatcherOver({ markOutboxDispatched: (ids) => store.markOutboxDispatched(ids) });
    expect(await healthy.sweep()).toBeGreaterThanOrEqual(1);
    await healthy.settle();
    expect(await undispatched(rows)).toEqual([]);
    const jobs = await queues.steps.getJobs(['waiting', 'delayed', 'prioritized']);
    expect(jobs.filter((j) => j.data.requestId === rows[0]!.requestId)).toHaveLength(1);
  });
});
