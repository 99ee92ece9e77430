const securityGroupIdPattern = /^sg-[a-z0-9]{8}$/;

/** Tencent Cloud security group ids: `sg-` and 8 lower-case alphanumerics. */
export function isSecurityGroupId(value: string): boolean {
  return typeof value === 'string' && securityGroupIdPattern.test(value);
}
