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

/**
 * The pod security group's name for one (namespace, service account): `sgops-<namespace>-sa:<sa>`,
 * shortened like an app's. Tencent Cloud allows any character in a group name; ':' appears in no
 * app name (label value), namespace or service account (DNS-1123) and no `as group` name, so a
 * name that fits is never an app's or a named group's, whatever the namespaces (a shortened one
 * carries the hash of the whole name, and the finders match sgops' tags as well).
 */
export function serviceAccountPodGroupName(namespace: string, serviceAccount: string): string {
  return shortenWithHash(`sgops-${namespace}-sa:${serviceAccount}`, podGroupNameMaxLength);
}
