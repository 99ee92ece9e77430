/**
 * The intake's order of work: a line is committed before `receive` resolves (the caller acks then),
 * added to BullMQ only after that, and only after a write the platform asked for alongside it.
 */
import type { Queue } from 'bullmq';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createChatIntake } from '../../../src/chat/chat-intake.ts';
import type { ChatInbound } from '../../../src/ports/chat-message.ts';
import type { Store } from '../../../src/store/store.ts';

const line = (messageId: string): ChatInbound => ({
  platform: 'slack',
  messageId,
  platformUserId: 'U0ALICE',
  conversationId: 'C0DEV',
  text: 'help',
});

function world(options: { queueFails?: boolean; recordFails?: boolean } = {}) {
  const events: string[] = [];
  const warnings: string[] = [];
  const store = {
    async recordChatMessages(rows: { messageId: string }[]) {
      if (options.recordFails) throw new Error('Postgres away');
      events.push(...rows.map((r) => `recorded ${r.messageId}`));
      return rows.map(() => true);
    },
  } as unknown as Store;
  const chatQueue = {
    async addBulk(jobs: { data: ChatInbound }[]) {
      if (options.queueFails) throw new Error('Redis refused');
      events.push(...jobs.map((j) => `queued ${j.data.messageId}`));
      return [];
    },
  } as unknown as Queue;
  const logger = pino(
    { level: 'warn' },
    { write: (s: string) => void warnings.push((JSON.parse(s) as { msg: string }).msg) },
  );
  const acks = {
    acking: () => {
      events.push('ack under way');
      return () => events.push('ack sent');
    },
  };
  return { events, warnings, intake: createChatIntake({ store, chatQueue, logger, acks }) };
}

describe('the chat intake', () => {
  it('resolves once the line is recorded, and queues it only after the caller has gone on', async () => {
    const { events, intake } = world();
    expect(await intake.receive(line('m1'))).toBe(true);
    events.push('acknowledged m1');
    await intake.settled();
    expect(events).toEqual(['ack under way', 'recorded m1', 'acknowledged m1', 'ack sent', 'queued m1']);
  });

  it('queues a line only once the write made alongside it is done, and waits for it', async () => {
    const { events, intake } = world();
    let finish!: () => void;
    const alongside = new Promise<void>((resolve) => {
      finish = () => {
        events.push('response url kept');
        resolve();
      };
    });
    let received = false;
    const receiving = intake.receive(line('m2'), { alongside }).then(() => (received = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(received).toBe(false);
    finish();
    await receiving;
    await intake.settled();
    expect(events).toEqual(['ack under way', 'recorded m2', 'response url kept', 'ack sent', 'queued m2']);
  });

  it('still queues a recorded line whose side write failed, and says so', async () => {
    const { events, warnings, intake } = world();
    expect(await intake.receive(line('m3'), { alongside: Promise.reject(new Error('no')) })).toBe(true);
    await intake.settled();
    expect(events).toEqual(['ack under way', 'recorded m3', 'ack sent', 'queued m3']);
    expect(warnings).toEqual(['chat line side write failed']);
  });

  it('answers for a line it could not queue (the reconciler queues it later), and logs it', async () => {
    const { events, warnings, intake } = world({ queueFails: true });
    expect(await intake.receive(line('m4'))).toBe(true);
    await intake.settled();
    expect(events).toEqual(['ack under way', 'recorded m4', 'ack sent']);
    expect(warnings).toEqual(['chat line recorded but not queued; the reconciler will queue it']);
  });

  it('fails a line it could not record, and no longer counts its acknowledgement as under way', async () => {
    const { events, intake } = world({ recordFails: true });
    await expect(intake.receive(line('m5'))).rejects.toThrow('Postgres away');
    await intake.settled();
    expect(events).toEqual(['ack under way', 'ack sent']);
  });
});
