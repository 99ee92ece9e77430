import { parseDuration } from '../domain/parse-duration.ts';
import type { GroupDirectory } from './group-directory.ts';
import type { ChatIdentity } from '../ports/chat-identity.ts';
import { platformPeople } from './platform-people.ts';
import type { Platform } from '../ports/chat-message.ts';
import { expandPrincipals, parsePolicyConfig } from './policy-config.ts';
import type { Person, PolicyConfigInput, PolicyRule } from './policy-config.ts';
import { ownerEntryMatch, ownerEntryMatches } from './owner-entry-match.ts';
import { namespaceKey, ownNamespaceKey, ownersKey, readSignOffKey } from '../ports/group-owners.ts';
import type { GroupFacts, GroupOwner } from '../ports/group-owners.ts';

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
  /** On a platform that declares no person field (the console) the platform id is the person id. */
  personByPlatformId(platform: Platform, platformId: string): Person | null;
  /**
   * The person's id on a platform, where they can be reached there: the id the platform's person
   * field holds, or the person id on a platform that declares none (the console); null otherwise.
   */
  platformIdOf(personId: string, platform: Platform): string | null;
  canRequest(personId: string, clusterId: string, namespace: string): Decision;
  canApprove(personId: string, subject: ApprovalSubject): Decision;
  /**
   * What makes a person an approver there, for the audit: `listed` (named in the rule), `*`,
   * `group:sre` (a listed member), `group:sre/slackUserGroup:S0123` or
   * `group:sre/wecomDepartment:42` (read from that directory). Empty when they are not one.
   */
  approverVia(personId: string, clusterId: string, namespace: string): string[];
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
  /** True when the deciding rule lets restore-only repairs there run without a sign-off (`autoApproveRepairs`). */
  autoApprovesRepairs(clusterId: string, namespace: string): boolean;
  /**
   * Read scope: whether a person may see a namespace's pods, requests, plans and audit trails —
   * those who may request or approve there, and platform-wide approvers (approvers of any rule
   * covering every namespace of that cluster), whatever rule decides there.
   */
  maySee(personId: string, clusterId: string, namespace: string): boolean;
  /**
   * Whether a person may see anything of a cluster: a requester or approver of some rule covering
   * it. Only they are told that a namespace does not exist there; to anyone else that would be a map
   * of the cluster's namespaces.
   */
  maySeeCluster(personId: string, clusterId: string): boolean;
  /**
   * Who owns a security group for a request in that namespace (see ports/group-owners.ts): sgops'
   * pod groups belong to the namespace in their tags (the request's own: key `namespace`); other
   * groups to the first `securityGroupOwners` entry that matches; null when nobody may sign for it.
   */
  ownerOf(group: GroupFacts, request: { clusterId: string; namespace: string }): GroupOwner | null;
  /**
   * Whether a person's approval counts for a sign-off set of this request now: the namespace's
   * approvers (`canApprove`), another namespace's approvers, or a group's owners — never the
   * requester for an owner entry.
   */
  signsFor(personId: string, key: string, subject: ApprovalSubject): boolean;
  /** Every person whose approval counts for that set (the requester left out). */
  signersFor(key: string, subject: ApprovalSubject): string[];
  /** What makes a person a signer of that set, for the audit (as `approverVia`). */
  signerVia(personId: string, key: string, subject: ApprovalSubject): string[];
}

const allowed: Decision = { allowed: true };
const deny = (reason: DenialReason): Decision => ({ allowed: false, reason });

export interface PolicyOptions {
  /** What the registered chat platforms declare: each one's person field and directory group field. */
  identities: readonly ChatIdentity[];
  /**
   * Members of the platform groups (Slack user groups, WeCom departments) that groups name.
   * Without it (or while a source was never read) such a group holds its listed members only.
   */
  directory?: Pick<GroupDirectory, 'members'>;
}

/**
 * The access policy over a validated config (throws AppError CONFIG_INVALID otherwise).
 * The first rule (top to bottom) matching both cluster and namespace decides; later rules are
 * not consulted even when they would allow. Requesters never approve their own request unless
 * that rule sets requesterMayApprove. Only people in `people` ever act: a Slack or WeCom user
 * in a directory group who is not mapped to a person stays unknown.
 */
