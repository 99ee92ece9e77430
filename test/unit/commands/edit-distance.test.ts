import { describe, expect, it } from 'vitest';
import { closestWord, editDistance } from '../../../src/commands/edit-distance.ts';

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and adjacent transpositions', () => {
    expect(editDistance('grant', 'grant')).toBe(0);
    expect(editDistance('grnt', 'grant')).toBe(1);
    expect(editDistance('dney', 'deny')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('授全', '授权')).toBe(1);
  });
});

describe('closestWord', () => {
  it('finds typos of longer words but never of one- or two-letter words', () => {
    expect(closestWord('aprove', ['approve', 'deny'])).toBe('approve');
    expect(closestWord('GRNT', ['grant'])).toBe('grant');
    expect(closestWord('an', ['in', 'on'])).toBeUndefined();
    expect(closestWord('inn', ['in'], { minTolerance: 1 })).toBe('in');
    expect(closestWord('banana', ['grant', 'deny'])).toBeUndefined();
  });
});
