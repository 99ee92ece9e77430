/**
 * Pure data of the revoke workflow: what was asked, the plan, and what each step produced.
 * Shared by the machine (which only carries it) and the steps (which fill it).
 */
import type { Said } from '../../src/domain/words.ts';
import type { Direction, Rule } from '../../src/ports/cloud-network.ts';
import type { WorkContext } from '../shared/machine/work-context.ts';
import type { PlannedChange } from '../shared/planned-change.ts';
import type { PlannedPod } from '../shared/planned-pods.ts';
import type { TargetSpec } from '../shared/target-spec.ts';

export const revokeWorkStepNames = [
  'removePolicy',
  'recreatePods',
  'removeDnsRules',
  'removePodGroup',
] as const;

export type RevokeWorkStepName = (typeof revokeWorkStepNames)[number];
export type RevokeStepName = 'planning' | RevokeWorkStepName;

/** The same names a grant of the app used: the revoke finds what the grant made by them. */
export interface RevokeSpec extends TargetSpec {
  /** `because …` as written, or why sgops itself revokes (a time-bound grant ran out). */
  reason?: string;
  /** The grant this revoke ends, when it ends one (expiry of `for 8h`). */
  grantRequestId?: string;
  /**
   * Other SecurityGroupPolicies in the namespace that may name the pod group (e.g. the policies of
   * live grants, known to the store). Each is re-read before a DNS rule or the group is removed.
   */
  otherPolicyNames?: string[];
  /**
   * With `using`: the groups the target's live grants asked `allow … to` into. The rules sgops
   * wrote there from a group named in `using` go when that group's last user does.
   */
  targetGroupIds?: string[];
}

/**
 * What exists and what this revoke would remove. Shaped like the grant's Plan where they overlap
 * (cluster, clusterGroupId, workloads, pods, changes, warnings), so chat renders both the same way.
 */
export interface RevokePlan {
  cluster: { id: string; name: string; version: string; vpcId: string };
  /** Null when the cluster group is not found: then there are no DNS rules to remove. */
  clusterGroupId: string | null;
  /** The pod group found by exact name and sgops' tags; null when there is none. */
  podGroupId: string | null;
  policy: { name: string; exists: boolean; managed: boolean; groupIds: string[] };
  /** The DNS rules (TCP/UDP 53 from the pod group) present in the cluster group. */
  dnsRules: Rule[];
  workloads: { kind: string; name: string }[];
  pods: PlannedPod[];
  /** Who else still needs the pod group right now: then its DNS rules and the group stay. */
  stillUsedBy: Said[];
  /** With `using`: each named group (never deleted) and who else still needs it, which keeps sgops' rules for it. */
  existingGroups?: { id: string; exists: boolean; stillUsedBy: Said[] }[];
  changes: PlannedChange[];
  warnings: Said[];
}

export interface RevokeStepOutputs {
  planning?: RevokePlan;
  removePolicy?: {
    policyName: string;
    deleted: boolean;
    kept: Said | null;
    /** A service-account target: sgops' selector label was taken off the account. */
    serviceAccountUnlabelled?: boolean;
  };
  recreatePods?: { restarted: string[]; skipped: string[]; barePods: string[] };
  removeDnsRules?: { removed: Rule[]; kept: Said[] };
  removePodGroup?: {
    podGroupId: string | null;
    deleted: boolean;
    kept: Said[];
    /** With `using`: the rules sgops had added for the named groups, removed here (the groups stay). */
    removedRules?: { securityGroupId: string; direction: Direction; rules: Rule[] }[];
  };
}

export interface RevokeContext extends WorkContext<RevokeStepName> {
  spec: RevokeSpec;
  /** When the revoke was asked: the restart stamp, so a re-run restarts nothing twice. */
  requestedAt: string;
  /** Always empty (a revoke needs no approval); kept so code that reads any request's approvals works. */
  approvals: { by: string; at: string; comment?: string }[];
  decision: { by: string; at: string; reason?: string } | null;
  outputs: RevokeStepOutputs;
}

export interface RevokeInput {
  spec: RevokeSpec;
  /** ISO time the revoke was asked (the chat line's time, or the grant's expiry). */
  requestedAt: string;
}
