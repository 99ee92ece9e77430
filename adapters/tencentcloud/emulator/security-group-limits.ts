import type { SecurityGroupLimitSet } from 'tencentcloud-sdk-nodejs/tencentcloud/services/vpc/v20170312/vpc_models.js';

/**
 * The account quotas DescribeSecurityGroupLimits reports. The two the emulator enforces come from
 * its quota options; the others are Tencent Cloud's published defaults (unverified), reported
 * only, and overridable for tests.
 */
export type SecurityGroupLimits = Required<SecurityGroupLimitSet>;

export function securityGroupLimits(
  enforced: { groupsPerRegion: number; rulesPerDirection: number },
  overrides: Partial<SecurityGroupLimitSet> = {},
): SecurityGroupLimits {
  return {
    ReferedSecurityGroupLimit: 10,
    SecurityGroupInstanceLimit: 2000,
    InstanceSecurityGroupLimit: 5,
    SecurityGroupExtendedPolicyLimit: 2000,
    SecurityGroupReferedCvmAndEniLimit: 2000,
    SecurityGroupReferedSvcLimit: 500,
    ...overrides,
    // Reported as enforced: a quota that lies about the emulator's own behaviour would mislead planning.
    SecurityGroupLimit: enforced.groupsPerRegion,
    SecurityGroupPolicyLimit: enforced.rulesPerDirection,
  };
}
