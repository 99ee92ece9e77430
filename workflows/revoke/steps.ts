/** The revoke workflow's idempotent steps over ports: each re-reads before it removes, so running twice changes nothing. */
import type { StepResult } from '../../src/ports/step-result.ts';
import type { StepPorts } from '../shared/step-ports.ts';
import type { RevokeContext, RevokeStepName } from './types.ts';
import { planRevoke } from './steps/plan-revoke.ts';
import { removePolicy } from './steps/remove-policy.ts';
import { recreatePodsWithoutGroup } from './steps/recreate-pods-without-group.ts';
import { removeDnsRules } from './steps/remove-dns-rules.ts';
import { removePodGroup } from './steps/remove-pod-group.ts';

export type RevokeStep = (context: RevokeContext) => Promise<StepResult>;

export function createRevokeSteps(ports: StepPorts): Record<RevokeStepName, RevokeStep> {
  return {
    planning: (c) => planRevoke(c, ports),
    removePolicy: (c) => removePolicy(c, ports),
    recreatePods: (c) => recreatePodsWithoutGroup(c, ports),
    removeDnsRules: (c) => removeDnsRules(c, ports),
    removePodGroup: (c) => removePodGroup(c, ports),
  };
}
