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
