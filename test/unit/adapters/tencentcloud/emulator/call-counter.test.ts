import { describe, expect, it } from 'vitest';
import { CallCounter } from '../../../../../adapters/tencentcloud/emulator/call-counter.ts';

describe('CallCounter', () => {
  function at() {
    let ms = 1_700_000_000_000;
    return {
      now: () => new Date(ms),
      advance: (delta: number) => {
        ms += delta;
      },
    };
  }

  it('counts calls per action per second of its clock, besides the totals', () => {
    const clock = at();
    const counter = new CallCounter(clock.now);
    counter.count('DescribeSecurityGroups');
    counter.count('DescribeSecurityGroups');
    clock.advance(999);
    counter.count('DescribeSecurityGroups');
    clock.advance(1);
    counter.count('DescribeSecurityGroups');
    counter.count('CreateSecurityGroup');
    expect(counter.totals()).toEqual({ DescribeSecurityGroups: 4, CreateSecurityGroup: 1 });
    expect(counter.perSecond()).toEqual({
      DescribeSecurityGroups: { '1700000000': 3, '1700000001': 1 },
      CreateSecurityGroup: { '1700000001': 1 },
    });
  });

  it('keeps only the latest seconds of history but all of the totals', () => {
    const clock = at();
    const counter = new CallCounter(clock.now, 3);
    for (let i = 0; i < 5; i += 1) {
      counter.count('DescribeClusters');
      clock.advance(1000);
    }
    expect(Object.keys(counter.perSecond().DescribeClusters ?? {})).toEqual([
      '1700000002',
      '1700000003',
      '1700000004',
    ]);
    expect(counter.totals()).toEqual({ DescribeClusters: 5 });
  });

  it('forgets everything on reset', () => {
    const clock = at();
    const counter = new CallCounter(clock.now);
    counter.count('DescribeClusters');
    counter.reset();
    expect(counter.totals()).toEqual({});
    expect(counter.perSecond()).toEqual({});
  });
});
