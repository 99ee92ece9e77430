const podNamePattern = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Pod names are DNS-1123 subdomains: at most 253 characters, dot-separated lower-case labels. */
export function isPodName(value: string): boolean {
  return typeof value === 'string' && value.length <= 253 && podNamePattern.test(value);
}
