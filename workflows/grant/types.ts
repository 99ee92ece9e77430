/**
 * Pure data of the grant workflow: what was asked, the plan, and what each step produced.
 * Shared by the machine (which only carries it) and the steps (which fill it).
 */
import type { Said, Words } from '../../src/domain/words.ts';
import type { Direction, Rule } from '../../src/ports/cloud-network.ts';
import type { WorkContext } from '../shared/machine/work-context.ts';
import type { PlannedChange } from '../shared/planned-change.ts';
import type { PlannedPod } from '../shared/planned-pods.ts';
import type { TargetSpec } from '../shared/target-spec.ts';

export const workStepNames = [
  'ensurePodSecurityGroup',
  'allowDns',
  'ensurePodGroupRules',
  'applyPolicy',
  'recreatePods',
  'verifying',
] as const;

export type WorkStepName = (typeof workStepNames)[number];
export type StepName = 'planning' | WorkStepName | 'rollingBack';

export type { GrantTarget } from '../shared/target-spec.ts';

export interface GrantSpec extends TargetSpec {
  /** Egress of the pod group; the seed's default is everything to anywhere. */
  egress: Rule[];
  /** Ingress the requester asked for (`allow … from …`), besides the pod group itself and the cluster group. */
  extraIngress?: Rule[];
  /** `allow … to sg-x`: ingress to add to THAT group, from the pod group (the peer is filled in with the pod group). */
  targetGroups?: { securityGroupId: string; rules: Omit<Rule, 'peer'>[] }[];
  /** The request as one canonical line (`grant pod SG to app … allow tcp:3306 to sg-…`), for cards and views. */
  commandLine?: string;
  /** Why, as the requester said it (`because …`). */
  reason?: string;
  /** `for 8h`: a time-bound grant ends this long after it was verified, by a revoke sgops opens itself. */
  durationMs?: number;
}

/**
 * Sign-offs a request needs besides its namespace's approvers: one set per owner of a security
 * group it attaches to pods or writes into that its namespace does not own.
 */
export interface SignOff {
  /** The set approvals count under (see src/ports/group-owners.ts). */
  key: string;
  quorum: number;
  /** An owner entry's principals (`group:dba`), to name them to people. */
  owners?: string[];
  /** The groups they own here, and what this request does to each. */
  groups: { id: string; name: string; touches: GroupTouch[] }[];
}

/** What a request does to a group of another team; data, so each reader words it in their language. */
export type GroupTouch =
  /** `using`: the pods get the group. */
  | { kind: 'attached' }
  /** `using`: the rules the grant needs are added where missing (kubelet health checks; `asked`: the `allow` rules too). */
  | { kind: 'rulesWhereMissing'; asked: boolean }
  /** `allow … to`: ingress on these ports from the request's pods, ahead of any DROP (`from` null: the pod group). */
  | { kind: 'ingress'; ports: { protocol: string; port: string }[]; from: string | null };

export interface Plan {
  cluster: { id: string; name: string; version: string; vpcId: string };
  clusterGroupId: string;
  /** Set when a pod group with sgops' name and tags already exists and will be reused. */
  existingPodGroupId: string | null;
  /** `using`: the existing groups the pods get (no pod group is made). */
  existingGroupIds?: string[];
  workloads: { kind: string; name: string; superNodeScheduling: boolean; patch: string | null }[];
  pods: PlannedPod[];
  changes: PlannedChange[];
  warnings: Said[];
  /** Owners of other teams' groups whose sign-off this request waits for (absent in plans made before owners existed). */
  signoffs?: SignOff[];
}

export interface PodVerdict {
  name: string;
  node: string | null;
  ok: boolean;
  groups: string[];
  /** Why the pod lacks its groups: the event text, or what is missing. */
  reason: Said | null;
  /** Whether its node is a super node (absent in verdicts recorded before this was kept). */
  superNode?: boolean;
}

