const dns1123LabelPattern = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** RFC 1123 label as Kubernetes uses it for namespaces and service accounts (≤ 63, lower case). */
export function isDns1123Label(value: string): boolean {
  return typeof value === 'string' && value.length <= 63 && dns1123LabelPattern.test(value);
}
