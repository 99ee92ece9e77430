const securityGroupNamePattern = /^[A-Za-z0-9._-]{1,60}$/;

/**
 * A name for `as group <name>`: 1 to 60 letters, digits, '.', '_' or '-' (Tencent Cloud
 * allows 60 characters; the narrower alphabet keeps names safe in chat, logs and tags).
 */
export function isSecurityGroupName(value: string): boolean {
  return typeof value === 'string' && securityGroupNamePattern.test(value);
}
