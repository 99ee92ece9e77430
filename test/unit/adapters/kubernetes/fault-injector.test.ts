import { describe, expect, it } from 'vitest';
import { FaultInjector } from '../../../../adapters/kubernetes/simulator/fault-injector.ts';

const request = { verb: 'list', resource: 'pods', group: '', namespace: 'ns', name: undefined };

function draws(seed: number, rate: number, n: number): boolean[] {
  const faults = new FaultInjector();
  faults.configure({ seed, rules: [{ status: 500, rate }] });
  return Array.from({ length: n }, () => faults.check(request) !== undefined);
}

describe('FaultInjector', () => {
  it('fails the same requests for the same seed and different ones for another seed', () => {
    expect(draws(7, 0.3, 50)).toEqual(draws(7, 0.3, 50));
    expect(draws(7, 0.3, 50)).not.toEqual(draws(8, 0.3, 50));
    const hits = draws(7, 0.3, 1000).filter(Boolean).length;
    expect(hits).toBeGreaterThan(200);
    expect(hits).toBeLessThan(400);
  });

  it('matches verb and resource (a plural also covers its subresources) and stops after count', () => {
    const faults = new FaultInjector();
    faults.configure({ seed: 1, rules: [{ verb: 'create', resource: 'pods', status: 429, count: 1 }] });
    expect(faults.check(request)).toBeUndefined();
    const eviction = { ...request, verb: 'create', resource: 'pods/eviction', name: 'p' };
    expect(faults.check(eviction)).toMatchObject({ code: 429, reason: 'TooManyRequests' });
    expect(faults.check(eviction)).toBeUndefined();
    expect(faults.describe()[0]?.fired).toBe(1);
  });

  it('answers Status bodies worded like kube-apiserver', () => {
    const faults = new FaultInjector();
    faults.configure({ seed: 1, rules: [{ status: 403 }] });
    expect(
      faults.check({ verb: 'get', resource: 'deployments', group: 'apps', namespace: 'ns', name: 'd' }),
    ).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'deployments.apps "d" is forbidden: User "system:anonymous" cannot get resource "deployments" in API group "apps" in the namespace "ns"',
      reason: 'Forbidden',
      details: { name: 'd', group: 'apps', kind: 'deployments' },
      code: 403,
    });
  });

  it('refuses a plan with a non-error status or a rate outside 0..1', () => {
    const faults = new FaultInjector();
    expect(() => faults.configure({ seed: 1, rules: [{ status: 200 }] })).toThrow(RangeError);
    expect(() => faults.configure({ seed: 1, rules: [{ status: 500, rate: 2 }] })).toThrow(RangeError);
  });
});
