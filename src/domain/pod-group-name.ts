import { shortenWithHash } from './shorten-with-hash.ts';

/** Tencent Cloud limits security group names to 60 characters. */
export const podGroupNameMaxLength = 60;

/**
 * The pod security group's name for one (namespace, app): `sgops-<namespace>-<app>`, shortened
 * with a hash suffix to fit. Names can coincide across clusters (or for `a-b`/`c` vs `a`/`b-c`),
 * so finders must also match the sgops/* tags.
 */
export function podGroupName(namespace: string, app: string): string {
  return shortenWithHash(`sgops-${namespace}-${app}`, podGroupNameMaxLength);
}
