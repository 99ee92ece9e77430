import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isRequestId,
  newRequestId,
  normaliseRequestId,
  requestIdAlphabet,
} from '../../../src/domain/request-id.ts';

describe('request ids', () => {
  it('are R followed by 4 characters from the alphabet without look-alikes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), {
          minLength: 4,
          maxLength: 4,
        }),
        (values) => {
          let i = 0;
          const id = newRequestId(() => values[i++] ?? 0);
          expect(id).toMatch(/^R[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}$/);
          expect(isRequestId(id)).toBe(true);
        },
      ),
    );
  });

  it('never contain 0, O, 1, I or L', () => {
    for (const c of '0O1IL') expect(requestIdAlphabet).not.toContain(c);
  });

  it('come out deterministically from the random source', () => {
    const seq = [0, 0.5, 0.99, 0.25];
    let i = 0;
    const a = newRequestId(() => seq[i++ % 4] ?? 0);
    i = 0;
    expect(newRequestId(() => seq[i++ % 4] ?? 0)).toBe(a);
    expect(a).toBe(`R2${requestIdAlphabet[15]}Z${requestIdAlphabet[7]}`);
  });

  it('still come out valid when the random source misbehaves', () => {
    for (const bad of [1, -3, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(isRequestId(newRequestId(() => bad))).toBe(true);
    }
  });

  it('are read case-insensitively, with an optional # and surrounding spaces', () => {
    expect(normaliseRequestId('r7k2p')).toBe('R7K2P');
    expect(normaliseRequestId(' #R7K2P ')).toBe('R7K2P');
    expect(normaliseRequestId('R7K2')).toBe('R7K2');
    expect(isRequestId('r7k2p')).toBe(true);
  });

  it('reject look-alike characters and other shapes', () => {
    for (const bad of [
      'R0K2P',
      'ROK2P',
      'R1K2P',
      'RIK2P',
      'RLK2P',
      'X7K2P',
      'R7',
      'R7K2P23456',
      '',
      'R7K-2',
    ]) {
      expect(normaliseRequestId(bad)).toBeNull();
    }
  });
});
