import { describe, expect, it } from 'vitest';
import { rootMessage } from '../../../src/errors.ts';

describe('rootMessage', () => {
  it("says the driver's words under a wrapper's", () => {
    const driver = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const wrapped = new Error('Failed query: select 1', { cause: driver });
    expect(rootMessage(new Error('outer', { cause: wrapped }))).toBe('connect ECONNREFUSED 127.0.0.1:5432');
  });

  it('keeps the message of an error without a cause, and says what a thrown non-error was', () => {
    expect(rootMessage(new Error('plain'))).toBe('plain');
    expect(rootMessage('a string')).toBe('a string');
  });
});
