import type {
  CreateSecurityGroupPoliciesRequest,
  DeleteSecurityGroupPoliciesRequest,
  DescribeSecurityGroupPoliciesRequest,
  ReplaceSecurityGroupPolicyRequest,
  SecurityGroupPolicy,
  SecurityGroupPolicySet,
} from 'tencentcloud-sdk-nodejs/tencentcloud/services/vpc/v20170312/vpc_models.js';
import { CloudApiError } from './cloud-api-error.ts';
import { isIndexOnly, normaliseRule, ruleKey, toWirePolicy, type StoredRule } from './security-group-rule.ts';
import type { SecurityGroupStore, StoredGroup } from './security-group-store.ts';

/**
 * The rule-set operations of the VPC API over a SecurityGroupStore: one direction per write,
 * optimistic `Version`, PolicyIndex insert/append, duplicates and per-direction quota.
 */
type DirectionKey = 'Ingress' | 'Egress';

interface OneDirection {
  direction: DirectionKey;
  policies: SecurityGroupPolicy[];
}

function oneDirection(set: SecurityGroupPolicySet | undefined): OneDirection {
  if (!set) throw new CloudApiError('MissingParameter', 'The parameter `SecurityGroupPolicySet` is missing.');
  const ingress = set.Ingress ?? [];
  const egress = set.Egress ?? [];
  if (ingress.length > 0 && egress.length > 0) {
    throw new CloudApiError('InvalidParameter.Coexist', 'Ingress and Egress cannot be given in one request.');
  }
  if (ingress.length === 0 && egress.length === 0) {
    throw new CloudApiError(
      'MissingParameter',
      'The parameter `SecurityGroupPolicySet.Ingress` or `.Egress` is missing.',
    );
  }
  return ingress.length > 0
    ? { direction: 'Ingress', policies: ingress }
    : { direction: 'Egress', policies: egress };
}

function rulesOf(group: StoredGroup, direction: DirectionKey): StoredRule[] {
  return direction === 'Ingress' ? group.ingress : group.egress;
}

function checkVersion(group: StoredGroup, version: string | undefined): void {
  if (version === undefined || version === '') return;
  if (String(version).trim() !== String(group.version)) {
    throw new CloudApiError(
      'UnsupportedOperation.VersionMismatch',
      `The rule set of ${group.id} is at version ${group.version}, not ${version}.`,
    );
  }
}

function indexOf(policy: SecurityGroupPolicy, field: string): number | undefined {
  const raw = policy.PolicyIndex as unknown;
  if (raw === undefined || raw === null || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    throw new CloudApiError('InvalidParameterValue', `The value of \`${field}.PolicyIndex\` is invalid.`);
  }
  return n;
}

function bump(store: SecurityGroupStore, group: StoredGroup): void {
  group.version += 1;
  group.updateTime = store.now();
}

function rejectDuplicates(existing: StoredRule[], incoming: StoredRule[], group: StoredGroup): void {
  const seen = new Set(existing.map(ruleKey));
  for (const rule of incoming) {
    const key = ruleKey(rule);
    if (seen.has(key)) {
      throw new CloudApiError(
        'UnsupportedOperation.DuplicatePolicy',
        `${group.id} already has the rule ${rule.protocol ?? 'template'} ${rule.port ?? ''} ${rule.peer} ${rule.action}.`,
      );
    }
    seen.add(key);
  }
}

