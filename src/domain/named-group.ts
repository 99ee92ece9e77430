import { isSecurityGroupName } from './is-security-group-name.ts';

/** Names sgops gives its own pod groups start so; `as group` may not take one of them. */
export const reservedGroupNamePrefix = 'sgops-';

/**
 * Why `as group <name>` cannot name a pod group, or null when it can: Tencent Cloud's 60
 * characters in sgops' narrow alphabet, and never a name sgops derives itself
 * (`sgops-<namespace>-<app>`), so a named group and an app's own group never share a name.
 */
export function namedGroupProblem(name: string): 'invalid' | 'reserved' | null {
  if (!isSecurityGroupName(name)) return 'invalid';
  return name.toLowerCase().startsWith(reservedGroupNamePrefix) ? 'reserved' : null;
}
