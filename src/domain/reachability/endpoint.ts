/**
 * One end of a path as the caller read it: what it is (for the words), its address, and which groups
 * filter its traffic — which are also the groups a rule naming a security group matches it by.
 */
import type { GroupRules } from './evaluate-rules.ts';

export type Subject =
  /** A pod: a super-node pod carries its groups; any other is filtered by the cluster group. */
  | { kind: 'pod'; name: string; namespace?: string; node: 'super' | 'normal'; nodeName?: string }
  /** "Whatever is bound to this group" (a database's group): treated as bound to it alone. */
  | { kind: 'securityGroup'; id: string; name?: string }
  /** An address or a block, as typed (`10.0.3.4`, `10.0.0.0/16`). */
  | { kind: 'address'; text: string };

/**
 * Who filters the endpoint. `own`: its groups in binding order (a super-node pod's annotation, or
 * the target group itself). `clusterGroup`: a pod with no groups of its own is filtered by the
 * cluster security group (`tke-worker-security-for-<cluster>`), and a rule naming that group matches
 * it — on a normal node, or created before its policy (the policy acts only when a pod is created),
 * or selected by no policy at all. `outsideVpc`: an address outside the cluster's VPC: bound to none
 * of the account's groups, and sgops cannot see what filters its ingress. `unknown`: sgops could not
 * tell (an address in the VPC it could not resolve, a pod whose annotation it could not read).
 */
export type Filtering =
  | { by: 'own'; groups: GroupRules[] }
  | { by: 'clusterGroup'; why: 'normalNode' | 'createdBeforePolicy' | 'noPolicy'; group: GroupRules }
  | { by: 'outsideVpc' }
  | { by: 'unknown' };

export interface Endpoint {
  subject: Subject;
  /**
   * Its IPv4 address, or the block it is in (a CIDR target; the VPC's block for a group target,
   * whose members' addresses sgops does not list); undefined when unknown.
   */
  address?: string;
  filtering: Filtering;
}

/** The groups that filter the endpoint, in binding order; undefined when unknown or not ours. */
export function filteringGroups(filtering: Filtering): GroupRules[] | undefined {
  if (filtering.by === 'own') return filtering.groups;
  if (filtering.by === 'clusterGroup') return [filtering.group];
  return undefined;
}

/** The groups the endpoint is bound to, as a peer's rules see it; undefined when unknown. */
export function memberOf(filtering: Filtering): string[] | undefined {
  if (filtering.by === 'outsideVpc') return [];
  return filteringGroups(filtering)?.map((g) => g.id);
}
