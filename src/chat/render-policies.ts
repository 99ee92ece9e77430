/** Renders the answer to `status policies`: one line per SecurityGroupPolicy, bounded. */
import { formatLabelSelector } from '../domain/label-selector.ts';
import type { PodInfo, SecurityGroupPolicyInfo, ServiceAccountInfo } from '../ports/cluster.ts';
import { isManagedPolicy, requestLabel } from '../../workflows/shared/policy-labels.ts';
import { podsSelectedBy } from './policy-pods.ts';
import type { replyTexts } from './reply-texts.ts';

type Texts = (typeof replyTexts)[keyof typeof replyTexts];

/** Longer answers end with "…and N more": a chat message is no place for hundreds of lines. */
export const policiesShownAtMost = 20;

/** The sgops request named on a policy sgops manages; null otherwise. */
export const requestOf = (policy: SecurityGroupPolicyInfo): string | null =>
  isManagedPolicy(policy.labels) ? (policy.labels?.[requestLabel] ?? null) : null;

/** By namespace, then name; the first `policiesShownAtMost` are the ones the answer describes. */
export function policiesToShow(policies: readonly SecurityGroupPolicyInfo[]): SecurityGroupPolicyInfo[] {
  return [...policies]
    .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name))
    .slice(0, policiesShownAtMost);
}

export interface PoliciesView {
  /** The namespace asked about; undefined for every namespace the person may see. */
  namespace: string | undefined;
  /** How many policies there are in all (the shown ones are among them). */
  total: number;
  shown: readonly SecurityGroupPolicyInfo[];
  /** Every pod of the shown policies' namespaces, and their service accounts. */
  pods: readonly PodInfo[];
  accounts: readonly ServiceAccountInfo[];
  superNodes: ReadonlySet<string>;
  /** The state of each request the store knows, by id. */
  requestStates: ReadonlyMap<string, string>;
}

export function renderPolicies(view: PoliciesView, t: Texts): string {
  const scope = t.policiesScope({ namespace: view.namespace ?? '' });
  if (view.total === 0) return t.noPolicies({ scope });
  const lines = view.shown.map((policy) => {
    const selected = podsSelectedBy(policy, view.pods, view.accounts);
    const onSuper = selected.filter((p) => p.nodeName !== null && view.superNodes.has(p.nodeName));
    const carrying = onSuper.filter((p) => policy.groupIds.every((g) => p.securityGroupIds.includes(g)));
    return t.policyLine({
      policy: policy.name,
      namespace: policy.namespace,
      selector: selectorOf(policy, t),
      groups: policy.groupIds.join(',') || '-',
      origin: originOf(policy, view.requestStates, t),
      onSuper: onSuper.length,
      carrying: carrying.length,
      elsewhere: selected.length - onSuper.length,
    });
  });
  const more = view.total - view.shown.length;
  if (more > 0) lines.push(t.andMore({ count: more }));
  return t.policiesList({ scope, count: view.total, lines: lines.join('\n') });
}

function selectorOf(policy: SecurityGroupPolicyInfo, t: Texts): string {
  const parts: string[] = [];
  if (policy.podSelector !== undefined)
    parts.push(t.selectsPods({ selector: formatLabelSelector(policy.podSelector) }));
  if (policy.serviceAccountSelector !== undefined)
    parts.push(t.selectsAccounts({ selector: formatLabelSelector(policy.serviceAccountSelector) }));
  return parts.join(' + ') || t.selectsNothing();
}

function originOf(
  policy: SecurityGroupPolicyInfo,
  requestStates: ReadonlyMap<string, string>,
  t: Texts,
): string {
  if (!isManagedPolicy(policy.labels)) return t.notManagedBySgops();
  const id = requestOf(policy) ?? '';
  return t.managedBySgops({ id, state: requestStates.get(id) ?? '' });
}