export interface StepOutputs {
  planning?: Plan;
  /**
   * `podGroupId` is sgops' pod group (with `using`: the first named group); `groupIds`, when set,
   * are all the groups the policy names (`using`).
   */
  ensurePodSecurityGroup?: { podGroupId: string; created: boolean; groupIds?: string[] };
  allowDns?: { added: Rule[] };
  ensurePodGroupRules?: {
    ingressAdded: Rule[];
    egressAdded: Rule[];
    targetAdded?: { securityGroupId: string; rules: Rule[] }[];
    /** `using`: what was added to each named group (kubelet health checks, `allow` rules). */
    groupsAdded?: { securityGroupId: string; direction: Direction; rules: Rule[] }[];
  };
  applyPolicy?: {
    policyName: string;
    created: boolean;
    updated: boolean;
    appliedAt: string;
    /** A service-account target: this request put sgops' selector label on the account. */
    serviceAccountLabelled?: boolean;
  };
  recreatePods?: { restarted: string[]; skipped: string[]; barePods: string[] };
  verifying?: { pods: PodVerdict[]; allVerified: boolean };
  rollingBack?: { undone: Said[] };
}

export interface GrantContext extends WorkContext<StepName> {
  spec: GrantSpec;
  quorum: number;
  approvalTimeoutMs: number;
  dryRun: boolean;
  autoApprove: boolean;
  /**
   * Who approved, and which sign-off sets each approval counts for (`namespace`, owner keys);
   * an approval without `as` (made before owners existed) counts for the namespace only.
   */
  approvals: { by: string; at: string; comment?: string; as?: string[] }[];
  approvedAt: string | null;
  decision: { by: string; at: string; reason?: string } | null;
  outputs: StepOutputs;
  /** How often approvers are reminded while the request waits; 0: never. */
  approvalReminderMs: number;
  /** Reminders sent in this wait; the next reminder is number `remindersSent + 1`. */
  remindersSent: number;
  /** When the wait for approval began (event time): reminders count from it, and so does the timeout. */
  awaitingSince: string | null;
  /** A time-bound grant: how long before its end the requester is warned (resolved from the input). */
  expiryWarningMs: number | null;
  /** When a time-bound grant was first verified (event time), and therefore when it ends. */
  activeSince: string | null;
  expiresAt: string | null;
  /** Set once the expiry warning went out, so it goes out once. */
  expiryWarned: boolean;
  /** How a time-bound grant ended: the revoke that ends it, and whether expiry or a person asked for it. */
  revocation: Revocation | null;
  /** It ran out while another live grant (`coveredBy`) gave the same access: nothing was taken away. */
  lapse: { coveredBy: string; at: string } | null;
  /**
   * What the drift watch last found different from what this grant made (none: `items` empty), since
   * when it has been so, and when it was last looked at. Null until the first look.
   */
  drift: DriftReport | null;
}

/** One thing found different from the approved state; `key` is the same each time it is found. */
export interface DriftNote {
  key: string;
  said: Words;
}

export interface DriftReport {
  /** The same for the same set of notes, whatever their order: a change of it is a change of drift. */
  fingerprint: string;
  notes: DriftNote[];
  /** When the drift as it is now was first found (the event's time). */
  since: string;
}

export interface Revocation {
  revokeRequestId: string;
  cause: 'expired' | 'revoked';
  /** `sgops` for an expiry. */
  by: string;
  at: string;
}

export interface GrantInput {
  spec: GrantSpec;
  quorum: number;
  approvalTimeoutMs: number;
  /** `plan …`: stop after planning, change nothing. */
  dryRun?: boolean;
  /** The policy approves this requester's grants itself: no wait for approvers after the plan. */
  autoApprove?: boolean;
  /** Remind approvers this often while the request waits (config `workflow.approvalReminderMs`); 0 or absent: never. */
  approvalReminderMs?: number;
  /** Warn this long before a time-bound grant ends (config `workflow.expiryWarningMs`); derived when absent. */
  expiryWarningMs?: number;
}
