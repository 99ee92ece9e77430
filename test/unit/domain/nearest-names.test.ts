import { describe, expect, it } from 'vitest';
import { nearestNames } from '../../../src/domain/nearest-names.ts';

describe('the names nearest to one typed by mistake', () => {
  it('offers my-app for my-ap, nearest first', () => {
    expect(nearestNames('my-ap', ['db', 'my-app', 'agent', 'my-apps'])).toEqual(['my-app', 'my-apps']);
  });

  it('counts a swapped pair of letters as one edit', () => {
    expect(nearestNames('my-pap', ['my-app', 'web'])).toEqual(['my-app']);
  });

  it('offers a name that contains what was typed', () => {
    expect(nearestNames('api', ['payments-api', 'web'])).toEqual(['payments-api']);
  });

  it('offers nothing far from what was typed', () => {
    expect(nearestNames('zzz', ['my-app', 'db', 'agent'])).toEqual([]);
  });

  it('never offers the typed name itself, lists each name once and keeps to the limit', () => {
    expect(nearestNames('web', ['web', 'webs', 'webs', 'wel', 'wet', 'weq'], 2)).toEqual(['webs', 'wel']);
  });
});
