/**
 * A small world like the sandbox's: the cluster group (CoreDNS and normal-node pods), my-app's pod
 * group made by a grant, another team's database group ending in a DROP, and the endpoints on them.
 */
import type { Endpoint } from '../../../../src/domain/reachability/endpoint.ts';
import type { GroupRules } from '../../../../src/domain/reachability/evaluate-rules.ts';
import type { FixContext } from '../../../../src/domain/reachability/smallest-change.ts';
import { rule } from './rule-fixtures.ts';

export const clusterId = 'sg-cluster1';
export const podId = 'sg-podgrp01';
export const dbId = 'sg-ordersdb';

const rules = (texts: string[]) => texts.map((t, i) => rule(t, i));

export function clusterGroup(
  ingress = [`ACCEPT UDP 53 ${podId}`, `ACCEPT TCP 53 ${podId}`, `ACCEPT ALL ALL ${clusterId}`],
): GroupRules {
  return {
    id: clusterId,
    name: 'tke-worker-security-for-cls-sandbox1',
    rules: { ingress: rules(ingress), egress: rules(['ACCEPT ALL ALL 0.0.0.0/0']) },
  };
}

export function podGroup(egress = ['ACCEPT ALL ALL 0.0.0.0/0']): GroupRules {
  return {
    id: podId,
    name: 'sgops-my-namespace-my-app',
    rules: {
      ingress: rules([`ACCEPT ALL ALL ${podId}`, `ACCEPT ALL ALL ${clusterId}`]),
      egress: rules(egress),
    },
  };
}

export function dbGroup(ingress = ['ACCEPT TCP 3306 10.9.0.0/16', 'DROP ALL ALL 0.0.0.0/0']): GroupRules {
  return { id: dbId, name: 'orders-db', rules: { ingress: rules(ingress), egress: [] } };
}

export const superPod = (name: string, ip: string, groups: GroupRules[] = [podGroup()]): Endpoint => ({
  subject: { kind: 'pod', name, namespace: 'my-namespace', node: 'super' },
  address: ip,
  filtering: { by: 'own', groups },
});

export const normalPod = (
  name: string,
  ip: string,
  why: 'normalNode' | 'createdBeforePolicy' | 'noPolicy' = 'normalNode',
  group: GroupRules = clusterGroup(),
): Endpoint => ({
  subject: {
    kind: 'pod',
    name,
    namespace: 'my-namespace',
    node: why === 'normalNode' ? 'normal' : 'super',
    ...(why === 'normalNode' ? { nodeName: '10.0.0.7' } : {}),
  },
  address: ip,
  filtering: { by: 'clusterGroup', why, group },
});

export const dbTarget = (group: GroupRules = dbGroup()): Endpoint => ({
  subject: { kind: 'securityGroup', id: dbId, name: 'orders-db' },
  address: '10.0.0.0/16',
  filtering: { by: 'own', groups: [group] },
});

export const coreDns = (name: string, ip: string, group: GroupRules = clusterGroup()): Endpoint => ({
  subject: { kind: 'pod', name, namespace: 'kube-system', node: 'normal' },
  address: ip,
  filtering: { by: 'clusterGroup', why: 'normalNode', group },
});

export const ctx: FixContext = {
  target: { kind: 'app', app: 'my-app' },
  namespace: 'my-namespace',
  podGroupId: podId,
};

/** What a grant's `allow … to sg-x` does to sg-x: ingress ACCEPT from the pod group, ahead of the first DROP. */
export function withAcceptBeforeDrop(
  group: GroupRules,
  text: string,
  direction: 'ingress' | 'egress',
): GroupRules {
  if (typeof group.rules === 'string') throw new Error('no rules to add to');
  const current = group.rules[direction].map(
    (r) => `${r.action} ${r.protocol} ${r.port} ${'cidr' in r.peer ? r.peer.cidr : r.peer.securityGroupId}`,
  );
  const firstDrop = current.findIndex((t) => t.startsWith('DROP'));
  const at = firstDrop < 0 ? current.length : firstDrop;
  const next = [...current.slice(0, at), text, ...current.slice(at)];
  return { ...group, rules: { ...group.rules, [direction]: rules(next) } };
}
