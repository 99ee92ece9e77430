/** Turns a parsed `grant`/`plan` into the grant workflow's input: names, selector, and the rules asked for. */
import type { GrantOptions } from '../../commands/command.ts';
import { podGroupName } from '../../domain/pod-group-name.ts';
import { policyName } from '../../domain/policy-name.ts';
import type { Rule } from '../../ports/cloud-network.ts';
import type { GrantInput } from '../../../workflows/grant/types.ts';

export function buildGrantInput(args: {
  options: GrantOptions & { target: { kind: 'app'; app: string } };
  requestId: string;
  requester: string;
  clusterId: string;
  namespace: string;
  quorum: number;
  approvalTimeoutMs: number;
  dryRun: boolean;
  autoApprove: boolean;
}): GrantInput {
  const { options, requestId } = args;
  const app = options.target.app;
  const label = `sgops ${requestId}`;
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
  return {
    spec: {
      requestId,
      requester: args.requester,
      clusterId: args.clusterId,
      namespace: args.namespace,
      target: { kind: 'app', app },
      podSelector: { app },
      podGroupName: podGroupName(args.namespace, app),
      policyName: policyName(app),
      // The seed's default egress is everything to anywhere; egress asked for replaces it.
      egress:
        egressToCidrs.length > 0
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
