import { isDns1123Label } from './is-dns1123-label.ts';
import { shortHash, shortenWithHash } from './shorten-with-hash.ts';

export const policyNameMaxLength = 63;

/**
 * The SecurityGroupPolicy's name for an app: `sgops-<app>`, shortened with a hash suffix to
 * fit 63 characters. App names are label values (upper case, '_' and '.' allowed) but object
 * names are not, so such names are lower-cased and '-'-joined, and always carry the hash of the
 * original, which keeps `My_App` and `my-app` apart.
 */
export function policyName(app: string): string {
  const plain = `sgops-${app}`;
  if (isDns1123Label(plain)) return plain;
  const hash = shortHash(plain);
  const head = plain
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .slice(0, policyNameMaxLength - hash.length - 1)
    .replace(/-+$/, '');
  return `${head}-${hash}`;
}

/**
 * The SecurityGroupPolicy's name for a service account: `sgops-sa.<sa>` (hash-shortened to 63).
 * Object names may hold dots (RFC 1123 subdomains) but an app's policy name never does, so the two
 * never collide: `sgops-sa.api` is not the name of app `sa.api` (that is `sgops-sa-api-<hash>`).
 */
export function serviceAccountPolicyName(serviceAccount: string): string {
  return shortenWithHash(`sgops-sa.${serviceAccount}`, policyNameMaxLength);
}
