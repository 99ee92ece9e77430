import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAcksFirst } from '../../../src/chat/acks-first.ts';

describe('acknowledgements before answers', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function answers(gate: ReturnType<typeof createAcksFirst>) {
    const started: string[] = [];
    const start = (name: string) =>
      void gate.answer(async () => {
        started.push(name);
      });
    return { started, start };
  }

  it('runs every answer at once while no acknowledgement is under way', async () => {
    const gate = createAcksFirst();
    const { started, start } = answers(gate);
    start('1');
    start('2');
    await vi.advanceTimersByTimeAsync(0);
    expect(started).toEqual(['1', '2']);
  });

  it('holds answers while acks are in flight, and starts them all once the last ack is sent', async () => {
    const gate = createAcksFirst({ maxDeferMs: 1000 });
    const { started, start } = answers(gate);
    const acked = [gate.acking(), gate.acking()];
    start('1');
    start('2');
    await vi.advanceTimersByTimeAsync(10);
    expect(started).toEqual([]);
    acked[0]!();
    acked[0]!(); // said twice: counted once
    await vi.advanceTimersByTimeAsync(10);
    expect(started).toEqual([]);
    acked[1]!();
    await vi.advanceTimersByTimeAsync(0);
    expect(started).toEqual(['1', '2']);
  });

  it('holds an answer back no longer than maxDeferMs, however long the acks go on', async () => {
    const gate = createAcksFirst({ maxDeferMs: 1000 });
    const { started, start } = answers(gate);
    gate.acking();
    start('1');
    await vi.advanceTimersByTimeAsync(999);
    expect(started).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(started).toEqual(['1']);
  });

  it('passes on what the answer returns or throws', async () => {
    const gate = createAcksFirst();
    await expect(gate.answer(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(gate.answer(async () => 42)).resolves.toBe(42);
  });
});
