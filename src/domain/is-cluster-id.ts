const clusterIdPattern = /^cls-[a-z0-9]{8}$/;

/** TKE cluster ids: `cls-` and 8 lower-case alphanumerics (the sandbox's is `cls-sandbox1`). */
export function isClusterId(value: string): boolean {
  return typeof value === 'string' && clusterIdPattern.test(value);
}
