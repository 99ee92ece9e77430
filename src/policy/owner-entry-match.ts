/** How an entry of `securityGroupOwners` matches a group, and the stable key approvals count under. */
import type { GroupFacts } from '../ports/group-owners.ts';
import type { SecurityGroupOwnerEntry } from './policy-config.ts';

/** `id=sg-…`, `name=orders-*` or `tag=team=dba`: the entry as written, so it survives reordering. */
export function ownerEntryMatch(entry: SecurityGroupOwnerEntry): string {
  if (entry.id !== undefined) return `id=${entry.id}`;
  if (entry.name !== undefined) return `name=${entry.name}`;
  return `tag=${entry.tag}`;
}

export function ownerEntryMatches(entry: SecurityGroupOwnerEntry, group: GroupFacts): boolean {
  if (entry.id !== undefined) return group.id === entry.id;
  if (entry.name !== undefined) return globToRegExp(entry.name).test(group.name);
  const [key, ...rest] = entry.tag!.split('=');
  const value = rest.length === 0 ? undefined : rest.join('=');
  return Object.hasOwn(group.tags, key!) && (value === undefined || group.tags[key!] === value);
}

/** `*` is any run of characters; everything else is itself (a name is never a regular expression). */
function globToRegExp(glob: string): RegExp {
  const body = glob
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`);
}
