/** The repair workflow's idempotent steps over ports: each re-reads before it writes, so running twice changes nothing. */
import type { StepResult } from '../../src/ports/step-result.ts';
import type { PlanningPorts } from '../shared/step-ports.ts';
import type { RepairContext, RepairStepName } from './types.ts';
import { planRepair } from './steps/plan-repair.ts';
import { restoreRules } from './steps/restore-rules.ts';
import { reapplyPolicy } from './steps/reapply-policy.ts';
import { recreatePodsLackingGroup } from './steps/recreate-pods-lacking-group.ts';
import { verifyRepair } from './steps/verify-repair.ts';

export type RepairStep = (context: RepairContext) => Promise<StepResult>;

export function createRepairSteps(ports: PlanningPorts): Record<RepairStepName, RepairStep> {
  return {
    planning: (c) => planRepair(c, ports),
    restoreRules: (c) => restoreRules(c, ports),
    reapplyPolicy: (c) => reapplyPolicy(c, ports),
    recreatePods: (c) => recreatePodsLackingGroup(c, ports),
    verifying: (c) => verifyRepair(c, ports),
  };
}
