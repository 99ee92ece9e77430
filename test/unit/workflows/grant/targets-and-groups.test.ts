import { describe, expect, it } from 'vitest';
import type { PodInfo } from '../../../../src/ports/cluster.ts';
import { buildGrantInput } from '../../../../workflows/grant/build-grant-input.ts';
import { describeGrant, describeRequest } from '../../../../src/chat/render-grant.ts';
import { isSgopsRule, ruleLabel } from '../../../../workflows/shared/rules/rule-label.ts';
import { podGroupTags, policyGroupIds } from '../../../../workflows/shared/groups/find-pod-group.ts';
import { isTargetPod, podQueryOf, policySelectorOf } from '../../../../workflows/shared/pods/target-pods.ts';
import type { GrantOptions } from '../../../../src/commands/command.ts';

const input = (options: GrantOptions) =>
  buildGrantInput({
    options,
    requestId: 'R7K2P',
    requester: 'alice',
    clusterId: 'cls-abcd1234',
    namespace: 'shop',
    quorum: 1,
    approvalTimeoutMs: 1000,
    dryRun: false,
    autoApprove: false,
  });

const pod = (over: Partial<PodInfo>): PodInfo => ({
  name: 'p',
  namespace: 'shop',
  uid: 'u',
  labels: {},
  annotations: {},
  serviceAccountName: 'default',
  nodeName: null,
  phase: 'Running',
  ready: true,
  createdAt: '',
  owners: [],
  securityGroupIds: [],
  ...over,
});

describe('a service account target', () => {
  const { spec } = input({ target: { kind: 'serviceAccount', serviceAccount: 'api' } });

  it('gets its own names and no pod labels to select', () => {
    expect(spec).toMatchObject({
      target: { kind: 'serviceAccount', serviceAccount: 'api' },
      podSelector: {},
      podGroupName: 'sgops-shop-sa:api',
      policyName: 'sgops-sa.api',
    });
    expect(spec.groups).toBeUndefined();
  });

  it('lists the pods running as the account, by field selector', () => {
    expect(podQueryOf(spec)).toEqual({ labelSelector: '', fieldSelector: 'spec.serviceAccountName=api' });
    expect(isTargetPod(spec, pod({ serviceAccountName: 'api' }))).toBe(true);
    expect(isTargetPod(spec, pod({ serviceAccountName: 'batch', labels: { app: 'api' } }))).toBe(false);
  });

  it('selects, in the policy, the label sgops puts on the account — never pod labels', () => {
    expect(policySelectorOf(spec)).toEqual({
      serviceAccountSelector: { matchLabels: { 'sgops/serviceaccount': 'api' } },
    });
  });

  it('tags its pod group with the account, not an app', () => {
    expect(podGroupTags(spec)).toEqual({
      'sgops/cluster': 'cls-abcd1234',
      'sgops/namespace': 'shop',
      'sgops/serviceaccount': 'api',
      'sgops/managed': 'true',
    });
  });

  it('is described as such in both languages', () => {
    expect(describeGrant({ spec }, 'en')).toBe('grant pod SG to serviceaccount api in shop on cls-abcd1234');
    expect(describeGrant({ spec }, 'zh')).toBe(
      '为集群 cls-abcd1234 命名空间 shop 的服务账号 api 授予 Pod 安全组',
    );
    expect(describeRequest('revoke', { spec }, 'en')).toBe(
      'revoke pod SG from serviceaccount api in shop on cls-abcd1234',
    );
  });
});

describe('an app target', () => {
  const { spec } = input({ target: { kind: 'app', app: 'web' } });

  it('keeps the app names, label selector and tags', () => {
    expect(spec).toMatchObject({
      podSelector: { app: 'web' },
      podGroupName: 'sgops-shop-web',
      policyName: 'sgops-web',
    });
    expect(podQueryOf(spec)).toEqual({ labelSelector: 'app=web' });
    expect(policySelectorOf(spec)).toEqual({ podSelector: { matchLabels: { app: 'web' } } });
    expect(podGroupTags(spec)['sgops/app']).toBe('web');
    expect(isTargetPod(spec, pod({ labels: { app: 'web' } }))).toBe(true);
    expect(isTargetPod(spec, pod({ labels: { app: 'api' } }))).toBe(false);
  });
});

