import { describe, expect, it } from 'vitest';
import { callWaves } from '../../../bench/harness/call-waves.ts';

const call = (startMs: number, endMs: number, name = '') => ({ startMs, endMs, name });

describe('the serial chain of a request’s calls', () => {
  it('makes each call one link when each starts after the one before ended', () => {
    expect(callWaves([call(0, 50), call(50, 100), call(101, 150)])).toHaveLength(3);
  });

  it('makes calls that overlap in time one link', () => {
    const waves = callWaves([
      call(0, 50, 'a'),
      call(60, 110, 'pods'),
      call(62, 112, 'nodes'),
      call(112, 160),
    ]);
    expect(waves.map((w) => w.map((c) => c.name))).toEqual([['a'], ['pods', 'nodes'], ['']]);
  });

  it('keeps a long call and the short ones inside it together, in start order whatever the input order', () => {
    const waves = callWaves([call(20, 30, 'inner'), call(0, 100, 'long'), call(100, 150, 'next')]);
    expect(waves.map((w) => w.map((c) => c.name))).toEqual([['long', 'inner'], ['next']]);
  });
});
