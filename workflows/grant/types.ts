/**
 * Pure data of the grant workflow: what was asked, the plan, and what each step produced.
 * Shared by the machine (which only carries it) and the steps (which fill it).
 */
import type { Rule } from '../../src/ports/cloud-network.ts';
import type { SerializedError } from '../../src/errors.ts';

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

export interface GrantSpec {
  requestId: string;
  requester: string;
  clusterId: string;
  namespace: string;
  target: { kind: 'app'; app: string };
  /** The pods selected: `app=<name>` for an app target. */
  podSelector: Record<string, string>;
  podGroupName: string;
  policyName: string;
  /** Egress of the pod group; the seed's default is everything to anywhere. */
  egress: Rule[];
  /** Ingress the requester asked for (`allow … from …`), besides the pod group itself and the cluster group. */
  extraIngress?: Rule[];
  /** `allow … to sg-x`: ingress to add to THAT group, from the pod group (the peer is filled in with the pod group). */
  targetGroups?: { securityGroupId: string; rules: Omit<Rule, 'peer'>[] }[];
  /** Why, as the requester said it (`because …`). */
  reason?: string;
}

export interface PlannedChange {
  system: 'tencentcloud' | 'kubernetes';
  /** One sentence: what will change. */
  summary: string;
  /** The equivalent command a person could run by hand (tccli or kubectl). */
  command: string;
}

export interface PlannedPod {
  name: string;
  node: string | null;
  superNode: boolean;
  workload: string | null;
}

export interface Plan {
  cluster: { id: string; name: string; version: string; vpcId: string };
  clusterGroupId: string;
  /** Set when a pod group with sgops' name and tags already exists and will be reused. */
  existingPodGroupId: string | null;
  workloads: { kind: string; name: string; superNodeScheduling: boolean; patch: string | null }[];
  pods: PlannedPod[];
  changes: PlannedChange[];
  warnings: string[];
}

export interface PodVerdict {
  name: string;
  node: string | null;
  ok: boolean;
  groups: string[];
  /** Why the pod lacks its groups: the event text, or what is missing. */
  reason: string | null;
}

export interface StepOutputs {
  planning?: Plan;
  ensurePodSecurityGroup?: { podGroupId: string; created: boolean };
  allowDns?: { added: Rule[] };
  ensurePodGroupRules?: {
    ingressAdded: Rule[];
    egressAdded: Rule[];
    targetAdded?: { securityGroupId: string; rules: Rule[] }[];
  };
  applyPolicy?: { policyName: string; created: boolean; updated: boolean; appliedAt: string };
  recreatePods?: { restarted: string[]; skipped: string[]; barePods: string[] };
  verifying?: { pods: PodVerdict[]; allVerified: boolean };
  rollingBack?: { undone: string[] };
}

export interface GrantContext {
  spec: GrantSpec;
  quorum: number;
  approvalTimeoutMs: number;
  dryRun: boolean;
  autoApprove: boolean;
  approvals: { by: string; at: string; comment?: string }[];
  approvedAt: string | null;
  decision: { by: string; at: string; reason?: string } | null;
  outputs: StepOutputs;
  /** Attempt number per step; re-entering a step (wait, retry) increments it, so job ids stay unique. */
  attempts: Partial<Record<StepName, number>>;
  /** Free text of the last re-arm, e.g. "1/2 pods updated". */
  progress: string | null;
  failedStep: StepName | null;
  error: SerializedError | null;
}

export interface GrantInput {
  spec: GrantSpec;
  quorum: number;
  approvalTimeoutMs: number;
  /** `plan …`: stop after planning, change nothing. */
  dryRun?: boolean;
  /** The policy approves this requester's grants itself: no wait for approvers after the plan. */
  autoApprove?: boolean;
}