export function createPolicy(input: PolicyConfigInput, options: PolicyOptions): Policy {
  const { directory, identities } = options;
  const config = parsePolicyConfig(input, identities);
  const byId = new Map(config.people.map((p) => [p.id, p]));
  const people = platformPeople(config, identities, directory);
  const rules = config.rules.map((rule, index) => ({
    index,
    rule,
    maxDurationMs: rule.maxDuration === undefined ? null : parseDuration(rule.maxDuration),
  }));

  // Expanded at each decision: directory groups change while the policy lives.
  const expand = (principals: readonly string[]) => expandPrincipals(principals, config, people.groupMembers);

  const match = (clusterId: string, namespace: string): (typeof rules)[number] | undefined =>
    rules.find(
      ({ rule }) =>
        (rule.clusters.includes('*') || rule.clusters.includes(clusterId)) &&
        (rule.namespaces.includes('*') || rule.namespaces.includes(namespace)),
    );

  const ownerEntries = new Map(config.securityGroupOwners.map((entry) => [ownerEntryMatch(entry), entry]));
  /** A namespace key → that namespace's subject; null for an owner entry's key. */
  const namespaceOf = (key: string, subject: ApprovalSubject): ApprovalSubject | null => {
    const read = readSignOffKey(key);
    if (read?.kind === 'ownNamespace') return subject;
    return read?.kind === 'namespace'
      ? { ...subject, clusterId: read.clusterId, namespace: read.namespace }
      : null;
  };
  const ownersOf = (key: string) => {
    const read = readSignOffKey(key);
    return read?.kind === 'owners' ? ownerEntries.get(read.match) : undefined;
  };

  const policy: Policy = {
    person: (id) => byId.get(id) ?? null,
    personByPlatformId(platform, platformId) {
      const found = people.byPlatformId(platform, platformId);
      return found === undefined ? (byId.get(platformId) ?? null) : found;
    },
    platformIdOf(personId, platform) {
      const person = byId.get(personId);
      return people.declares(platform) ? (person?.[platform] ?? null) : personId;
    },
    canRequest(personId, clusterId, namespace) {
      if (!byId.has(personId)) return deny('unknown_person');
      const found = match(clusterId, namespace);
      return found !== undefined && expand(found.rule.requesters).has(personId)
        ? allowed
        : deny('not_a_requester');
    },
    canApprove(personId, subject) {
      if (!byId.has(personId)) return deny('unknown_person');
      const found = match(subject.clusterId, subject.namespace);
      if (found === undefined) return deny('not_an_approver');
      if (personId === subject.requester && !found.rule.requesterMayApprove) return deny('self_approval');
      return expand(found.rule.approvers).has(personId) ? allowed : deny('not_an_approver');
    },
    approverVia(personId, clusterId, namespace) {
      const found = match(clusterId, namespace);
      if (found === undefined || !byId.has(personId)) return [];
      return [...(expand(found.rule.approvers).get(personId) ?? [])];
    },
    approversFor(clusterId, namespace) {
      const found = match(clusterId, namespace);
      return found === undefined ? [] : [...expand(found.rule.approvers).keys()];
    },
    quorumFor: (clusterId, namespace) => match(clusterId, namespace)?.rule.quorum ?? 1,
    ruleFor(clusterId, namespace) {
      const found = match(clusterId, namespace);
      return found === undefined ? null : { index: found.index, rule: found.rule };
    },
    maxDurationFor: (clusterId, namespace) => match(clusterId, namespace)?.maxDurationMs ?? null,
    autoApproves(clusterId, namespace, requester) {
      if (!byId.has(requester)) return false;
      const found = match(clusterId, namespace);
      if (found === undefined || found.rule.autoApprove?.when !== 'always') return false;
      return (
        expand(found.rule.requesters).has(requester) &&
        expand(found.rule.autoApprove.requesters ?? found.rule.requesters).has(requester)
      );
    },
    autoApprovesRepairs: (clusterId, namespace) =>
      match(clusterId, namespace)?.rule.autoApproveRepairs === true,
    maySee(personId, clusterId, namespace) {
      if (!byId.has(personId)) return false;
      const found = match(clusterId, namespace);
      if (found !== undefined && expand([...found.rule.requesters, ...found.rule.approvers]).has(personId))
        return true;
      return rules.some(
        ({ rule }) =>
          rule.namespaces.includes('*') &&
          (rule.clusters.includes('*') || rule.clusters.includes(clusterId)) &&
          expand(rule.approvers).has(personId),
      );
    },
    maySeeCluster(personId, clusterId) {
      if (!byId.has(personId)) return false;
      return rules.some(
        ({ rule }) =>
          (rule.clusters.includes('*') || rule.clusters.includes(clusterId)) &&
          expand([...rule.requesters, ...rule.approvers]).has(personId),
      );
    },
    ownerOf(group, request) {
      const cluster = group.tags['sgops/cluster'];
      const namespace = group.tags['sgops/namespace'];
      if (group.tags['sgops/managed'] === 'true' && cluster && namespace) {
        if (cluster === request.clusterId && namespace === request.namespace)
          return { key: ownNamespaceKey, quorum: 1 };
        if (policy.approversFor(cluster, namespace).length === 0) return null;
        return { key: namespaceKey(cluster, namespace), quorum: 1 };
      }
      const entry = config.securityGroupOwners.find((e) => ownerEntryMatches(e, group));
      if (entry === undefined) return null;
      return { key: ownersKey(ownerEntryMatch(entry)), quorum: entry.quorum, owners: entry.owners };
    },
    signsFor(personId, key, subject) {
      const namespace = namespaceOf(key, subject);
      if (namespace) return policy.canApprove(personId, namespace).allowed;
      const entry = ownersOf(key);
      return (
        entry !== undefined &&
        byId.has(personId) &&
        personId !== subject.requester &&
        expand(entry.owners).has(personId)
      );
    },
    signersFor(key, subject) {
      const namespace = namespaceOf(key, subject);
      const candidates = namespace
        ? policy.approversFor(namespace.clusterId, namespace.namespace)
        : [...expand(ownersOf(key)?.owners ?? []).keys()];
      return candidates.filter((id) => id !== subject.requester && policy.signsFor(id, key, subject));
    },
    signerVia(personId, key, subject) {
      const namespace = namespaceOf(key, subject);
      if (namespace) return policy.approverVia(personId, namespace.clusterId, namespace.namespace);
      return [...(expand(ownersOf(key)?.owners ?? []).get(personId) ?? [])];
    },
  };
  return policy;
}
