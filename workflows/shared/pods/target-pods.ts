/**
 * Whose pods a grant (or its revoke) is about. `app <name>` selects the label app=<name>.
 * `serviceaccount <sa>` selects the pods whose spec.serviceAccountName is <sa> (a field selector,
 * which the API server supports for pods); the policy cannot say that, because a
 * serviceAccountSelector is a label selector over ServiceAccounts and no label names an account.
 * So sgops labels the account `sgops/serviceaccount=<sa>` (one audited patch, with
 * `sgops/labelled-by=<request>`) and the policy selects that label: the account's name is unique in
 * its namespace, so the label picks exactly it unless someone copies the label by hand.
 */
import type { PodInfo, SecurityGroupPolicyInfo } from '../../../src/ports/cluster.ts';
import type { TargetSpec } from '../target-spec.ts';
import type { StepPorts } from '../step-ports.ts';
import { selectorString } from './workloads-of-pods.ts';
import { words } from '../../../src/domain/words.ts';
import type { Words } from '../../../src/domain/words.ts';

export const serviceAccountLabelKey = 'sgops/serviceaccount';
/** Which request put the selector label on the account: only that request's rollback takes it off. */
export const labelledByKey = 'sgops/labelled-by';

export type Targeted = Pick<TargetSpec, 'target' | 'podSelector'>;

export interface PodQuery {
  labelSelector: string;
  fieldSelector?: string;
}

export function podQueryOf(spec: Targeted): PodQuery {
  const labelSelector = selectorString(spec.podSelector);
  return spec.target.kind === 'serviceAccount'
    ? { labelSelector, fieldSelector: `spec.serviceAccountName=${spec.target.serviceAccount}` }
    : { labelSelector };
}

/** The target's pods in `namespace`: one list request. */
export function listTargetPods(
  ports: Pick<StepPorts, 'cluster'>,
  namespace: string,
  spec: Targeted,
): Promise<PodInfo[]> {
  const { labelSelector, fieldSelector } = podQueryOf(spec);
  return fieldSelector === undefined
    ? ports.cluster.listPods(namespace, labelSelector)
    : ports.cluster.listPods(namespace, labelSelector, fieldSelector);
}

/** Whether a pod listed some other way is one of the target's. */
export function isTargetPod(spec: Targeted, pod: PodInfo): boolean {
  if (spec.target.kind === 'serviceAccount' && pod.serviceAccountName !== spec.target.serviceAccount)
    return false;
  return Object.entries(spec.podSelector).every(([k, v]) => pod.labels[k] === v);
}

/** The policy's selector: the pods' labels for an app, sgops' label on the account for a service account. */
export function policySelectorOf(
  spec: Targeted,
): Pick<SecurityGroupPolicyInfo, 'podSelector' | 'serviceAccountSelector'> {
  return spec.target.kind === 'serviceAccount'
    ? { serviceAccountSelector: { matchLabels: { [serviceAccountLabelKey]: spec.target.serviceAccount } } }
    : { podSelector: { matchLabels: spec.podSelector } };
}

/** What the plan says the policy selects. */
export function selectionPhrase(spec: Targeted): Words {
  if (spec.target.kind !== 'serviceAccount') {
    const selector = selectorString(spec.podSelector);
    return words(selector, selector);
  }
  const sa = spec.target.serviceAccount;
  const selector = `serviceAccountSelector ${serviceAccountLabelKey}=${sa}`;
  return words(
    `the pods of ServiceAccount ${sa} (${selector})`,
    `以服务账号 ${sa} 运行的 Pod（${selector}）`,
  );
}
