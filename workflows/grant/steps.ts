/** The grant workflow's idempotent steps over ports: each checks before it acts, so running twice changes nothing. */
import type { StepResult } from '../../src/ports/step-result.ts';
import type { GrantContext, StepName } from './types.ts';
import type { PlanningPorts } from '../shared/step-ports.ts';
import { plan } from './steps/plan.ts';
import { ensurePodSecurityGroup } from './steps/ensure-pod-security-group.ts';
import { allowDns } from './steps/allow-dns.ts';
import { ensurePodGroupRules } from './steps/ensure-pod-group-rules.ts';
import { applyPolicy } from './steps/apply-policy.ts';
import { recreatePods } from './steps/recreate-pods.ts';
import { verifyPods } from './steps/verify-pods.ts';
import { rollBack } from './steps/roll-back.ts';

export type GrantStep = (context: GrantContext) => Promise<StepResult>;

export function createSteps(ports: PlanningPorts): Record<StepName, GrantStep> {
  return {
    planning: (c) => plan(c, ports),
    ensurePodSecurityGroup: (c) => ensurePodSecurityGroup(c, ports),
    allowDns: (c) => allowDns(c, ports),
    ensurePodGroupRules: (c) => ensurePodGroupRules(c, ports),
    applyPolicy: (c) => applyPolicy(c, ports),
    recreatePods: (c) => recreatePods(c, ports),
    verifying: (c) => verifyPods(c, ports),
    rollingBack: (c) => rollBack(c, ports),
  };
}
