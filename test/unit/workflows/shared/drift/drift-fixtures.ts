/**
 * A granted app as the drift tests see it: app `api` in `shop`, its pod group, the cluster group,
 * the grant's record (spec and step outputs, typed as the grant workflow keeps them), and the world
 * observed exactly as approved — which each test then changes the way a person would.
 */
import type { IndexedRule, Rule } from '../../../../../src/ports/cloud-network.ts';
import type { GrantContext, GrantSpec, StepOutputs } from '../../../../../workflows/grant/types.ts';
import type { ApprovedState } from '../../../../../workflows/shared/drift/approved-state.ts';
import type { ObservedState } from '../../../../../workflows/shared/drift/drift-item.ts';

export const requestId = 'R7K2';
export const clusterGroupId = 'sg-cluster1';
export const podGroupId = 'sg-pod00001';

/** What approvedState reads, exactly as a GrantContext holds it. */
export type GrantRecord = Pick<GrantContext, 'spec' | 'outputs'>;

export function grantRecord(spec: Partial<GrantSpec> = {}, outputs: Partial<StepOutputs> = {}): GrantRecord {
  return {
    spec: {
      requestId,
      requester: 'alice',
      clusterId: 'cls-sandbox1',
      namespace: 'shop',
      target: { kind: 'app', app: 'api' },
      podSelector: { app: 'api' },
      podGroupName: 'sgops-shop-api',
      policyName: 'sgops-api',
      egress: [
        {
          protocol: 'ALL',
          port: 'ALL',
          peer: { cidr: '0.0.0.0/0' },
          action: 'ACCEPT',
          description: `sgops ${requestId}: egress`,
        },
      ],
      ...spec,
    },
    outputs: {
      planning: {
        cluster: { id: 'cls-sandbox1', name: 'sandbox', version: '1.26.1', vpcId: 'vpc-1' },
        clusterGroupId,
        existingPodGroupId: null,
        workloads: [],
        pods: [],
        changes: [],
        warnings: [],
      },
      ensurePodSecurityGroup: { podGroupId, created: true },
      allowDns: { added: [] },
      ensurePodGroupRules: { ingressAdded: [], egressAdded: [] },
      applyPolicy: {
        policyName: 'sgops-api',
        created: true,
        updated: false,
        appliedAt: '2026-12-07T04:00:00.000Z',
      },
      ...outputs,
    },
  };
}

const indexed = (rules: Rule[]): IndexedRule[] => rules.map((rule, index) => ({ ...rule, index }));

/** The world exactly as approved: every group with its approved rules, the policy, the label, no pods. */
export function observedAsApproved(approved: ApprovedState): ObservedState {
  return {
    groups: Object.fromEntries(
      approved.groups.map((g) => [
        g.id,
        {
          version: '7',
          ingress: indexed(g.ingress.map((a) => a.rule)),
          egress: indexed(g.egress.map((a) => a.rule)),
        },
      ]),
    ),
    policy: {
      name: approved.policy.name,
      namespace: approved.policy.namespace,
      ...(approved.policy.podSelector ? { podSelector: approved.policy.podSelector } : {}),
      ...(approved.policy.serviceAccountSelector
        ? { serviceAccountSelector: approved.policy.serviceAccountSelector }
        : {}),
      groupIds: [...approved.policy.groupIds],
    },
    ...(approved.serviceAccountLabel
      ? { serviceAccountLabels: { [approved.serviceAccountLabel.key]: approved.serviceAccountLabel.value } }
      : {}),
    pods: [],
  };
}

/** The observed group `id`, which must have been observed. */
export function observedGroup(observed: ObservedState, id: string) {
  const group = observed.groups[id];
  if (!group) throw new Error(`group ${id} was not observed`);
  return group;
}

/** A rule as a person adds it in the console: no sgops description. */
export const byHand = (rule: Omit<Rule, 'action'> & { action?: Rule['action'] }): Rule => ({
  action: 'ACCEPT',
  ...rule,
});