describe('`as group <name>`', () => {
  const { spec } = input({ target: { kind: 'app', app: 'web' }, groups: { kind: 'named', name: 'shared' } });

  it('names the pod group and tags it by that name, so that every app naming it finds the same group', () => {
    expect(spec.podGroupName).toBe('shared');
    expect(spec.groups).toEqual({ kind: 'named', name: 'shared' });
    const tags = podGroupTags(spec);
    expect(tags['sgops/group']).toBe('shared');
    expect(tags['sgops/app']).toBeUndefined();
    const other = input({
      target: { kind: 'app', app: 'api' },
      groups: { kind: 'named', name: 'shared' },
    }).spec;
    expect(podGroupTags(other)).toEqual(tags);
    expect(describeGrant({ spec }, 'en')).toBe(
      'grant pod SG to app web in shop on cls-abcd1234 as group shared',
    );
  });
});

describe('`using <sg-id>,…`', () => {
  it('names the existing groups once each and leaves their egress alone unless asked', () => {
    const { spec } = input({
      target: { kind: 'app', app: 'web' },
      groups: { kind: 'existing', ids: ['sg-aaaa1111', 'sg-bbbb2222', 'sg-aaaa1111'] },
    });
    expect(spec.groups).toEqual({ kind: 'existing', ids: ['sg-aaaa1111', 'sg-bbbb2222'] });
    expect(spec.egress).toEqual([]);
    expect(describeGrant({ spec }, 'zh')).toContain('（使用 sg-aaaa1111,sg-bbbb2222）');
  });

  it('carries `allow` rules, each labelled with the request, for the first named group', () => {
    const { spec } = input({
      target: { kind: 'app', app: 'web' },
      groups: { kind: 'existing', ids: ['sg-aaaa1111'] },
      allow: [
        { protocol: 'TCP', ports: '443', direction: 'from', peer: { cidr: '10.0.0.0/8' } },
        { protocol: 'TCP', ports: '9000', direction: 'to', peer: { cidr: '10.2.0.0/16' } },
        { protocol: 'TCP', ports: '3306', direction: 'to', peer: { securityGroupId: 'sg-db000001' } },
      ],
    });
    expect(spec.extraIngress).toHaveLength(1);
    expect(spec.egress).toHaveLength(1);
    expect(spec.targetGroups).toEqual([
      { securityGroupId: 'sg-db000001', rules: [expect.objectContaining({ protocol: 'TCP', port: '3306' })] },
    ]);
    for (const rule of [...spec.extraIngress!, ...spec.egress]) expect(isSgopsRule(rule, 'R7K2P')).toBe(true);
  });

  it('puts all the named groups in the policy', () => {
    expect(policyGroupIds({ podGroupId: 'sg-aaaa1111', groupIds: ['sg-aaaa1111', 'sg-bbbb2222'] })).toEqual([
      'sg-aaaa1111',
      'sg-bbbb2222',
    ]);
    expect(policyGroupIds({ podGroupId: 'sg-cccc3333' })).toEqual(['sg-cccc3333']);
  });
});

describe('which rules sgops wrote', () => {
  const rule = (description?: string) => ({
    protocol: 'TCP' as const,
    port: '53',
    peer: { securityGroupId: 'sg-aaaa1111' },
    action: 'ACCEPT' as const,
    ...(description === undefined ? {} : { description }),
  });

  it('knows them by the request id in their description', () => {
    expect(isSgopsRule(rule(`${ruleLabel('R7K2P')}: DNS from pods`))).toBe(true);
    expect(isSgopsRule(rule('sgops R7K2P: DNS from pods'), 'R7K2P')).toBe(true);
    expect(isSgopsRule(rule('sgops R7K2P: DNS from pods'), 'R7K2')).toBe(false);
    expect(isSgopsRule(rule('sgops R7K2PX: DNS from pods'), 'R7K2P')).toBe(false);
  });

  it('never takes a rule someone else wrote, or one without a description, for its own', () => {
    for (const description of [
      undefined,
      '',
      'DNS',
      'written by hand: sgops R7K2P: x',
      'sgops: x',
      'sgops r7k2p: x',
    ])
      expect(isSgopsRule(rule(description)), String(description)).toBe(false);
  });
});
