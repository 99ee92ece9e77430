/** `applyPolicy` (seed 2–3): ensure the namespace, then create or update the SecurityGroupPolicy `sgops-<app>`. */
import type { StepResult } from '../../../src/engine/workflow-definition.ts';
import type { SecurityGroupPolicyInfo } from '../../../src/ports/cluster.ts';
import type { GrantContext } from '../types.ts';
import type { StepPorts } from '../step-ports.ts';
import { requireOutput } from './require-output.ts';

export const managedByLabel = { 'app.kubernetes.io/managed-by': 'sgops' };

export async function applyPolicy(
  context: GrantContext,
  ports: StepPorts,
): Promise<StepResult<{ policyName: string; created: boolean; updated: boolean; appliedAt: string }>> {
  const { spec } = context;
  const { podGroupId } = requireOutput(context, 'ensurePodSecurityGroup');
  const k8s = ports.cluster;
  if (!(await k8s.getNamespace(spec.namespace))) await k8s.createNamespace(spec.namespace);

  const desired: SecurityGroupPolicyInfo = {
    name: spec.policyName,
    namespace: spec.namespace,
    labels: { ...managedByLabel, 'sgops/request': spec.requestId },
    podSelector: { matchLabels: spec.podSelector },
    groupIds: [podGroupId],
  };
  const existing = await k8s.getSecurityGroupPolicy(spec.namespace, spec.policyName);
  const now = ports.clock.now().toISOString();
  if (!existing) {
    const created = await k8s.createSecurityGroupPolicy(desired);
    return {
      status: 'done',
      output: {
        policyName: spec.policyName,
        created: true,
        updated: false,
        appliedAt: created.createdAt ?? now,
      },
    };
  }
  const same =
    JSON.stringify(existing.podSelector ?? null) === JSON.stringify(desired.podSelector) &&
    existing.serviceAccountSelector === undefined &&
    JSON.stringify(existing.groupIds) === JSON.stringify(desired.groupIds);
  if (same) {
    const createdHere = existing.labels?.['sgops/request'] === spec.requestId;
    return {
      status: 'done',
      output: {
        policyName: spec.policyName,
        created: createdHere,
        updated: false,
        appliedAt: existing.createdAt ?? now,
      },
    };
  }
  // A 409 from a concurrent writer is K8S_CONFLICT (retryable): the step re-reads and tries again.
  await k8s.replaceSecurityGroupPolicy({ ...desired, resourceVersion: existing.resourceVersion });
  return {
    status: 'done',
    output: { policyName: spec.policyName, created: false, updated: true, appliedAt: now },
  };
}
