import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDns1123Label } from '../../../src/domain/is-dns1123-label.ts';
import { namedGroupProblem } from '../../../src/domain/named-group.ts';
import { podGroupName, serviceAccountPodGroupName } from '../../../src/domain/pod-group-name.ts';
import { policyName, serviceAccountPolicyName } from '../../../src/domain/policy-name.ts';

const labelChar = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.');
const alnum = fc.constantFrom(...'abcXYZ019');
const appArb = fc
  .tuple(alnum, fc.array(labelChar, { maxLength: 61 }), alnum)
  .map(([a, mid, b]) => a + mid.join('') + b);
const dnsLabelArb = fc
  .tuple(
    fc.constantFrom(...'abc019'),
    fc.array(fc.constantFrom(...'abcxyz019-'), { maxLength: 61 }),
    fc.constantFrom(...'abc019'),
  )
  .map(([a, mid, b]) => a + mid.join('') + b);

describe('the names of a service account target', () => {
  it('are sgops-<namespace>-sa:<sa> for the pod group and sgops-sa.<sa> for the policy when they fit', () => {
    expect(serviceAccountPodGroupName('shop', 'api')).toBe('sgops-shop-sa:api');
    expect(serviceAccountPolicyName('api')).toBe('sgops-sa.api');
  });

  it('never equal an app’s, in any namespace, and stay within Tencent Cloud’s and Kubernetes’ limits', () => {
    fc.assert(
      fc.property(dnsLabelArb, appArb, dnsLabelArb, dnsLabelArb, (ns, app, otherNs, sa) => {
        const group = serviceAccountPodGroupName(ns, sa);
        expect(group.length).toBeLessThanOrEqual(60);
        expect(group).not.toBe(podGroupName(otherNs, app));
        expect(group).not.toBe(podGroupName(ns, sa));
        const policy = serviceAccountPolicyName(sa);
        expect(policy.length).toBeLessThanOrEqual(63);
        expect(policy).not.toBe(policyName(app));
        expect(policy).not.toBe(policyName(sa));
        // An RFC 1123 subdomain: dot-separated DNS labels.
        expect(policy.split('.').every(isDns1123Label)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('keep the app whose name looks like the account’s apart: app sa.api is not serviceaccount api', () => {
    expect(policyName('sa.api')).not.toBe(serviceAccountPolicyName('api'));
    expect(podGroupName('shop', 'sa.api')).not.toBe(serviceAccountPodGroupName('shop', 'api'));
    expect(podGroupName('shop', 'sa-api')).not.toBe(serviceAccountPodGroupName('shop', 'api'));
  });
});

describe('namedGroupProblem', () => {
  it('accepts 1 to 60 letters, digits, dots, underscores and dashes', () => {
    for (const name of ['shared', 'web-pods', 'Team_A.v2', 'x', 'a'.repeat(60)])
      expect(namedGroupProblem(name), name).toBeNull();
  });

  it('refuses names beyond Tencent Cloud’s limit or outside the alphabet', () => {
    for (const name of ['', 'a'.repeat(61), 'with space', 'shared:1', '组'])
      expect(namedGroupProblem(name), name).toBe('invalid');
  });

  it('refuses the names sgops derives for its own groups, in any case', () => {
    expect(namedGroupProblem('sgops-shop-web')).toBe('reserved');
    expect(namedGroupProblem('SGOPS-mine')).toBe('reserved');
    expect(namedGroupProblem('sgopsish')).toBeNull();
  });
});
