import type { AllowRule, Command, GrantTarget } from '../../../src/commands/command.ts';
import { ipv4CidrFix, isIpv4Cidr } from '../../../src/domain/ipv4-cidr.ts';
import { isAppName } from '../../../src/domain/is-app-name.ts';
import { isClusterId } from '../../../src/domain/is-cluster-id.ts';
import { isDns1123Label } from '../../../src/domain/is-dns1123-label.ts';
import { isSecurityGroupId } from '../../../src/domain/is-security-group-id.ts';
import { isSecurityGroupName } from '../../../src/domain/is-security-group-name.ts';
import { maxDurationMs, minDurationMs } from '../../../src/domain/parse-duration.ts';
import { isPortSpec } from '../../../src/domain/port-spec.ts';
import { isRequestId } from '../../../src/domain/request-id.ts';

const optional = <T>(value: T | undefined, valid: (v: T) => boolean): boolean =>
  value === undefined || valid(value);

function targetIsValid(target: GrantTarget): boolean {
  return target.kind === 'app' ? isAppName(target.app) : isDns1123Label(target.serviceAccount);
}

function ruleIsValid(rule: AllowRule): boolean {
  const portsOk =
    rule.protocol === 'ICMP' || rule.protocol === 'ALL'
      ? rule.ports === 'ALL'
      : rule.ports === 'ALL' || isPortSpec(rule.ports);
  const peerOk =
    'cidr' in rule.peer
      ? isIpv4Cidr(rule.peer.cidr) && ipv4CidrFix(rule.peer.cidr) === undefined
      : isSecurityGroupId(rule.peer.securityGroupId);
  return ['TCP', 'UDP', 'ICMP', 'ALL'].includes(rule.protocol) && portsOk && peerOk;
}

const nonBlank = (text: string): boolean => text.trim() !== '' && text === text.trim();

/** Every name a parsed command carries obeys its rule: what "no invalid name gets through" means. */
export function namesAreValid(command: Command): boolean {
  switch (command.kind) {
    case 'grant':
    case 'plan':
      return (
        targetIsValid(command.target) &&
        optional(command.namespace, isDns1123Label) &&
        optional(command.clusterId, isClusterId) &&
        optional(command.groups, (g) =>
          g.kind === 'existing'
            ? g.ids.length > 0 && g.ids.every(isSecurityGroupId) && new Set(g.ids).size === g.ids.length
            : isSecurityGroupName(g.name),
        ) &&
        optional(command.allow, (rules) => rules.length > 0 && rules.every(ruleIsValid)) &&
        optional(
          command.durationMs,
          (ms) => Number.isInteger(ms) && ms >= minDurationMs && ms <= maxDurationMs,
        ) &&
        optional(command.reason, nonBlank)
      );
    case 'revoke':
      return (
        targetIsValid(command.target) &&
        optional(command.namespace, isDns1123Label) &&
        optional(command.clusterId, isClusterId) &&
        optional(command.reason, nonBlank)
      );
    case 'statusApp':
      return isAppName(command.app) && optional(command.namespace, isDns1123Label);
    case 'statusPolicies':
      return optional(command.namespace, isDns1123Label);
    case 'requests':
      return ['mine', 'pending', 'all'].includes(command.filter);
    case 'deny':
      return isRequestId(command.requestId) && nonBlank(command.reason);
    case 'approve':
      return isRequestId(command.requestId) && optional(command.comment, nonBlank);
    case 'status':
    case 'cancel':
    case 'retry':
    case 'rollback':
    case 'repair':
    case 'audit':
      return isRequestId(command.requestId);
    case 'help':
      return true;
  }
}
