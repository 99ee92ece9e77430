const labelValuePattern = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/**
 * Kubernetes label-value syntax: at most 63 characters, letters, digits, '-', '_' and '.',
 * starting and ending with a letter or digit. The empty string is a valid label value.
 */
export function isLabelValue(value: string): boolean {
  return typeof value === 'string' && value.length <= 63 && labelValuePattern.test(value);
}
