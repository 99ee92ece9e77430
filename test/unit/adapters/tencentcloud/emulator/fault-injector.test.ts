import { describe, expect, it } from 'vitest';
import {
  FaultInjector,
  type FaultConfig,
} from '../../../../../adapters/tencentcloud/emulator/fault-injector.ts';

function kindsOf(config: FaultConfig, actions: string[], calls = 400): string[] {
  const faults = new FaultInjector();
  faults.configure(config);
  return Array.from({ length: calls }, (_, i) => {
    const { fault } = faults.decide(actions[i % actions.length]!);
    if (!fault) return 'none';
    if (fault.kind === 'apiError') return fault.code;
    if (fault.kind === 'http5xx') return `http${fault.status}`;
    return fault.kind;
  });
}

function count(list: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of list) counts[item] = (counts[item] ?? 0) + 1;
  return counts;
}

const writes = { CreateSecurityGroup: 0.1, CreateSecurityGroupPolicies: 0.1 };

describe('FaultInjector', () => {
  it('repeats the same faults for the same seed and differs for another', () => {
    const plan = (seed: number) =>
      kindsOf(
        { seed, rate: { CreateSecurityGroup: 0.3 }, codes: ['InternalError', 'RequestLimitExceeded'] },
        ['CreateSecurityGroup'],
        40,
      );
    expect(plan(5)).toEqual(plan(5));
    expect(plan(5)).not.toEqual(plan(6));
    expect(plan(5).filter((k) => k !== 'none').length).toBeGreaterThan(0);
  });

  it('spends queued faults before random ones and leaves other actions alone', () => {
    const faults = new FaultInjector();
    faults.configure({
      seed: 1,
      next: [
        { action: 'DeleteSecurityGroup', code: 'ResourceInUse', count: 1 },
        { action: 'CreateSecurityGroup', kind: 'answerLost', count: 2 },
      ],
    });
    expect(faults.decide('DescribeSecurityGroups').fault).toBeUndefined();
    expect(faults.decide('DeleteSecurityGroup').fault).toEqual({ kind: 'apiError', code: 'ResourceInUse' });
    expect(faults.decide('DeleteSecurityGroup').fault).toBeUndefined();
    expect(faults.decide('CreateSecurityGroup').fault).toEqual({ kind: 'answerLost' });
    expect(faults.decide('CreateSecurityGroup').fault).toEqual({ kind: 'answerLost' });
    expect(faults.decide('CreateSecurityGroup').fault).toBeUndefined();
    expect(faults.injected()).toEqual({
      DeleteSecurityGroup: { apiError: 1 },
      CreateSecurityGroup: { answerLost: 2 },
    });
  });

  it('gives each write action each transport fault at its own rate, reproducibly, and reads none', () => {
    const config: FaultConfig = { seed: 20240415, http5xx: writes, timeout: writes, answerLost: writes };
    const actions = ['CreateSecurityGroup', 'DescribeSecurityGroups', 'CreateSecurityGroupPolicies'];
    const kinds = kindsOf(config, actions, 3000);
    expect(kindsOf(config, actions, 3000)).toEqual(kinds);
    const onReads = kinds.filter((_, i) => i % 3 === 1);
    expect(count(onReads)).toEqual({ none: 1000 });
    const onWrites = count(kinds.filter((_, i) => i % 3 !== 1));
    // 2000 write calls, 10 % of each kind: 200 expected, ± 4.5 standard deviations (≈ 13.4 each).
    for (const kind of ['timeout', 'answerLost']) expect(Math.abs(onWrites[kind]! - 200)).toBeLessThan(60);
    const gateway = (onWrites.http502 ?? 0) + (onWrites.http503 ?? 0);
    expect(Math.abs(gateway - 200)).toBeLessThan(60);
    expect(onWrites.http502).toBeGreaterThan(50);
    expect(onWrites.http503).toBeGreaterThan(50);
    expect(Math.abs(onWrites.none! - 1400)).toBeLessThan(100);
  });

  it('fails the same calls with API errors alone as before the transport faults existed', () => {
    // The sequence the injector gave for this plan before transport faults were added (commit c12fc8d).
    const [n, rle, ie] = ['none', 'RequestLimitExceeded', 'InternalError'];
    const before = [
      n,
      n,
      n,
      n,
      rle,
      n,
      rle,
      n,
      n,
      n,
      n,
      n,
      n,
      n,
      rle,
      n,
      n,
      n,
      n,
      n,
      ie,
      n,
      n,
      n,
      n,
      n,
      rle,
      n,
      n,
      n,
      ie,
      n,
      n,
      n,
      ie,
      n,
      ie,
      n,
      n,
      n,
    ];
    const plan = { seed: 5, rate: { CreateSecurityGroup: 0.3 }, codes: [ie!, rle!] };
    expect(kindsOf(plan, ['CreateSecurityGroup', 'DescribeSecurityGroups'], 40)).toEqual(before);
  });

  it('holds a timeout for the configured time and adds latency per action', () => {
    const faults = new FaultInjector();
    faults.configure({
      seed: 1,
      timeoutMs: 1_500,
      latencyMs: { '*': 5, CreateSecurityGroupPolicies: 200 },
      next: [{ action: '*', kind: 'timeout' }],
    });
    expect(faults.decide('DescribeSecurityGroups')).toEqual({
      fault: { kind: 'timeout', holdMs: 1_500 },
      latencyMs: 5,
    });
    expect(faults.decide('CreateSecurityGroupPolicies')).toEqual({ fault: undefined, latencyMs: 200 });
    faults.configure({ seed: 1, latencyMs: 700 });
    expect(faults.decide('CreateSecurityGroupPolicies').latencyMs).toBe(700);
  });

  it('refuses a probability outside 0..1, kinds that add up to more than 1, and a queued fault of no kind', () => {
    expect(() => new FaultInjector().configure({ seed: 1, rate: { '*': 2 } })).toThrow(TypeError);
    expect(() =>
      new FaultInjector().configure({ seed: 1, rate: { '*': 0.5 }, timeout: { CreateSecurityGroup: 0.6 } }),
    ).toThrow(/add up to/);
    expect(() =>
      new FaultInjector().configure({ seed: 1, next: [{ action: 'CreateSecurityGroup' }] }),
    ).toThrow(/code or kind/);
    expect(() =>
      new FaultInjector().configure({ seed: 1, next: [{ action: 'X', kind: 'slow' as never }] }),
    ).toThrow(/code or kind/);
  });
});
