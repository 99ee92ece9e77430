/**
 * What the drift watch observed, and each way it can differ from what was approved. Every item
 * has a `key` that names the drift itself, not when or how it was seen: found again next sweep it
 * has the same key, so a set of items has a stable fingerprint and is told once per change.
 */
import type { Words } from '../../../src/domain/words.ts';
import type { Direction, IndexedRule, Rule } from '../../../src/ports/cloud-network.ts';
import type { SecurityGroupPolicyInfo } from '../../../src/ports/cluster.ts';
import type { GroupRole, RulePurpose } from './approved-state.ts';

export interface ObservedGroup {
  /** The rule set's Version as DescribeSecurityGroupPolicies returned it. */
  version: string;
  ingress: IndexedRule[];
  egress: IndexedRule[];
}

export interface ObservedPod {
  name: string;
  nodeName: string | null;
  superNode: boolean;
  securityGroupIds: string[];
  ready: boolean;
  /** What the cluster said about the pod (Warning events' text), oldest first. */
  events?: string[];
}

export interface ObservedState {
  /**
   * By group id: its rules, or null when the group no longer exists. A group left out was not
   * read this time (its Version had not moved) and is not judged.
   */
  groups: Record<string, ObservedGroup | null>;
  /** The grant's SecurityGroupPolicy as the cluster has it; null when there is none. */
  policy: SecurityGroupPolicyInfo | null;
  /** A service-account target: the account's labels, null when the account is gone; absent: not read. */
  serviceAccountLabels?: Record<string, string> | null;
  /** The running pods the grant's target selects. */
  pods: ObservedPod[];
}

interface Said {
  key: string;
  /** What is wrong, in one sentence per language. */
  said: Words;
}

export interface GroupMissing extends Said {
  kind: 'groupMissing';
  groupId: string;
  roles: GroupRole[];
}

export interface RuleMissing extends Said {
  kind: 'ruleMissing';
  groupId: string;
  direction: Direction;
  /** The approved rule, as the grant wrote it (sgops' description): what a repair writes back. */
  rule: Rule;
  purpose: RulePurpose;
}

/** In sgops' own pod group, a rule no grant of sgops wrote: reported for a person, never removed. */
export interface RuleAdded extends Said {
  kind: 'ruleAdded';
  groupId: string;
  direction: Direction;
  rule: Rule;
}

export interface PolicyMissing extends Said {
  kind: 'policyMissing';
  namespace: string;
  name: string;
}

export interface PolicyChanged extends Said {
  kind: 'policyChanged';
  namespace: string;
  name: string;
  what: 'selector' | 'groups';
  /** As people read them: `podSelector app=api`, `sg-1, sg-2`. */
  expected: string;
  found: string;
}

export interface LabelMissing extends Said {
  kind: 'labelMissing';
  namespace: string;
  serviceAccount: string;
  /** `key=value`, the label the policy's serviceAccountSelector selects. */
  label: string;
  accountGone: boolean;
}

export interface PodWithoutGroup extends Said {
  kind: 'podWithoutGroup';
  pod: string;
  node: string | null;
  superNode: boolean;
  ready: boolean;
  missingGroupIds: string[];
  /** The cluster's event text when it gave one, else what sgops can tell (normal node, created before the policy). */
  reason: Words;
}

export type DriftItem =
  GroupMissing | RuleMissing | RuleAdded | PolicyMissing | PolicyChanged | LabelMissing | PodWithoutGroup;

export type DriftKind = DriftItem['kind'];
