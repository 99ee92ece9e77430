/**
 * `reapplyPolicy`: puts the grant's SecurityGroupPolicy back as approved (created when gone,
 * replaced when its selector or groups changed) and the service account's selector label, when the
 * plan found them drifted. Re-reads each before it writes, so a re-run writes nothing new.
 */
import type { SecurityGroupPolicyInfo } from '../../../src/ports/cluster.ts';
import type { StepResult } from '../../../src/ports/step-result.ts';
import { managedByLabel, requestLabel } from '../../shared/policy-labels.ts';
import { labelServiceAccount } from '../../shared/pods/label-service-account.ts';
import { requireOutput } from '../../shared/require-output.ts';
import type { StepPorts } from '../../shared/step-ports.ts';
import type { RepairContext, RepairStepOutputs } from '../types.ts';
import { approvedStateOf } from './plan-repair.ts';

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

export async function reapplyPolicy(
  context: RepairContext,
  ports: StepPorts,
): Promise<StepResult<NonNullable<RepairStepOutputs['reapplyPolicy']>>> {
  const { restore } = requireOutput(context, 'planning');
  const approved = approvedStateOf(context);
  const grantId = context.spec.grantRequestId;
  const label = approved.serviceAccountLabel;
  const labelled =
    restore.labelServiceAccount && label
      ? await labelServiceAccount(ports, {
          namespace: label.namespace,
          serviceAccount: label.serviceAccount,
          requestId: grantId,
        })
      : false;
  if (!restore.applyPolicy) return { status: 'done', output: { policy: 'notPlanned', labelled } };

  const { namespace, name, groupIds, podSelector, serviceAccountSelector } = approved.policy;
  const desired: SecurityGroupPolicyInfo = {
    name,
    namespace,
    // Still the grant's policy: its revoke finds and removes it as before.
    labels: { ...managedByLabel, [requestLabel]: grantId },
    ...(podSelector ? { podSelector } : {}),
    ...(serviceAccountSelector ? { serviceAccountSelector } : {}),
    groupIds,
  };
  const k8s = ports.cluster;
  if (!(await k8s.getNamespace(namespace))) await k8s.createNamespace(namespace);
  const existing = await k8s.getSecurityGroupPolicy(namespace, name);
  if (!existing) {
    await k8s.createSecurityGroupPolicy(desired);
    return { status: 'done', output: { policy: 'created', labelled } };
  }
  const same =
    sameJson(existing.podSelector, desired.podSelector) &&
    sameJson(existing.serviceAccountSelector, desired.serviceAccountSelector) &&
    sameJson(existing.groupIds, desired.groupIds);
  if (same) return { status: 'done', output: { policy: 'inPlace', labelled } };
  // A 409 from a concurrent writer is K8S_CONFLICT (retryable): the step re-reads and tries again.
  await k8s.replaceSecurityGroupPolicy({ ...desired, resourceVersion: existing.resourceVersion });
  return { status: 'done', output: { policy: 'replaced', labelled } };
}
