/** Rule arithmetic grant and revoke share: what counts as the same rule, what is missing, where ACCEPTs go. */
import type { IndexedRule, Rule } from '../../../src/ports/cloud-network.ts';

const peerKey = (rule: Rule) =>
  'cidr' in rule.peer ? `cidr:${rule.peer.cidr}` : `sg:${rule.peer.securityGroupId}`;
const portKey = (rule: Rule) =>
  rule.protocol === 'ALL' ? 'ALL' : rule.port.toUpperCase().replace(/\s+/g, '');

/**
 * A rule's identity as one string: equal exactly when sameRule says so, so a rule can key a map or
 * a report (the drift watch's items).
 */
export const ruleKey = (rule: Rule): string =>
  `${rule.protocol.toUpperCase()} ${portKey(rule)} ${peerKey(rule)} ${rule.action.toUpperCase()}`;

/** Direction is implied by the list; description is ignored (the cloud treats it as a label). */
export function sameRule(a: Rule, b: Rule): boolean {
  return ruleKey(a) === ruleKey(b);
}

export function missingRules(existing: Rule[], wanted: Rule[]): Rule[] {
  return wanted.filter(
    (w, i) => !existing.some((e) => sameRule(e, w)) && wanted.findIndex((x) => sameRule(x, w)) === i,
  );
}

/**
 * Where new ACCEPT rules go: before the first DROP (rules are first-match), else appended.
 * Returns undefined for "append", which the API expresses by omitting PolicyIndex.
 */
export function acceptInsertionIndex(existing: IndexedRule[]): number | undefined {
  const drops = existing.filter((r) => r.action.toUpperCase() === 'DROP').map((r) => r.index);
  return drops.length === 0 ? undefined : Math.min(...drops);
}

export const fromGroup = (
  securityGroupId: string,
  protocol: Rule['protocol'],
  port: string,
  description: string,
): Rule => ({
  protocol,
  port,
  peer: { securityGroupId },
  action: 'ACCEPT',
  description,
});

/** The peer's security group id, or null for a CIDR peer. */
export const peerGroupOf = (rule: Rule): string | null =>
  'securityGroupId' in rule.peer ? rule.peer.securityGroupId : null;