export function createSecurityGroupPolicies(
  store: SecurityGroupStore,
  region: string,
  request: CreateSecurityGroupPoliciesRequest,
  rulesPerDirection: number,
  callerIp?: string,
): void {
  const group = store.get(region, request.SecurityGroupId);
  const { direction, policies } = oneDirection(request.SecurityGroupPolicySet);
  checkVersion(group, request.SecurityGroupPolicySet.Version);
  const current = rulesOf(group, direction);
  const indexes = policies.map((p, i) => indexOf(p, `SecurityGroupPolicySet.${direction}.${i}`));
  const first = indexes[0];
  if (indexes.some((i) => i !== first)) {
    throw new CloudApiError(
      'InvalidParameterValue',
      'All rules of one request must carry the same PolicyIndex, or none.',
    );
  }
  if (first !== undefined && first > current.length) {
    throw new CloudApiError(
      'InvalidParameterValue.Range',
      `PolicyIndex ${first} is beyond the ${current.length} ${direction} rules of ${group.id}.`,
    );
  }
  const modifyTime = store.now();
  const incoming = policies.map((p, i) =>
    normaliseRule(p, {
      field: `SecurityGroupPolicySet.${direction}.${i}`,
      groupExists: (id) => store.has(id),
      modifyTime,
      callerIp,
    }),
  );
  rejectDuplicates(current, incoming, group);
  if (current.length + incoming.length > rulesPerDirection) {
    throw new CloudApiError(
      'LimitExceeded.SecurityGroupPolicySet',
      `${group.id} may hold at most ${rulesPerDirection} ${direction} rules.`,
    );
  }
  current.splice(first ?? current.length, 0, ...incoming);
  bump(store, group);
}

export function describeSecurityGroupPolicies(
  store: SecurityGroupStore,
  region: string,
  request: DescribeSecurityGroupPoliciesRequest,
): SecurityGroupPolicySet {
  const group = store.get(region, request.SecurityGroupId);
  let ingress = group.ingress.map(toWirePolicy);
  let egress = group.egress.map(toWirePolicy);
  for (const filter of request.Filters ?? []) {
    const values = filter.Values.map((v) => String(v).toUpperCase());
    const keep = policyFilter(filter.Name, values);
    if (filter.Name === 'direction') {
      if (!values.includes('ALL') && !values.includes('INBOUND')) ingress = [];
      if (!values.includes('ALL') && !values.includes('OUTBOUND')) egress = [];
      continue;
    }
    ingress = ingress.filter(keep);
    egress = egress.filter(keep);
  }
  const v6 = (rules: SecurityGroupPolicy[]) => rules.filter((r) => r.Ipv6CidrBlock).length;
  return {
    Version: String(group.version),
    Ingress: ingress,
    Egress: egress,
    PolicyStatistics: {
      IngressIPv4TotalCount: group.ingress.length - v6(ingress),
      IngressIPv6TotalCount: v6(ingress),
      EgressIPv4TotalCount: group.egress.length - v6(egress),
      EgressIPv6TotalCount: v6(egress),
    },
  };
}

function policyFilter(name: string, values: string[]): (rule: SecurityGroupPolicy) => boolean {
  switch (name) {
    case 'security-group-id':
      return (r) => values.includes((r.SecurityGroupId ?? '').toUpperCase());
    case 'ip':
      return (r) => values.some((v) => `${r.CidrBlock}|${r.Ipv6CidrBlock}`.toUpperCase().includes(v));
    case 'protocol-type':
      return (r) => values.includes(r.Protocol ?? '');
    case 'port':
      return (r) => values.includes('ALL') || values.some((v) => (r.Port ?? '').includes(v));
    case 'poly':
      return (r) => values.includes('ALL') || values.includes(r.Action ?? '');
    // An address (ipm-) or address-group (ipmg-) template id; a service (ppm-) or service-group (ppmg-) one.
    case 'address-module':
      return (r) =>
        [r.AddressTemplate?.AddressId, r.AddressTemplate?.AddressGroupId].some(
          (id) => !!id && values.includes(id.toUpperCase()),
        );
    case 'service-module':
      return (r) =>
        [r.ServiceTemplate?.ServiceId, r.ServiceTemplate?.ServiceGroupId].some(
          (id) => !!id && values.includes(id.toUpperCase()),
        );
    case 'description':
      return (r) => values.some((v) => (r.PolicyDescription ?? '').toUpperCase().includes(v));
    default:
      throw new CloudApiError(
        'InvalidParameter.FilterInvalidKey',
        `The filter \`${name}\` is not supported.`,
      );
  }
}

