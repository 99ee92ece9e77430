/**
 * Drift: how the world differs from what a grant's approval made. Pure: the watch reads the world
 * (see README.md here for the cheapest reads), this says what differs, restorePlan what a repair
 * writes back.
 *
 * Judged, and not: an approved rule is missing wherever sgops wrote it; a rule nobody approved is
 * reported only in sgops' own pod group, and there only when no grant of sgops wrote it (another
 * grant of the same app, or of an `as group` group, signs its rules with its own request id). In
 * the cluster group, a target group or a `using` group, other rules are their owners' business.
 * A group left out of the observation was not read this time and is not judged.
 */
import type { Direction } from '../../../src/ports/cloud-network.ts';
import type { LabelSelector, SecurityGroupPolicyInfo } from '../../../src/ports/cluster.ts';
import { isSgopsRule } from '../rules/rule-label.ts';
import { ruleKey } from '../rules/rules.ts';
import type { ApprovedGroup, ApprovedState } from './approved-state.ts';
import type { DriftItem, ObservedGroup, ObservedPod, ObservedState, RuleAdded } from './drift-item.ts';
import {
  groupMissingSaid,
  groupWords,
  labelMissingSaid,
  policyChangedSaid,
  policyMissingSaid,
  podReason,
  podWithoutGroupSaid,
  ruleAddedSaid,
  ruleMissingSaid,
} from './drift-words.ts';

export { driftFingerprint } from './drift-fingerprint.ts';
export { restorePlan } from './restore-plan.ts';

const directions: readonly Direction[] = ['ingress', 'egress'];

export function findDrift(approved: ApprovedState, observed: ObservedState): DriftItem[] {
  const items: DriftItem[] = [];
  for (const group of approved.groups) {
    if (!Object.hasOwn(observed.groups, group.id)) continue;
    const seen = observed.groups[group.id] ?? null;
    if (seen === null) {
      items.push({
        kind: 'groupMissing',
        key: `groupMissing ${group.id}`,
        groupId: group.id,
        roles: group.roles,
        said: groupMissingSaid(group.id, group.roles),
      });
      continue;
    }
    items.push(...missingIn(group, seen));
    if (group.own) items.push(...addedIn(group, seen, approved.requestId));
  }
  items.push(...policyDrift(approved, observed.policy));
  items.push(...labelDrift(approved, observed.serviceAccountLabels));
  items.push(...podDrift(approved, observed.pods));
  return items;
}

function missingIn(group: ApprovedGroup, seen: ObservedGroup): DriftItem[] {
  const name = groupWords(group.id, group.roles);
  return directions.flatMap((direction) => {
    const there = new Set(seen[direction].map(ruleKey));
    return group[direction]
      .filter(({ rule }) => !there.has(ruleKey(rule)))
      .map(({ rule, purpose }) => ({
        kind: 'ruleMissing' as const,
        key: `ruleMissing ${group.id} ${direction} ${ruleKey(rule)}`,
        groupId: group.id,
        direction,
        rule,
        purpose,
        said: ruleMissingSaid(name, rule, direction, purpose),
      }));
  });
}

/** Rules in sgops' own group that no approval of this grant covers and no other sgops grant wrote. */
function addedIn(group: ApprovedGroup, seen: ObservedGroup, requestId: string): RuleAdded[] {
  const name = groupWords(group.id, group.roles);
  const added: RuleAdded[] = [];
  for (const direction of directions) {
    const approvedKeys = new Set(group[direction].map((a) => ruleKey(a.rule)));
    for (const { index: _index, ...rule } of seen[direction]) {
      const key = `ruleAdded ${group.id} ${direction} ${ruleKey(rule)}`;
      if (approvedKeys.has(ruleKey(rule)) || added.some((a) => a.key === key)) continue;
      if (isSgopsRule(rule) && !isSgopsRule(rule, requestId)) continue;
      added.push({
        kind: 'ruleAdded',
        key,
        groupId: group.id,
        direction,
        rule,
        said: ruleAddedSaid(name, rule, direction),
      });
    }
  }
  return added;
}

function policyDrift(approved: ApprovedState, found: SecurityGroupPolicyInfo | null): DriftItem[] {
  const { namespace, name } = approved.policy;
  const where = `${namespace}/${name}`;
  if (found === null) {
    return [
      {
        kind: 'policyMissing',
        key: `policyMissing ${where}`,
        namespace,
        name,
        said: policyMissingSaid(namespace, name),
      },
    ];
  }
  const items: DriftItem[] = [];
  const compare = (what: 'selector' | 'groups', expected: string, actual: string) => {
    if (expected === actual) return;
    items.push({
      kind: 'policyChanged',
      key: `policyChanged ${where} ${what} ${actual}`,
      namespace,
      name,
      what,
      expected,
      found: actual,
      said: policyChangedSaid(name, what, expected, actual),
    });
  };
  compare('selector', selectorText(approved.policy), selectorText(found));
  compare('groups', approved.policy.groupIds.join(', '), found.groupIds.join(', '));
  return items;
}

/** `podSelector app=api`: both selectors, keys sorted, so equal selectors read the same. */
function selectorText(policy: Pick<SecurityGroupPolicyInfo, 'podSelector' | 'serviceAccountSelector'>) {
  const one = (kind: string, selector: LabelSelector | undefined) => {
    if (selector === undefined) return [];
    const labels = Object.entries(selector.matchLabels ?? {})
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `${k}=${v}`);
    const expressions = (selector.matchExpressions ?? []).map((e) => JSON.stringify(e)).sort();
    return [`${kind} ${[...labels, ...expressions].join(',')}`];
  };
  return [
    ...one('podSelector', policy.podSelector),
    ...one('serviceAccountSelector', policy.serviceAccountSelector),
  ].join('; ');
}

function labelDrift(approved: ApprovedState, labels: ObservedState['serviceAccountLabels']): DriftItem[] {
  const wanted = approved.serviceAccountLabel;
  if (wanted === null || labels === undefined) return [];
  if (labels !== null && labels[wanted.key] === wanted.value) return [];
  const label = `${wanted.key}=${wanted.value}`;
  const accountGone = labels === null;
  return [
    {
      kind: 'labelMissing',
      key: `labelMissing ${wanted.namespace}/${wanted.serviceAccount}`,
      namespace: wanted.namespace,
      serviceAccount: wanted.serviceAccount,
      label,
      accountGone,
      said: labelMissingSaid(wanted.namespace, wanted.serviceAccount, label, accountGone),
    },
  ];
}

function podDrift(approved: ApprovedState, pods: readonly ObservedPod[]): DriftItem[] {
  const groupIds = approved.policy.groupIds;
  return [...pods]
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((pod) => {
      const missing = groupIds.filter((id) => !pod.securityGroupIds.includes(id));
      if (missing.length === 0) return [];
      const reason = podReason(pod);
      return [
        {
          kind: 'podWithoutGroup' as const,
          key: `podWithoutGroup ${pod.name} ${missing.join(',')}`,
          pod: pod.name,
          node: pod.nodeName,
          superNode: pod.superNode,
          ready: pod.ready,
          missingGroupIds: missing,
          reason,
          said: podWithoutGroupSaid(pod.name, pod.nodeName, missing, reason),
        },
      ];
    });
}
