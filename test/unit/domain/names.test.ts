import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDns1123Label } from '../../../src/domain/is-dns1123-label.ts';
import { podGroupName } from '../../../src/domain/pod-group-name.ts';
import { policyName } from '../../../src/domain/policy-name.ts';

const labelChar = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.');
const appArb = fc
  .tuple(
    fc.constantFrom(...'abcXYZ019'),
    fc.array(labelChar, { maxLength: 61 }),
    fc.constantFrom(...'abcXYZ019'),
  )
  .map(([a, mid, b]) => a + mid.join('') + b);
const nsArb = fc
  .tuple(
    fc.constantFrom(...'abc019'),
    fc.array(fc.constantFrom(...'abcxyz019-'), { maxLength: 61 }),
    fc.constantFrom(...'abc019'),
  )
  .map(([a, mid, b]) => a + mid.join('') + b);

describe('podGroupName', () => {
  it('is sgops-<namespace>-<app> when that fits', () => {
    expect(podGroupName('shop', 'web')).toBe('sgops-shop-web');
  });

  it('always fits 60 characters and is stable', () => {
    fc.assert(
      fc.property(nsArb, appArb, (ns, app) => {
        const name = podGroupName(ns, app);
        expect(name.length).toBeLessThanOrEqual(60);
        expect(podGroupName(ns, app)).toBe(name);
        expect(name.startsWith('sgops-')).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('shortens long names with an 8-character sha256 suffix that keeps similar names apart', () => {
    const ns = 'n'.repeat(40);
    const app = `${'a'.repeat(30)}-one`;
    const a = podGroupName(ns, app);
    const b = podGroupName(ns, `${'a'.repeat(30)}-two`);
    const hash = createHash('sha256').update(`sgops-${ns}-${app}`).digest('hex').slice(0, 8);
    expect(a).toHaveLength(60);
    expect(a).toBe(`sgops-${ns}-${'a'.repeat(4)}-${hash}`);
    expect(a).not.toBe(b);
  });
});

describe('policyName', () => {
  it('is sgops-<app> for ordinary app names', () => {
    expect(policyName('web')).toBe('sgops-web');
    expect(policyName('my-app')).toBe('sgops-my-app');
  });

  it('is always a DNS-1123 label of at most 63 characters, and stable', () => {
    fc.assert(
      fc.property(appArb, (app) => {
        const name = policyName(app);
        expect(isDns1123Label(name)).toBe(true);
        expect(policyName(app)).toBe(name);
      }),
      { numRuns: 1000 },
    );
  });

  it('keeps apps apart that differ only in case or punctuation', () => {
    expect(policyName('My_App')).not.toBe(policyName('my-app'));
    expect(policyName('My_App')).toMatch(/^sgops-my-app-[0-9a-f]{8}$/);
  });

  it('shortens a long app name with a hash suffix', () => {
    const name = policyName('a'.repeat(63));
    expect(name).toHaveLength(63);
    expect(name).toMatch(/^sgops-a+-[0-9a-f]{8}$/);
  });
});
