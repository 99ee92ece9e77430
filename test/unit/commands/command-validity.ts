import type {
  AllowRule,
  Command,
  ExplainFlow,
  ExplainTarget,
  GrantTarget,
} from '../../../src/commands/command.ts';
import { ipv4CidrFix, isIpv4Cidr } from '../../../src/domain/ipv4-cidr.ts';
import { isAppName } from '../../../src/domain/is-app-name.ts';
import { isClusterId } from '../../../src/domain/is-cluster-id.ts';
import { isDns1123Label } from '../../../src/domain/is-dns1123-label.ts';
import { isPodName } from '../../../src/domain/is-pod-name.ts';
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

function explainTargetIsValid(target: ExplainTarget): boolean {
  switch (target.kind) {
    case 'group':
      return isSecurityGroupId(target.securityGroupId);
    case 'app':
      return isAppName(target.app) && optional(target.namespace, isDns1123Label);
    case 'pod':
      return isPodName(target.pod) && optional(target.namespace, isDns1123Label);
    case 'ip':
      return isIpv4Cidr(`${target.ip}/32`);
    case 'cidr':
      return isIpv4Cidr(target.cidr);
    case 'dns':
      return true;
  }
}

const flowIsValid = (flow: ExplainFlow): boolean =>
  flow.protocol === 'ICMP' ||
  (['TCP', 'UDP'].includes(flow.protocol) &&
    Number.isInteger(flow.port) &&
    flow.port >= 1 &&
    flow.port <= 65535);

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
    case 'explain':
      return (
        (command.source.kind === 'app' ? isAppName(command.source.app) : isPodName(command.source.pod)) &&
        optional(command.namespace, isDns1123Label) &&
        optional(command.clusterId, isClusterId) &&
        explainTargetIsValid(command.target) &&
        optional(command.flow, flowIsValid) &&
        !(command.target.kind === 'dns' && command.flow !== undefined)
      );
    case 'help':
      return true;
  }
}
