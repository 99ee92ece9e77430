/**
 * What a grant's approval made and must stay in place, read from its recorded spec and step
 * outputs — pure, so the drift watch, a repair's plan and the tests all agree on it.
 *
 * The rules are the ones the grant NEEDS in each group, built by the very builders its steps use
 * (dnsRules, kubeletRule, selfRule, the spec's own rules), not only the ones it added: a rule an
 * earlier grant had put there, which this one found in place, is just as much part of what was
 * approved. Each rule carries what it is for, so a report can call a DNS rule a DNS rule.
 */
import type { Direction, Rule } from '../../../src/ports/cloud-network.ts';
import type { LabelSelector } from '../../../src/ports/cluster.ts';
import type { TargetSpec } from '../target-spec.ts';
import { policyGroupIds } from '../groups/find-pod-group.ts';
import { dnsRules } from '../rules/dns-rules.ts';
import { kubeletRule } from '../rules/kubelet-rule.ts';
import { selfRule } from '../rules/self-rule.ts';
import { ruleKey } from '../rules/rules.ts';
import { policySelectorOf, serviceAccountLabelKey } from '../pods/target-pods.ts';

/** Why sgops wrote into a group: its own pod group, the cluster group, `allow … to`, `using`. */
export type GroupRole = 'pod' | 'cluster' | 'target' | 'using';

/** What an approved rule is for: how a report names it. */
export type RulePurpose = 'dns' | 'kubelet' | 'self' | 'egress' | 'asked' | 'target';

export interface ApprovedRule {
  rule: Rule;
  purpose: RulePurpose;
}

export interface ApprovedGroup {
  id: string;
  /** Usually one; a group named twice (a `using` group that is also an `allow … to` target) has both. */
  roles: GroupRole[];
  /**
   * sgops' own pod group: a rule in it that no grant of sgops wrote was added outside sgops. In a
   * shared group (cluster, target, `using`) other rules are none of sgops' business.
   */
  own: boolean;
  ingress: ApprovedRule[];
  egress: ApprovedRule[];
}

export interface ApprovedPolicy {
  namespace: string;
  name: string;
  podSelector?: LabelSelector;
  serviceAccountSelector?: LabelSelector;
  /** In order: the policy names them in this order. */
  groupIds: string[];
}

export interface ApprovedState {
  requestId: string;
  clusterGroupId: string;
  /** The groups' order is stable: pod (or `using`) groups, the cluster group, the targets. */
  groups: ApprovedGroup[];
  policy: ApprovedPolicy;
  /** A service-account target: the label on the account the policy's selector selects. */
  serviceAccountLabel: { namespace: string; serviceAccount: string; key: string; value: string } | null;
}

/** What approvedState reads of a grant: GrantContext has all of it (workflows/grant/types.ts). */
export interface ApprovalRecord {
  spec: Pick<TargetSpec, 'requestId' | 'namespace' | 'target' | 'podSelector' | 'groups' | 'policyName'> & {
    egress: Rule[];
    extraIngress?: Rule[];
    targetGroups?: { securityGroupId: string; rules: Omit<Rule, 'peer'>[] }[];
  };
  outputs: {
    planning?: { clusterGroupId: string };
    ensurePodSecurityGroup?: { podGroupId: string; groupIds?: string[] };
    applyPolicy?: { policyName: string };
  };
}

/** Null until the grant applied its policy: before that, nothing approved is in force to drift. */
export function approvedState(record: ApprovalRecord): ApprovedState | null {
  const { spec, outputs } = record;
  const { planning, ensurePodSecurityGroup: made, applyPolicy: applied } = outputs;
  if (!planning || !made || !applied) return null;
  const id = spec.requestId;
  const { clusterGroupId } = planning;
  const groupIds = policyGroupIds(made);
  const using = spec.groups?.kind === 'existing';
  const first = groupIds[0]!;
  const groups = new GroupList();

  const asked = (rules: Rule[] | undefined, purpose: RulePurpose) =>
    (rules ?? []).map((rule) => ({ rule, purpose }));
  if (using) {
    // As ensurePodGroupRules: the kubelet checks into each named group, the asked rules into the first.
    for (const groupId of groupIds) {
      const isFirst = groupId === first;
      groups.add(groupId, 'using', {
        ingress: [
          { rule: kubeletRule(clusterGroupId, id), purpose: 'kubelet' },
          ...(isFirst ? asked(spec.extraIngress, 'asked') : []),
        ],
        egress: isFirst ? asked(spec.egress, 'egress') : [],
      });
    }
  } else {
    groups.add(first, 'pod', {
      ingress: [
        { rule: selfRule(first, id), purpose: 'self' },
        { rule: kubeletRule(clusterGroupId, id), purpose: 'kubelet' },
        ...asked(spec.extraIngress, 'asked'),
      ],
      egress: asked(spec.egress, 'egress'),
    });
  }
  groups.add(clusterGroupId, 'cluster', {
    ingress: groupIds.flatMap((g) => asked(dnsRules(g, id), 'dns')),
    egress: [],
  });
  for (const target of spec.targetGroups ?? []) {
    // `allow … to sg-x`: sg-x admits the pods' (first) group, as admitInTargets writes it.
    const rules: Rule[] = target.rules.map((r) => ({ ...r, peer: { securityGroupId: first } }));
    groups.add(target.securityGroupId, 'target', { ingress: asked(rules, 'target'), egress: [] });
  }

  return {
    requestId: id,
    clusterGroupId,
    groups: groups.list(),
    policy: {
      namespace: spec.namespace,
      name: applied.policyName,
      ...policySelectorOf(spec),
      groupIds,
    },
    serviceAccountLabel:
      spec.target.kind === 'serviceAccount'
        ? {
            namespace: spec.namespace,
            serviceAccount: spec.target.serviceAccount,
            key: serviceAccountLabelKey,
            value: spec.target.serviceAccount,
          }
        : null,
  };
}

/** Groups by id, in the order first named; a group named again gets the new role and rules (once each). */
class GroupList {
  readonly #groups = new Map<string, ApprovedGroup>();

  add(id: string, role: GroupRole, rules: Record<Direction, ApprovedRule[]>): void {
    const group = this.#groups.get(id) ?? { id, roles: [], own: false, ingress: [], egress: [] };
    if (!group.roles.includes(role)) group.roles.push(role);
    group.own = group.roles.includes('pod');
    for (const direction of ['ingress', 'egress'] as const) {
      for (const approved of rules[direction]) {
        const key = ruleKey(approved.rule);
        if (!group[direction].some((a) => ruleKey(a.rule) === key)) group[direction].push(approved);
      }
    }
    this.#groups.set(id, group);
  }

  list(): ApprovedGroup[] {
    return [...this.#groups.values()];
  }
}
