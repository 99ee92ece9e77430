import { describe, expect, it } from 'vitest';
import { approvedState } from '../../../../../workflows/shared/drift/approved-state.ts';
import type { ApprovedGroup } from '../../../../../workflows/shared/drift/approved-state.ts';
import { clusterGroupId, grantRecord, podGroupId, requestId } from './drift-fixtures.ts';

/** A group's rules as `purpose protocol port peer`, per direction. */
const shape = (group: ApprovedGroup | undefined) =>
  group && {
    roles: group.roles,
    own: group.own,
    ingress: group.ingress.map(
      ({ rule, purpose }) => `${purpose} ${rule.protocol} ${rule.port} ${peer(rule)}`,
    ),
    egress: group.egress.map(({ rule, purpose }) => `${purpose} ${rule.protocol} ${rule.port} ${peer(rule)}`),
  };
const peer = (rule: { peer: { cidr: string } | { securityGroupId: string } }) =>
  'cidr' in rule.peer ? rule.peer.cidr : rule.peer.securityGroupId;

describe('approvedState', () => {
  it('has nothing approved in force before the grant applied its policy', () => {
    const { applyPolicy: _applied, ...outputs } = grantRecord().outputs;
    expect(approvedState({ ...grantRecord(), outputs })).toBeNull();
    const { ensurePodSecurityGroup: _made, ...none } = grantRecord().outputs;
    expect(approvedState({ ...grantRecord(), outputs: none })).toBeNull();
  });

  it("keeps an app's own pod group, the cluster group's DNS rules and the target group's ingress", () => {
    const approved = approvedState(
      grantRecord({
        extraIngress: [
          {
            protocol: 'TCP',
            port: '8080',
            peer: { cidr: '10.0.0.0/8' },
            action: 'ACCEPT',
            description: `sgops ${requestId}: allow tcp:8080 from`,
          },
        ],
        targetGroups: [
          { securityGroupId: 'sg-db000001', rules: [{ protocol: 'TCP', port: '3306', action: 'ACCEPT' }] },
        ],
      }),
    )!;
    const [pod, cluster, target] = approved.groups;
    expect(shape(pod)).toEqual({
      roles: ['pod'],
      own: true,
      ingress: [
        `self ALL ALL ${podGroupId}`,
        `kubelet ALL ALL ${clusterGroupId}`,
        'asked TCP 8080 10.0.0.0/8',
      ],
      egress: ['egress ALL ALL 0.0.0.0/0'],
    });
    expect(shape(cluster)).toEqual({
      roles: ['cluster'],
      own: false,
      ingress: [`dns UDP 53 ${podGroupId}`, `dns TCP 53 ${podGroupId}`],
      egress: [],
    });
    expect(shape(target)).toEqual({
      roles: ['target'],
      own: false,
      ingress: [`target TCP 3306 ${podGroupId}`],
      egress: [],
    });
    expect(approved.policy).toEqual({
      namespace: 'shop',
      name: 'sgops-api',
      podSelector: { matchLabels: { app: 'api' } },
      groupIds: [podGroupId],
    });
    expect(approved.serviceAccountLabel).toBeNull();
  });

  it('writes the rules the way the grant did, so the repair restores them signed by this grant', () => {
    const approved = approvedState(grantRecord())!;
    const descriptions = approved.groups.flatMap((g) => g.ingress.map((a) => a.rule.description));
    expect(descriptions.every((d) => d?.startsWith(`sgops ${requestId}: `))).toBe(true);
  });

  it('with `using`, needs the kubelet checks in each named group and the asked rules in the first, none of them its own', () => {
    const approved = approvedState(
      grantRecord(
        {
          groups: { kind: 'existing', ids: ['sg-team0001', 'sg-team0002'] },
          egress: [],
          extraIngress: [{ protocol: 'TCP', port: '80', peer: { cidr: '10.1.0.0/16' }, action: 'ACCEPT' }],
        },
        {
          ensurePodSecurityGroup: {
            podGroupId: 'sg-team0001',
            created: false,
            groupIds: ['sg-team0001', 'sg-team0002'],
          },
        },
      ),
    )!;
    expect(approved.groups.map(shape)).toEqual([
      {
        roles: ['using'],
        own: false,
        ingress: [`kubelet ALL ALL ${clusterGroupId}`, 'asked TCP 80 10.1.0.0/16'],
        egress: [],
      },
      { roles: ['using'], own: false, ingress: [`kubelet ALL ALL ${clusterGroupId}`], egress: [] },
      {
        roles: ['cluster'],
        own: false,
        ingress: [
          'dns UDP 53 sg-team0001',
          'dns TCP 53 sg-team0001',
          'dns UDP 53 sg-team0002',
          'dns TCP 53 sg-team0002',
        ],
        egress: [],
      },
    ]);
    expect(approved.policy.groupIds).toEqual(['sg-team0001', 'sg-team0002']);
  });

  it("selects a service account's pods through sgops' label on the account, which must stay", () => {
    const approved = approvedState(
      grantRecord({
        target: { kind: 'serviceAccount', serviceAccount: 'billing' },
        podSelector: {},
        policyName: 'sgops-sa-billing',
      }),
    )!;
    expect(approved.policy.serviceAccountSelector).toEqual({
      matchLabels: { 'sgops/serviceaccount': 'billing' },
    });
    expect(approved.policy.podSelector).toBeUndefined();
    expect(approved.serviceAccountLabel).toEqual({
      namespace: 'shop',
      serviceAccount: 'billing',
      key: 'sgops/serviceaccount',
      value: 'billing',
    });
  });

  it('names a group once even when the grant writes into it for two reasons', () => {
    const approved = approvedState(
      grantRecord(
        {
          groups: { kind: 'existing', ids: ['sg-team0001'] },
          egress: [],
          targetGroups: [
            { securityGroupId: 'sg-team0001', rules: [{ protocol: 'TCP', port: '5432', action: 'ACCEPT' }] },
          ],
        },
        { ensurePodSecurityGroup: { podGroupId: 'sg-team0001', created: false, groupIds: ['sg-team0001'] } },
      ),
    )!;
    expect(approved.groups.map((g) => `${g.id} ${g.roles.join('+')}`)).toEqual([
      'sg-team0001 using+target',
      `${clusterGroupId} cluster`,
    ]);
    expect(approved.groups[0]!.ingress.map((a) => a.purpose)).toEqual(['kubelet', 'target']);
  });
});
