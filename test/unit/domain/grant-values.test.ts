import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ipv4CidrFix, isIpv4Cidr } from '../../../src/domain/ipv4-cidr.ts';
import { isSecurityGroupName } from '../../../src/domain/is-security-group-name.ts';
import { maxDurationMs, minDurationMs, parseDuration } from '../../../src/domain/parse-duration.ts';
import { isPortSpec, portSpecFix } from '../../../src/domain/port-spec.ts';

describe('parseDuration', () => {
  it.each([
    ['90s', 90_000],
    ['30m', 1_800_000],
    ['8h', 28_800_000],
    ['2d', 172_800_000],
    ['1h30m', 5_400_000],
    ['1H30M', 5_400_000],
    ['1h 30m', 5_400_000],
    ['8 hours', 28_800_000],
    ['1 day 2 hours', 93_600_000],
    ['8小时', 28_800_000],
    ['1小时30分钟', 5_400_000],
    ['2天', 172_800_000],
    ['45秒', 45_000],
    ['1s', 1000],
    ['90d', 90 * 86_400_000],
  ])('reads %j as %i ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '8', 'h', '0s', '91d', '2161h', '1m1h', '1h1h', '1.5h', '-8h', '8 parsecs', '８h x', 'PT8H'])(
    'refuses %j',
    (text) => {
      expect(parseDuration(text)).toBeNull();
    },
  );

  it('never gives a value outside 1 second … 90 days, and never throws', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (text) => {
        const ms = parseDuration(text);
        if (ms !== null) {
          expect(ms).toBeGreaterThanOrEqual(minDurationMs);
          expect(ms).toBeLessThanOrEqual(maxDurationMs);
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe('IPv4 CIDRs', () => {
  it.each([
    '10.0.0.0/8',
    '0.0.0.0/0',
    '192.168.1.0/24',
    '10.1.2.3/32',
    '255.255.255.255/32',
    '172.16.0.0/12',
  ])('accepts %j', (value) => {
    expect(isIpv4Cidr(value)).toBe(true);
    expect(ipv4CidrFix(value)).toBeUndefined();
  });

  it.each([
    ['10.1.2.3/8', '10.0.0.0/8'],
    ['192.168.1.77/24', '192.168.1.0/24'],
    ['10.1.2.3', '10.1.2.3/32'],
    ['1.2.3.4/0', '0.0.0.0/0'],
  ])('refuses %j, suggesting %j without applying it', (value, fix) => {
    expect(isIpv4Cidr(value)).toBe(false);
    expect(ipv4CidrFix(value)).toBe(fix);
    expect(isIpv4Cidr(fix)).toBe(true);
  });

  it.each([
    '10.0.0.0/33',
    '256.0.0.0/8',
    '010.0.0.0/8',
    '10.0.0/8',
    '10.0.0.0/08',
    '::1/128',
    'sg-a1b2c3d4',
    '10.0.0.0/8/8',
    '',
  ])('refuses %j with no suggestion', (value) => {
    expect(isIpv4Cidr(value)).toBe(false);
    expect(ipv4CidrFix(value)).toBeUndefined();
  });
});

describe('port specs', () => {
  it.each(['1', '22', '65535', '80,443', '80,443,8080', '8000-8010', '1-65535', '22-22'])(
    'accepts %j',
    (value) => {
      expect(isPortSpec(value)).toBe(true);
    },
  );

  it.each([
    '0',
    '65536',
    '080',
    '80,80',
    '80,',
    ',80',
    '8010-8000',
    '80,8000-8010',
    '1-2-3',
    'ALL',
    '',
    ' 80',
    'http',
  ])('refuses %j', (value) => {
    expect(isPortSpec(value)).toBe(false);
  });

  it('suggests the ordered range for a reversed one, and nothing else', () => {
    expect(portSpecFix('8010-8000')).toBe('8000-8010');
    expect(portSpecFix('80,80')).toBeUndefined();
    expect(portSpecFix('8000-8010')).toBeUndefined();
  });
});

describe('isSecurityGroupName', () => {
  it('accepts 1 to 60 letters, digits, dots, underscores and dashes', () => {
    expect(isSecurityGroupName('web-pods')).toBe(true);
    expect(isSecurityGroupName('My_Group.v2')).toBe(true);
    expect(isSecurityGroupName('g'.repeat(60))).toBe(true);
  });

  it('refuses empty, long and other names', () => {
    for (const bad of ['', 'g'.repeat(61), 'my group', 'grp/1', '组', 'a:b'])
      expect(isSecurityGroupName(bad)).toBe(false);
  });
});
