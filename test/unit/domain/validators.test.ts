import { describe, expect, it } from 'vitest';
import { isAppName } from '../../../src/domain/is-app-name.ts';
import { isClusterId } from '../../../src/domain/is-cluster-id.ts';
import { isDns1123Label } from '../../../src/domain/is-dns1123-label.ts';
import { isLabelValue } from '../../../src/domain/is-label-value.ts';
import { isSecurityGroupId } from '../../../src/domain/is-security-group-id.ts';

describe('isLabelValue', () => {
  it.each(['a', 'my-app', 'My_App.v2', 'A', '0', 'a'.repeat(63), ''])(
    'accepts %j as a label value',
    (value) => {
      expect(isLabelValue(value)).toBe(true);
    },
  );

  it.each(['-a', 'a-', '_a', 'a.', 'my app', 'My App!', 'a'.repeat(64), 'app/x', 'café', 'a\nb'])(
    'rejects %j as a label value',
    (value) => {
      expect(isLabelValue(value)).toBe(false);
    },
  );

  it('treats the empty string as a label value but not as an app name', () => {
    expect(isLabelValue('')).toBe(true);
    expect(isAppName('')).toBe(false);
    expect(isAppName('web')).toBe(true);
  });
});

describe('isDns1123Label', () => {
  it.each(['a', 'my-namespace', 'ns1', '1ns', 'a'.repeat(63)])('accepts %j', (value) => {
    expect(isDns1123Label(value)).toBe(true);
  });

  it.each(['', 'My_NS', 'MyNS', '-ns', 'ns-', 'my.ns', 'a'.repeat(64), 'ns_1'])('rejects %j', (value) => {
    expect(isDns1123Label(value)).toBe(false);
  });
});

describe('cloud ids', () => {
  it('accepts security group ids of sg- and 8 lower-case alphanumerics only', () => {
    expect(isSecurityGroupId('sg-a1b2c3d4')).toBe(true);
    expect(isSecurityGroupId('sg-A1B2C3D4')).toBe(false);
    expect(isSecurityGroupId('sg-a1b2c3d')).toBe(false);
    expect(isSecurityGroupId('sg-a1b2c3d45')).toBe(false);
    expect(isSecurityGroupId('cls-a1b2c3d4')).toBe(false);
  });

  it('accepts cluster ids of cls- and 8 lower-case alphanumerics, the sandbox id included', () => {
    expect(isClusterId('cls-a1b2c3d4')).toBe(true);
    expect(isClusterId('cls-sandbox1')).toBe(true);
    expect(isClusterId('cls-XYZ')).toBe(false);
    expect(isClusterId('cls-ABCDEFGH')).toBe(false);
    expect(isClusterId('cls-a1b2c3d4 ')).toBe(false);
  });
});
