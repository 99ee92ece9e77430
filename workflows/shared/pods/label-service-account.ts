/**
 * A service-account target's one Kubernetes write besides the policy: the selector label on the
 * account (see target-pods.ts for why), and taking it off again. Both check before they patch.
 */
import type { StepPorts } from '../step-ports.ts';
import { stepError } from '../step-error.ts';
import { words } from '../../../src/domain/words.ts';
import { labelledByKey, serviceAccountLabelKey } from './target-pods.ts';

/** Labels the account unless it already carries the label; true when this request labelled it. */
export async function labelServiceAccount(
  ports: StepPorts,
  input: { namespace: string; serviceAccount: string; requestId: string },
): Promise<boolean> {
  const { namespace, serviceAccount, requestId } = input;
  const account = await ports.cluster.getServiceAccount(namespace, serviceAccount);
  if (!account) {
    throw stepError(
      'PRECONDITION_FAILED',
      words(
        `ServiceAccount ${serviceAccount} no longer exists in namespace ${namespace}.`,
        `命名空间 ${namespace} 中的服务账号 ${serviceAccount} 已不存在。`,
      ),
      {
        hint: words(
          `Create it again (kubectl create serviceaccount ${serviceAccount} -n ${namespace}), then \`retry ${requestId}\`.`,
          `请重新创建它（kubectl create serviceaccount ${serviceAccount} -n ${namespace}），然后回复 \`重试 ${requestId}\`。`,
        ),
      },
    );
  }
  if (account.labels[serviceAccountLabelKey] === serviceAccount)
    return account.labels[labelledByKey] === requestId;
  await ports.cluster.patchServiceAccountLabels(namespace, serviceAccount, {
    [serviceAccountLabelKey]: serviceAccount,
    [labelledByKey]: requestId,
  });
  return true;
}

/**
 * Takes sgops' labels off the account when they are there — and, with `onlyIf`, only when that
 * request put them there. True when the account no longer carries the selector label.
 */
export async function unlabelServiceAccount(
  ports: StepPorts,
  input: { namespace: string; serviceAccount: string; onlyIf?: string },
): Promise<boolean> {
  const { namespace, serviceAccount, onlyIf } = input;
  const account = await ports.cluster.getServiceAccount(namespace, serviceAccount);
  if (!account) return true;
  const labelled = serviceAccountLabelKey in account.labels || labelledByKey in account.labels;
  if (!labelled) return true;
  if (onlyIf !== undefined && account.labels[labelledByKey] !== onlyIf) return false;
  await ports.cluster.patchServiceAccountLabels(namespace, serviceAccount, {
    [serviceAccountLabelKey]: null,
    [labelledByKey]: null,
  });
  return true;
}
