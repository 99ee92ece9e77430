import { describe, expect, it } from 'vitest';
import { createStepCalls } from '../../../src/engine/step-calls.ts';
import { AppError } from '../../../src/errors.ts';

/** A port whose calls answer when the test says so. */
function slowPort() {
  const pending: (() => void)[] = [];
  const made: string[] = [];
  return {
    made,
    answerAll: () => pending.splice(0).forEach((answer) => answer()),
    port: {
      read: (name: string) =>
        new Promise<string>((resolve) => {
          made.push(`read ${name}`);
          pending.push(() => resolve(name));
        }),
      write: (name: string) =>
        new Promise<string>((resolve) => {
          made.push(`write ${name}`);
          pending.push(() => resolve(name));
        }),
    },
  };
}

describe('the calls of a step once its replica stops', () => {
  it('lets every call through while running', async () => {
    const stopping = new AbortController();
    const { port, made, answerAll } = slowPort();
    const guarded = createStepCalls(stopping.signal).guard(port);
    const reading = guarded.read('a');
    answerAll();
    expect(await reading).toBe('a');
    expect(made).toEqual(['read a']);
  });

  it('lets the call in flight finish, refuses the next with HANDED_BACK, and settles after the last answer', async () => {
    const stopping = new AbortController();
    const { port, made, answerAll } = slowPort();
    const calls = createStepCalls(stopping.signal);
    const guarded = calls.guard(port);
    const reading = guarded.read('a');
    stopping.abort();

    const refused = await guarded.write('a').then(
      () => null,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe('HANDED_BACK');
    expect(made).toEqual(['read a']);

    let settled = false;
    const settling = calls.settled().then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(settled).toBe(false);
    answerAll();
    await settling;
    expect(await reading).toBe('a');
  });

  it('settles only when a call that fails has answered too', async () => {
    const stopping = new AbortController();
    const calls = createStepCalls(stopping.signal);
    let fail: (error: Error) => void = () => {};
    const guarded = calls.guard({
      read: () => new Promise<never>((_, reject) => (fail = reject)),
    });
    const reading = guarded.read().catch((error: unknown) => error);
    stopping.abort();
    let settled = false;
    const settling = calls.settled().then(() => (settled = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(settled).toBe(false);
    fail(new Error('refused by the cloud'));
    await settling;
    expect(await reading).toBeInstanceOf(Error);
  });
});
