/**
 * `removePolicy`: delete the target's SecurityGroupPolicy, only when it exists and sgops manages
 * it; for a service account, then take sgops' selector label off the account (nothing else selects
 * by it once the policy is gone).
 */
import { isAppError } from '../../../src/errors.ts';
import { words } from '../../../src/domain/words.ts';
import type { StepResult } from '../../../src/ports/step-result.ts';
import type { StepPorts } from '../../shared/step-ports.ts';
import { unlabelServiceAccount } from '../../shared/pods/label-service-account.ts';
import type { RevokeContext, RevokeStepOutputs } from '../types.ts';
import { isManagedPolicy } from '../../shared/policy-labels.ts';
import { requireOutput } from '../../shared/require-output.ts';

export async function removePolicy(
  context: RevokeContext,
  ports: StepPorts,
): Promise<StepResult<NonNullable<RevokeStepOutputs['removePolicy']>>> {
  const { spec } = context;
  const plan = requireOutput(context, 'planning');
  const policyName = spec.policyName;
  // Re-read: the plan may be old, and a re-run after a crash finds the policy already gone.
  const policy = await ports.cluster.getSecurityGroupPolicy(spec.namespace, policyName);
  if (policy && !isManagedPolicy(policy.labels)) {
    return {
      status: 'done',
      output: {
        policyName,
        deleted: false,
        kept: words(
          `SecurityGroupPolicy ${spec.namespace}/${policyName} is not managed by sgops`,
          `SecurityGroupPolicy ${spec.namespace}/${policyName} 不由 sgops 管理`,
        ),
      },
    };
  }
  if (policy) {
    try {
      await ports.cluster.deleteSecurityGroupPolicy(spec.namespace, policyName);
    } catch (error) {
      if (!(isAppError(error) && error.code === 'K8S_NOT_FOUND')) throw error;
    }
  }
  const unlabelled =
    spec.target.kind === 'serviceAccount'
      ? {
          serviceAccountUnlabelled: await unlabelServiceAccount(ports, {
            namespace: spec.namespace,
            serviceAccount: spec.target.serviceAccount,
          }),
        }
      : {};
  return {
    status: 'done',
    output: { policyName, deleted: policy ? true : plan.policy.exists, kept: null, ...unlabelled },
  };
}