export function deleteSecurityGroupPolicies(
  store: SecurityGroupStore,
  region: string,
  request: DeleteSecurityGroupPoliciesRequest,
  callerIp?: string,
): void {
  const group = store.get(region, request.SecurityGroupId);
  const { direction, policies } = oneDirection(request.SecurityGroupPolicySet);
  checkVersion(group, request.SecurityGroupPolicySet.Version);
  const current = rulesOf(group, direction);
  const byIndex = policies.map(isIndexOnly);
  if (byIndex.some((b) => b !== byIndex[0])) {
    throw new CloudApiError(
      'InvalidParameter.Coexist',
      'Delete either by PolicyIndex or by rule content, not both.',
    );
  }
  const doomed = new Set<number>();
  if (byIndex[0]) {
    policies.forEach((p, i) => {
      const index = indexOf(p, `SecurityGroupPolicySet.${direction}.${i}`);
      if (index === undefined) {
        throw new CloudApiError(
          'MissingParameter',
          `The parameter \`SecurityGroupPolicySet.${direction}.${i}.PolicyIndex\` is missing.`,
        );
      }
      if (index >= current.length) {
        throw new CloudApiError(
          'InvalidParameterValue.Range',
          `${group.id} has no ${direction} rule at index ${index}.`,
        );
      }
      doomed.add(index);
    });
  } else {
    policies.forEach((p, i) => {
      const field = `SecurityGroupPolicySet.${direction}.${i}`;
      if (p.PolicyIndex !== undefined) {
        throw new CloudApiError(
          'InvalidParameter.Coexist',
          `${field}: PolicyIndex cannot be given with rule content.`,
        );
      }
      const key = ruleKey(normaliseRule(p, { field, groupExists: () => true, modifyTime: '', callerIp }));
      const index = current.findIndex((rule, at) => !doomed.has(at) && ruleKey(rule) === key);
      if (index === -1)
        throw new CloudApiError('ResourceNotFound', `${group.id} has no ${direction} rule like ${field}.`);
      doomed.add(index);
    });
  }
  const kept = current.filter((_, at) => !doomed.has(at));
  current.splice(0, current.length, ...kept);
  bump(store, group);
}

export function replaceSecurityGroupPolicy(
  store: SecurityGroupStore,
  region: string,
  request: ReplaceSecurityGroupPolicyRequest,
  callerIp?: string,
): void {
  const group = store.get(region, request.SecurityGroupId);
  const { direction, policies } = oneDirection(request.SecurityGroupPolicySet);
  checkVersion(group, request.SecurityGroupPolicySet.Version);
  if (policies.length !== 1)
    throw new CloudApiError('InvalidParameterValue', 'Exactly one rule can be replaced at a time.');
  const field = `SecurityGroupPolicySet.${direction}.0`;
  const policy = policies[0] as SecurityGroupPolicy;
  const index = indexOf(policy, field);
  if (index === undefined)
    throw new CloudApiError('MissingParameter', `The parameter \`${field}.PolicyIndex\` is missing.`);
  const current = rulesOf(group, direction);
  const existing = current[index];
  if (!existing)
    throw new CloudApiError(
      'InvalidParameterValue.Range',
      `${group.id} has no ${direction} rule at index ${index}.`,
    );
  // OriginalSecurityGroupPolicySet is documented as "optional, for the log" (旧的安全组规则集合对象，
  // 可选，日志记录用): the old rule for the record, never compared. A stale writer is caught by
  // SecurityGroupPolicySet.Version, as for every other rule write.
  const rule = normaliseRule(policy, {
    field,
    groupExists: (id) => store.has(id),
    modifyTime: store.now(),
    callerIp,
  });
  rejectDuplicates(
    current.filter((_, at) => at !== index),
    [rule],
    group,
  );
  current[index] = rule;
  bump(store, group);
}
