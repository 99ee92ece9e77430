import { parseDuration } from '../domain/parse-duration.ts';
import { expandPrincipals, parsePolicyConfig } from './policy-config.ts';
import type { Person, PolicyConfigInput, PolicyRule } from './policy-config.ts';

export type Platform = 'slack' | 'wecom' | 'console';

export type DenialReason = 'unknown_person' | 'not_a_requester' | 'not_an_approver' | 'self_approval';
export type Decision = { allowed: true } | { allowed: false; reason: DenialReason };

export interface ApprovalSubject {
  /** The requester's person id. */
  requester: string;
  clusterId: string;
  namespace: string;
}

export interface Policy {
  person(id: string): Person | null;
  /** Console platform ids are the person ids themselves. */
  personByPlatformId(platform: Platform, platformId: string): Person | null;
  canRequest(personId: string, clusterId: string, namespace: string): Decision;
  canApprove(personId: string, subject: ApprovalSubject): Decision;
  /** Every person id that may approve there (the requester included, if listed). */
  approversFor(clusterId: string, namespace: string): string[];
  /** Distinct approvals needed there; 1 when no rule matches (nobody can approve then anyway). */
  quorumFor(clusterId: string, namespace: string): number;
  /** The deciding rule and its 0-based position, for audit and explanations. */
  ruleFor(clusterId: string, namespace: string): { index: number; rule: PolicyRule } | null;
  /**
   * The longest grant allowed there, in ms (the deciding rule's `maxDuration`), or null when
   * that rule sets none or no rule matches. Where it is set, every grant should be time-bound:
   * the caller refuses a `for` above it and a grant without `for` (or gives it this maximum).
   */
  maxDurationFor(clusterId: string, namespace: string): number | null;
  /**
   * True when the deciding rule approves this requester's requests there without a human
   * (`autoApprove: { when: always }`, and the requester listed in its `requesters`, if given).
   * Never true for someone who may not request there, or for an unknown person.
   */
  autoApproves(clusterId: string, namespace: string, requester: string): boolean;
}

const allowed: Decision = { allowed: true };
const deny = (reason: DenialReason): Decision => ({ allowed: false, reason });

/**
 * The access policy over a validated config (throws AppError CONFIG_INVALID otherwise).
 * The first rule (top to bottom) matching both cluster and namespace decides; later rules are
 * not consulted even when they would allow. Requesters never approve their own request unless
 * that rule sets requesterMayApprove.
 */
export function createPolicy(input: PolicyConfigInput): Policy {
  const config = parsePolicyConfig(input);
  const byId = new Map(config.people.map((p) => [p.id, p]));
  const bySlack = new Map(
    config.people.flatMap((p) => (p.slack === undefined ? [] : [[p.slack, p] as const])),
  );
  const byWecom = new Map(
    config.people.flatMap((p) => (p.wecom === undefined ? [] : [[p.wecom.toLowerCase(), p] as const])),
  );
  // Expanded once: the config does not change during the policy's life.
  const rules = config.rules.map((rule, index) => ({
    index,
    rule,
    requesters: new Set(expandPrincipals(rule.requesters, config)),
    approvers: expandPrincipals(rule.approvers, config),
    maxDurationMs: rule.maxDuration === undefined ? null : parseDuration(rule.maxDuration),
    autoApproved:
      rule.autoApprove?.when !== 'always'
        ? new Set<string>()
        : new Set(expandPrincipals(rule.autoApprove.requesters ?? rule.requesters, config)),
  }));

  const match = (clusterId: string, namespace: string): (typeof rules)[number] | undefined =>
    rules.find(
      ({ rule }) =>
        (rule.clusters.includes('*') || rule.clusters.includes(clusterId)) &&
        (rule.namespaces.includes('*') || rule.namespaces.includes(namespace)),
    );

  return {
    person: (id) => byId.get(id) ?? null,
    personByPlatformId(platform, platformId) {
      if (platform === 'slack') return bySlack.get(platformId) ?? null;
      if (platform === 'wecom') return byWecom.get(platformId.toLowerCase()) ?? null;
      return byId.get(platformId) ?? null;
    },
    canRequest(personId, clusterId, namespace) {
      if (!byId.has(personId)) return deny('unknown_person');
      const found = match(clusterId, namespace);
      return found !== undefined && found.requesters.has(personId) ? allowed : deny('not_a_requester');
    },
    canApprove(personId, subject) {
      if (!byId.has(personId)) return deny('unknown_person');
      const found = match(subject.clusterId, subject.namespace);
      if (found === undefined) return deny('not_an_approver');
      if (personId === subject.requester && !found.rule.requesterMayApprove) return deny('self_approval');
      return found.approvers.includes(personId) ? allowed : deny('not_an_approver');
    },
    approversFor: (clusterId, namespace) => [...(match(clusterId, namespace)?.approvers ?? [])],
    quorumFor: (clusterId, namespace) => match(clusterId, namespace)?.rule.quorum ?? 1,
    ruleFor(clusterId, namespace) {
      const found = match(clusterId, namespace);
      return found === undefined ? null : { index: found.index, rule: found.rule };
    },
    maxDurationFor: (clusterId, namespace) => match(clusterId, namespace)?.maxDurationMs ?? null,
    autoApproves(clusterId, namespace, requester) {
      if (!byId.has(requester)) return false;
      const found = match(clusterId, namespace);
      return found !== undefined && found.requesters.has(requester) && found.autoApproved.has(requester);
    },
  };
}
