/**
 * `applyPolicy` (seed 2–3): ensure the namespace (and, for a service account, sgops' selector label
 * on it), then create or update the SecurityGroupPolicy naming the pods' groups.
 */
import type { StepResult } from '../../../src/ports/step-result.ts';
import type { SecurityGroupPolicyInfo } from '../../../src/ports/cluster.ts';
import type { GrantContext, StepOutputs } from '../types.ts';
import type { StepPorts } from '../../shared/step-ports.ts';
import { managedByLabel, requestLabel } from '../../shared/policy-labels.ts';
import { policyGroupIds } from '../../shared/groups/find-pod-group.ts';
import { labelServiceAccount } from '../../shared/pods/label-service-account.ts';
import { requireOutput } from '../../shared/require-output.ts';
import { policySelectorOf } from '../../shared/pods/target-pods.ts';

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

export async function applyPolicy(
  context: GrantContext,
  ports: StepPorts,
): Promise<StepResult<NonNullable<StepOutputs['applyPolicy']>>> {
  const { spec } = context;
  const groupIds = policyGroupIds(requireOutput(context, 'ensurePodSecurityGroup'));
  const k8s = ports.cluster;
  if (!(await k8s.getNamespace(spec.namespace))) await k8s.createNamespace(spec.namespace);
  const labelled =
    spec.target.kind === 'serviceAccount'
      ? {
          serviceAccountLabelled: await labelServiceAccount(ports, {
            namespace: spec.namespace,
            serviceAccount: spec.target.serviceAccount,
            requestId: spec.requestId,
          }),
        }
      : {};

  const desired: SecurityGroupPolicyInfo = {
    name: spec.policyName,
    namespace: spec.namespace,
    labels: { ...managedByLabel, [requestLabel]: spec.requestId },
    ...policySelectorOf(spec),
    groupIds,
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
        ...labelled,
      },
    };
  }
  const same =
    sameJson(existing.podSelector, desired.podSelector) &&
    sameJson(existing.serviceAccountSelector, desired.serviceAccountSelector) &&
    sameJson(existing.groupIds, desired.groupIds);
  if (same) {
    const createdHere = existing.labels?.[requestLabel] === spec.requestId;
    return {
      status: 'done',
      output: {
        policyName: spec.policyName,
        created: createdHere,
        updated: false,
        appliedAt: existing.createdAt ?? now,
        ...labelled,
      },
    };
  }
  // A 409 from a concurrent writer is K8S_CONFLICT (retryable): the step re-reads and tries again.
  await k8s.replaceSecurityGroupPolicy({ ...desired, resourceVersion: existing.resourceVersion });
  return {
    status: 'done',
    output: { policyName: spec.policyName, created: false, updated: true, appliedAt: now, ...labelled },
  };
}
