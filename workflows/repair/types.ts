/**
 * Pure data of the repair workflow: which grant it puts back, what it found and plans, and what
 * each step wrote. Shared by the machine (which only carries it) and the steps (which fill it).
 */
import type { Said } from '../../src/domain/words.ts';
import type { Direction, Rule } from '../../src/ports/cloud-network.ts';
import type { ApprovalRecord } from '../shared/drift/approved-state.ts';
import type { RestorePlan } from '../shared/drift/restore-plan.ts';
import type { WorkContext } from '../shared/machine/work-context.ts';
import type { PlannedChange } from '../shared/planned-change.ts';
import type { PlannedPod } from '../shared/planned-pods.ts';
import type { TargetSpec } from '../shared/target-spec.ts';

export const repairWorkStepNames = ['restoreRules', 'reapplyPolicy', 'recreatePods', 'verifying'] as const;

export type RepairWorkStepName = (typeof repairWorkStepNames)[number];
export type RepairStepName = 'planning' | RepairWorkStepName;

/**
 * The grant's names and target (so chat describes a repair as the grant it repairs), the repair's
 * own id and requester, and the grant's approval record as it stood when the repair was asked: the
 * repair restores exactly that, whatever happens to the grant's row meanwhile.
 */
export interface RepairSpec extends TargetSpec {
  /** The grant this repair puts back. */
  grantRequestId: string;
  approval: ApprovalRecord;
}

/** Another team's sign-off, shaped as the grant's (src/chat reads both the same way). */
export interface RepairSignOff {
  key: string;
  quorum: number;
  owners?: string[];
  groups: {
    id: string;
    name: string;
    touches: { kind: 'ingress'; ports: { protocol: string; port: string }[]; from: string | null }[];
  }[];
}

export interface RepairPlan {
  cluster: { id: string; name: string; version: string; vpcId: string };
  clusterGroupId: string;
  existingPodGroupId: null;
  workloads: { kind: string; name: string }[];
  pods: PlannedPod[];
  /** What differs from what was approved, as the drift watch words it. */
  drift: { key: string; said: Said }[];
  /** What the steps write: restorePlan's answer, minus pods a restart cannot help (normal nodes). */
  restore: RestorePlan;
  changes: PlannedChange[];
  warnings: Said[];
  /** Owners of other teams' groups a rule is written back into: the repair waits for them too. */
  signoffs: RepairSignOff[];
  /** Nothing differs that a repair can put back: the request ends here and writes nothing. */
  nothingToRepair: boolean;
}

export interface RepairStepOutputs {
  planning?: RepairPlan;
  /** Every planned rule, in place when the step ended: written by this run or by an earlier run of it. */
  restoreRules?: { restored: { groupId: string; direction: Direction; rules: Rule[] }[] };
  reapplyPolicy?: {
    /**
     * `inPlace`: planned, and found as approved when the step ran — put back by an earlier run of
     * it whose answer was lost (a replica killed), or by a person meanwhile; either way it is back.
     */
    policy: 'created' | 'replaced' | 'inPlace' | 'notPlanned';
    /** The service account's selector label was put back. */
    labelled: boolean;
  };
  recreatePods?: { restarted: string[]; skipped: string[]; barePods: string[] };
  verifying?: { remaining: Said[] };
}

export interface RepairContext extends WorkContext<RepairStepName> {
  spec: RepairSpec;
  /** The namespace approvers' quorum, from the policy when the repair was asked. */
  quorum: number;
  approvalTimeoutMs: number;
  requestedAt: string;
  /** The policy lets a restore-only repair here run without a sign-off (`autoApproveRepairs`). */
  autoApprove: boolean;
  approvals: { by: string; at: string; comment?: string; as?: string[] }[];
  approvedAt: string | null;
  decision: { by: string; at: string; reason?: string } | null;
  outputs: RepairStepOutputs;
}

export interface RepairInput {
  spec: RepairSpec;
  quorum: number;
  approvalTimeoutMs: number;
  requestedAt: string;
  /** Absent: false (repairs asked before the option existed). */
  autoApprove?: boolean;
}
