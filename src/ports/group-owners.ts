/**
 * Ownership of security groups, as the grant's planning step needs it: every group a request
 * attaches to pods or writes into has an owner whose sign-off the request waits for.
 */

/** A security group as ownership sees it: what the cloud says of it. */
export interface GroupFacts {
  id: string;
  name: string;
  tags: Record<string, string>;
}

/** Who must sign for a group. */
export interface GroupOwner {
  /**
   * The set approvals are counted under: `namespace` (the request's own namespace approvers),
   * `namespace:<cluster>/<namespace>` (another namespace's pod group) or `owners:<match>` (an
   * entry of the policy's `securityGroupOwners`, e.g. `owners:name=orders-db`).
   */
  key: string;
  /** An owner entry's principals as the policy lists them (`group:dba`), to name them to people. */
  owners?: string[];
  /** Distinct sign-offs needed from that set. */
  quorum: number;
}

export interface GroupOwners {
  /** The group's owner for a request in that namespace, or null when nobody may sign for it. */
  ownerOf(group: GroupFacts, request: { clusterId: string; namespace: string }): GroupOwner | null;
}

/** The key of the request's own namespace approvers. */
export const ownNamespaceKey = 'namespace';

/** The key of another namespace's approvers (the owners of its sgops pod groups). */
export const namespaceKey = (clusterId: string, namespace: string): string =>
  `namespace:${clusterId}/${namespace}`;

/** The key of a `securityGroupOwners` entry, by its match as written (`name=orders-db`). */
export const ownersKey = (match: string): string => `owners:${match}`;

/** What a sign-off key names: the written form lives here only, so writers and readers agree. */
export type SignOffKeyOf =
  | { kind: 'ownNamespace' }
  | { kind: 'namespace'; clusterId: string; namespace: string }
  | { kind: 'owners'; match: string };

export function readSignOffKey(key: string): SignOffKeyOf | null {
  if (key === ownNamespaceKey) return { kind: 'ownNamespace' };
  const other = /^namespace:([^/]+)\/(.+)$/.exec(key);
  if (other) return { kind: 'namespace', clusterId: other[1]!, namespace: other[2]! };
  if (key.startsWith('owners:')) return { kind: 'owners', match: key.slice('owners:'.length) };
  return null;
}
