/**
 * Pure data of the revoke workflow: what was asked, the plan, and what each step produced.
 * Shared by the machine (which only carries it) and the steps (which fill it).
 */
import type { SerializedError } from '../../src/errors.ts';
import type { Rule } from '../../src/ports/cloud-network.ts';
import type { GrantSpec, PlannedChange, PlannedPod } from '../grant/types.ts';

export const revokeWorkStepNames = [
  'removePolicy',
  'recreatePods',
  'removeDnsRules',
  'removePodGroup',
] as const;

export type RevokeWorkStepName = (typeof revokeWorkStepNames)[number];
export type RevokeStepName = 'planning' | RevokeWorkStepName;

/** The same names a grant of the app used: the revoke finds what the grant made by them. */
export interface RevokeSpec extends Pick<
  GrantSpec,
  | 'requestId'
  | 'requester'
  | 'clusterId'
  | 'namespace'
  | 'target'
  | 'podSelector'
  | 'podGroupName'
  | 'policyName'
> {
  /** `because …` as written, or why sgops itself revokes (a time-bound grant ran out). */
  reason?: string;
  /** The grant this revoke ends, when it ends one (expiry of `for 8h`). */
  grantRequestId?: string;
  /**
   * Other SecurityGroupPolicies in the namespace that may name the pod group (e.g. the policies of
   * live grants, known to the store). Each is re-read before a DNS rule or the group is removed.
   */
  otherPolicyNames?: string[];
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
  stillUsedBy: string[];
  changes: PlannedChange[];
  warnings: string[];
}

export interface RevokeStepOutputs {
  planning?: RevokePlan;
  removePolicy?: { policyName: string; deleted: boolean; kept: string | null };
  recreatePods?: { restarted: string[]; skipped: string[]; barePods: string[] };
  removeDnsRules?: { removed: Rule[]; kept: string[] };
  removePodGroup?: { podGroupId: string | null; deleted: boolean; kept: string[] };
}

export interface RevokeContext {
  spec: RevokeSpec;
  /** When the revoke was asked: the restart stamp, so a re-run restarts nothing twice. */
  requestedAt: string;
  /** Always empty (a revoke needs no approval); kept so code that reads any request's approvals works. */
  approvals: { by: string; at: string; comment?: string }[];
  decision: { by: string; at: string; reason?: string } | null;
  outputs: RevokeStepOutputs;
  /** Attempt number per step; re-entering a step (wait, retry) increments it, so job ids stay unique. */
  attempts: Partial<Record<RevokeStepName, number>>;
  /** Free text of the last re-arm, e.g. "1/2 pods updated". */
  progress: string | null;
  failedStep: RevokeStepName | null;
  error: SerializedError | null;
}

export interface RevokeInput {
  spec: RevokeSpec;
  /** ISO time the revoke was asked (the chat line's time, or the grant's expiry). */
  requestedAt: string;
}
