/**
 * Whose pods a request is about, and the names a grant of them uses: its revoke finds what the
 * grant made by the same names.
 */
import type { GrantTarget } from '../../src/domain/grant-target.ts';

export type { GrantTarget };

export interface TargetSpec {
  requestId: string;
  requester: string;
  clusterId: string;
  namespace: string;
  target: GrantTarget;
  /**
   * The pods' labels selected: `app=<name>` for an app target; none (`{}`) for a service account,
   * whose pods are those with `spec.serviceAccountName=<sa>` (see pods/target-pods.ts).
   */
  podSelector: Record<string, string>;
  /** sgops' pod group: `sgops-<ns>-<app>`, `sgops-<ns>-sa:<sa>`, or the `as group` name. Unused with `using`. */
  podGroupName: string;
  /**
   * `as group <name>`: a pod group found or made by that name, shared by the grants that name it;
   * `using <sg-id>,…`: existing groups, no pod group at all. Absent: the target's own pod group.
   */
  groups?: { kind: 'named'; name: string } | { kind: 'existing'; ids: string[] };
  policyName: string;
}
