import { describe, expect, it } from 'vitest';
import { FaultInjector } from '../../../../../adapters/tencentcloud/emulator/fault-injector.ts';

function run(seed: number): (string | undefined)[] {
  const faults = new FaultInjector();
  faults.configure({
    seed,
    rate: { CreateSecurityGroup: 0.3 },
    codes: ['InternalError', 'RequestLimitExceeded'],
  });
  return Array.from({ length: 40 }, () => faults.decide('CreateSecurityGroup').code);
}

describe('FaultInjector', () => {
  it('repeats the same faults for the same seed and differs for another', () => {
    expect(run(5)).toEqual(run(5));
    expect(run(5)).not.toEqual(run(6));
    expect(run(5).filter(Boolean).length).toBeGreaterThan(0);
  });

  it('spends queued faults before random ones and leaves other actions alone', () => {
    const faults = new FaultInjector();
    faults.configure({ seed: 1, next: [{ action: 'DeleteSecurityGroup', code: 'ResourceInUse', count: 1 }] });
    expect(faults.decide('CreateSecurityGroup').code).toBeUndefined();
    expect(faults.decide('DeleteSecurityGroup').code).toBe('ResourceInUse');
    expect(faults.decide('DeleteSecurityGroup').code).toBeUndefined();
  });

  it('refuses a probability outside 0..1', () => {
    expect(() => new FaultInjector().configure({ seed: 1, rate: { '*': 2 } })).toThrow(TypeError);
  });
});
