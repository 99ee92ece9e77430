/**
 * Turns a parsed `grant`/`plan` into the grant workflow's input: names, selector, the group choice
 * (`using`, `as group`) and the rules asked for.
 */
import type { GrantOptions } from '../../src/commands/command.ts';
import { podGroupName, serviceAccountPodGroupName } from '../../src/domain/pod-group-name.ts';
import { policyName, serviceAccountPolicyName } from '../../src/domain/policy-name.ts';
import type { Rule } from '../../src/ports/cloud-network.ts';
import type { GrantInput, GrantSpec } from './types.ts';
import { ruleLabel } from '../shared/rules/rule-label.ts';

export function buildGrantInput(args: {
  options: GrantOptions;
  requestId: string;
  requester: string;
  clusterId: string;
  namespace: string;
  quorum: number;
  approvalTimeoutMs: number;
  dryRun: boolean;
  autoApprove: boolean;
}): GrantInput {
  const { options, requestId, namespace } = args;
  const target = options.target;
  const label = ruleLabel(requestId);
  const allow = options.allow ?? [];
  const asked = (r: (typeof allow)[number], peer: Rule['peer']): Rule => ({
    protocol: r.protocol,
    port: r.ports,
    peer,
    action: 'ACCEPT',
    description: `${label}: allow ${r.protocol.toLowerCase()}:${r.ports.toLowerCase()} ${r.direction}`,
  });
  const extraIngress = allow.filter((r) => r.direction === 'from').map((r) => asked(r, r.peer));
  const egressToCidrs = allow
    .filter((r) => r.direction === 'to' && 'cidr' in r.peer)
    .map((r) => asked(r, r.peer));
  const targetGroups = new Map<string, Omit<Rule, 'peer'>[]>();
  for (const r of allow.filter((x) => x.direction === 'to' && 'securityGroupId' in x.peer)) {
    const id = (r.peer as { securityGroupId: string }).securityGroupId;
    const { peer: _peer, ...rule } = asked(r, r.peer);
    targetGroups.set(id, [...(targetGroups.get(id) ?? []), rule]);
  }
  const using = options.groups?.kind === 'existing';
  const own: Pick<GrantSpec, 'target' | 'podSelector' | 'podGroupName' | 'policyName'> =
    target.kind === 'app'
      ? {
          target: { kind: 'app', app: target.app },
          podSelector: { app: target.app },
          podGroupName: podGroupName(namespace, target.app),
          policyName: policyName(target.app),
        }
      : {
          target: { kind: 'serviceAccount', serviceAccount: target.serviceAccount },
          podSelector: {},
          podGroupName: serviceAccountPodGroupName(namespace, target.serviceAccount),
          policyName: serviceAccountPolicyName(target.serviceAccount),
        };
  return {
    spec: {
      requestId,
      requester: args.requester,
      clusterId: args.clusterId,
      namespace,
      ...own,
      ...(options.groups?.kind === 'named'
        ? { podGroupName: options.groups.name, groups: { kind: 'named', name: options.groups.name } }
        : options.groups?.kind === 'existing'
          ? { groups: { kind: 'existing', ids: [...new Set(options.groups.ids)] } }
          : {}),
      // The seed's default egress is everything to anywhere; egress asked for replaces it. Groups
      // named in `using` are the requester's: their egress stays as it is unless asked for.
      egress:
        egressToCidrs.length > 0 || using
          ? egressToCidrs
          : [
              {
                protocol: 'ALL',
                port: 'ALL',
                peer: { cidr: '0.0.0.0/0' },
                action: 'ACCEPT',
                description: `${label}: egress`,
              },
            ],
      ...(extraIngress.length > 0 ? { extraIngress } : {}),
      ...(targetGroups.size > 0
        ? { targetGroups: [...targetGroups].map(([securityGroupId, rules]) => ({ securityGroupId, rules })) }
        : {}),
      ...(options.reason ? { reason: options.reason } : {}),
    },
    quorum: args.quorum,
    approvalTimeoutMs: args.approvalTimeoutMs,
    dryRun: args.dryRun,
    autoApprove: args.autoApprove,
  };
}
