import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatLineJob, chatLineJobId } from '../../../src/chat/chat-line-job.ts';
import { startPrivateRedis } from '../../../src/sandbox/start-private-redis.ts';
import type { PrivateRedis } from '../../../src/sandbox/start-private-redis.ts';
import { testDatabaseUrl, withSchemaClient } from '../../helpers/pg.ts';
import { superNodeDeployment } from '../../helpers/super-node-deployment.ts';
import { startTestWorld } from '../../helpers/test-world.ts';
import type { TestWorld } from '../../helpers/test-world.ts';
import { until } from '../../helpers/until.ts';

const apps = { handled: 'inbox-handled', lost: 'inbox-lost', old: 'inbox-old' };
const reconcileMs = 500;

/** Postgres is the system of record for chat lines too: a line Redis lost is still answered, once. */
describe('chat lines whose jobs Redis lost', () => {
  let redis: PrivateRedis;
  let redisDir = '';
  let world: TestWorld;

  beforeAll(async () => {
    redisDir = await mkdtemp(path.join(os.tmpdir(), 'sgops-inbox-'));
    redis = await startPrivateRedis(redisDir);
    world = await startTestWorld('chat-lines-redis-lost', {
      redis: { url: redis.url, prefix: 'sgops-inbox' },
      workflow: { reconcileMs, stepBackoffMs: 50, pollDelayMs: 200 },
    });
    for (const app of Object.values(apps))
      world.simulator.create('deployments', 'my-namespace', superNodeDeployment({ app, replicas: 1 }));
    await world.simulator.settle();
  }, 120_000);

  afterAll(async () => {
    await world?.stop();
    await redis?.stop();
    await rm(redisDir, { recursive: true, force: true });
  });

  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const answersTo = async (messageId: string) =>
    (await world.app.console.messagesFor('alice')).filter((m) => m.inReplyTo === messageId);
  /** Requests a line opened: the decision row is written in the same transaction as the request. */
  const requestsOpenedBy = async (messageId: string) =>
    (await world.app.store.listAudit()).filter(
      (row) => row.kind === 'decision' && row.details['messageId'] === messageId,
    );
  const sql = (text: string, values: unknown[]) =>
    withSchemaClient(testDatabaseUrl, (world.app.config.database as { schema: string }).schema, (client) =>
      client.query(text, values),
    );
  const handledAt = async (messageId: string) =>
    (await sql('select handled_at from chat_inbox where message_id = $1', [messageId])).rows.map(
      (r: { handled_at: Date | null }) => r.handled_at,
    )[0];

  it('are queued again once they are 30 s old and handled exactly once; handled and hour-old lines are not', async () => {
    const grant = (app: string) => `grant pod SG to app ${app} in my-namespace`;
    const handled = await world.say('alice', grant(apps.handled));
    expect(handled.requestId).toBeDefined();
    // Marked once its answer is out.
    await until(
      'the first line marked handled',
      async () => (await handledAt(handled.inReplyTo!)) ?? undefined,
      5000,
    );

    // Its mark lost (Postgres away at that moment): its finished job, still in Redis, says it was handled.
    await sql(
      `update chat_inbox set handled_at = null, received_at = now() - interval '31 seconds' where message_id = $1`,
      [handled.inReplyTo!],
    );
    await until(
      'the reconciler to mark the line handled from its finished job',
      async () => (await handledAt(handled.inReplyTo!)) ?? undefined,
      5000,
    );
    expect(await answersTo(handled.inReplyTo!)).toHaveLength(1);

    // No worker takes a line now: the next two wait in Redis, recorded in Postgres, when Redis loses them.
    await world.app.queues.chat.pause();
    const lost = await world.app.console.say('alice', grant(apps.lost));
    const old = await world.app.console.say('alice', grant(apps.old));
    // Queued just after the intake answered.
    await until(
      'the lost line to be queued',
      () => world.app.queues.chat.getJob(chatLineJobId({ platform: 'console', messageId: lost })),
      5000,
    );
    const client = new Redis(redis.url);
    await client.flushall();
    await client.quit();

    // A line younger than 30 s may still be on its way to its job: left alone for now.
    await sleep(reconcileMs * 4);
    expect(await answersTo(lost)).toEqual([]);
    expect(await handledAt(lost)).toBeNull();

    // As if the lines had arrived 31 s and two hours ago.
    const backdate = (messageId: string, age: string) =>
      sql(`update chat_inbox set received_at = now() - $2::interval where message_id = $1`, [messageId, age]);
    await backdate(handled.inReplyTo!, '31 seconds');
    await backdate(old, '2 hours');
    await backdate(lost, '31 seconds');
    const backdated = Date.now();

    const answer = await world.app.console.waitFor((m) => m.inReplyTo === lost, 20_000);
    const handledAfterMs = Date.now() - backdated;
    expect(answer.requestId).toBeDefined();
    // A few more rounds of the reconciler: nothing more happens to any of the three.
    await sleep(reconcileMs * 6);
    console.log(`a line Redis lost was answered ${handledAfterMs} ms after it was 30 s old`);

    expect(await answersTo(lost)).toHaveLength(1);
    expect(await requestsOpenedBy(lost)).toHaveLength(1);
    expect(await handledAt(lost)).toBeInstanceOf(Date);

    expect(await answersTo(handled.inReplyTo!)).toHaveLength(1);
    expect(await requestsOpenedBy(handled.inReplyTo!)).toHaveLength(1);

    // Given up: never answered, never acted on, and not looked at again.
    expect(await answersTo(old)).toEqual([]);
    expect(await requestsOpenedBy(old)).toEqual([]);
    expect(await handledAt(old)).toBeInstanceOf(Date);
    expect(
      await world.app.queues.chat.getJob(chatLineJobId({ platform: 'console', messageId: old })),
    ).toBeUndefined();
  }, 60_000);

  it('are answered once when acknowledged but never queued (Redis refused, or the replica died, right after the ack)', async () => {
    const chat = world.app.queues.chat;
    const addBulk = chat.addBulk.bind(chat);
    let refused = 0;
    // The intake adds a line to BullMQ only after the caller has acknowledged it: that add fails here.
    chat.addBulk = async () => {
      refused += 1;
      throw new Error('Redis refused the add');
    };
    let line: string;
    try {
      line = await world.app.console.say('alice', 'help');
      await until('the add to be refused', async () => (refused > 0 ? true : undefined), 5000);
    } finally {
      chat.addBulk = addBulk;
    }
    expect(await chat.getJob(chatLineJobId({ platform: 'console', messageId: line }))).toBeUndefined();
    // Recorded, so not lost: still unanswered before it is 30 s old (it may be on its way to its job) …
    await sleep(reconcileMs * 4);
    expect(await answersTo(line)).toEqual([]);
    expect(await handledAt(line)).toBeNull();
    // … and answered once by the reconciler after.
    await sql(`update chat_inbox set received_at = now() - interval '31 seconds' where message_id = $1`, [
      line,
    ]);
    await world.app.console.waitFor((m) => m.inReplyTo === line, 20_000);
    await sleep(reconcileMs * 4);
    expect(await answersTo(line)).toHaveLength(1);
    expect(await handledAt(line)).toBeInstanceOf(Date);
  }, 60_000);

  it('rest on BullMQ adding nothing for a job id it still holds, finished or not', async () => {
    const queue = new Queue('probe', { connection: { url: redis.url }, prefix: 'sgops-inbox-probe' });
    const line = (messageId: string) =>
      chatLineJob({
        platform: 'console',
        messageId,
        platformUserId: 'alice',
        conversationId: 'alice',
        text: 'help',
      });
    const runs: string[] = [];
    const worker = new Worker(
      'probe',
      async (job) => {
        runs.push(job.id!);
        if (job.id!.endsWith('fails')) throw new Error('refused');
      },
      { connection: { url: redis.url }, prefix: 'sgops-inbox-probe' },
    );
    try {
      const once = (messageId: string) => ({
        ...line(messageId),
        opts: { ...line(messageId).opts, attempts: 1 },
      });
      await queue.add(once('done').name, once('done').data, once('done').opts);
      await queue.add(once('fails').name, once('fails').data, once('fails').opts);
      for (;;) {
        const counts = await queue.getJobCounts('completed', 'failed');
        if (counts['completed'] === 1 && counts['failed'] === 1) break;
        await sleep(50);
      }
      await worker.pause();
      await queue.add(once('waits').name, once('waits').data, once('waits').opts);

      // Added again, as the intake and the reconciler do: each is still the one job, in its state.
      for (const id of ['done', 'fails', 'waits']) {
        const again = line(id);
        await queue.addBulk([again]);
        await queue.add(again.name, again.data, again.opts);
      }
      expect(await queue.getJobCounts('completed', 'failed', 'wait', 'delayed', 'prioritized')).toEqual({
        completed: 1,
        failed: 1,
        wait: 1,
        delayed: 0,
        prioritized: 0,
      });
      expect(
        await (await queue.getJob(chatLineJobId({ platform: 'console', messageId: 'fails' })))!.getState(),
      ).toBe('failed');
      expect(runs.sort()).toEqual(['console.done', 'console.fails']);
    } finally {
      await worker.close();
      await queue.obliterate({ force: true });
      await queue.close();
    }
  }, 30_000);
});
