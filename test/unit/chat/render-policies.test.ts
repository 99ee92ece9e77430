import { describe, expect, it } from 'vitest';
import { replyTexts } from '../../../src/chat/reply-texts.ts';
import {
  policiesShownAtMost,
  policiesToShow,
  renderPolicies,
  requestOf,
} from '../../../src/chat/render-policies.ts';
import type { PoliciesView } from '../../../src/chat/render-policies.ts';
import type { PodInfo, SecurityGroupPolicyInfo } from '../../../src/ports/cluster.ts';

function pod(name: string, over: Partial<PodInfo> = {}): PodInfo {
  return {
    name,
    namespace: 'shop',
    uid: `uid-${name}`,
    labels: { app: 'web' },
    annotations: {},
    serviceAccountName: 'default',
    nodeName: 'eklet-1',
    phase: 'Running',
    ready: true,
    createdAt: '2024-05-01T10:00:00Z',
    owners: [],
    securityGroupIds: [],
    ...over,
  };
}

const managed: SecurityGroupPolicyInfo = {
  name: 'sgops-web',
  namespace: 'shop',
  labels: { 'app.kubernetes.io/managed-by': 'sgops', 'sgops/request': 'R7K2P' },
  podSelector: { matchLabels: { app: 'web' } },
  groupIds: ['sg-a1b2c3d4'],
};

const handMade: SecurityGroupPolicyInfo = {
  name: 'payments',
  namespace: 'shop',
  serviceAccountSelector: { matchLabels: { team: 'payments' } },
  groupIds: ['sg-db123456', 'sg-cafe0001'],
};

const pods: PodInfo[] = [
  pod('web-1', { securityGroupIds: ['sg-a1b2c3d4'] }),
  pod('web-2'),
  pod('web-3', { nodeName: 'node-1' }),
  pod('web-4', { nodeName: null, phase: 'Pending' }),
  pod('web-other-ns', { namespace: 'blog' }),
  pod('pay-1', {
    labels: { app: 'pay' },
    serviceAccountName: 'payer',
    securityGroupIds: ['sg-db123456', 'sg-cafe0001'],
  }),
];

function view(over: Partial<PoliciesView> = {}): PoliciesView {
  return {
    namespace: 'shop',
    total: 2,
    shown: [handMade, managed],
    pods,
    accounts: [
      { name: 'payer', namespace: 'shop', labels: { team: 'payments' } },
      { name: 'default', namespace: 'shop', labels: {} },
      { name: 'payer', namespace: 'blog', labels: {} },
    ],
    superNodes: new Set(['eklet-1']),
    requestStates: new Map([['R7K2P', 'done']]),
    ...over,
  };
}

describe('the answer to status policies', () => {
  it('describes each policy: selector, groups, who manages it, and the pods it selects on super nodes and elsewhere', () => {
    const text = renderPolicies(view(), replyTexts.en);
    expect(text.split('\n')).toEqual([
      'SecurityGroupPolicies in shop (2):',
      '- payments in shop · selects service accounts team=payments · groups sg-db123456,sg-cafe0001 · not managed by sgops · pods: 1 on super nodes (1 with its groups), 0 elsewhere',
      '- sgops-web in shop · selects pods app=web · groups sg-a1b2c3d4 · managed by sgops, request R7K2P (done) · pods: 2 on super nodes (1 with its groups), 2 elsewhere',
    ]);
  });

  it('answers in Chinese with the same facts', () => {
    const text = renderPolicies(view(), replyTexts.zh);
    expect(text).toContain('命名空间 shop 中的 SecurityGroupPolicy（共 2 个）');
    expect(text).toContain(
      '- sgops-web（命名空间 shop）· 选择 Pod 标签 app=web · 安全组 sg-a1b2c3d4 · 由 sgops 管理，请求 R7K2P（已完成） · Pod：超级节点上 2 个（其中 1 个已带安全组），其他 2 个',
    );
    expect(text).toContain('服务账号标签 team=payments');
    expect(text).toContain('非 sgops 管理');
  });

  it('says so when the request that made a policy is not in the store', () => {
    const text = renderPolicies(view({ requestStates: new Map() }), replyTexts.en);
    expect(text).toContain('managed by sgops, request R7K2P (not in its records)');
  });

  it('does not take a request label on a policy sgops does not manage as its request', () => {
    const forged = { ...handMade, labels: { 'sgops/request': 'R7K2P' } };
    expect(requestOf(forged)).toBeNull();
    expect(requestOf(managed)).toBe('R7K2P');
    expect(renderPolicies(view({ shown: [forged], total: 1 }), replyTexts.en)).toContain(
      'not managed by sgops',
    );
  });

  it('renders set-based selectors, the empty selector and a policy without any', () => {
    const sets: SecurityGroupPolicyInfo = {
      name: 'sets',
      namespace: 'shop',
      podSelector: {
        matchLabels: { tier: 'api' },
        matchExpressions: [
          { key: 'app', operator: 'In', values: ['web', 'pay'] },
          { key: 'canary', operator: 'DoesNotExist' },
        ],
      },
      groupIds: ['sg-a1b2c3d4'],
    };
    const everything = { ...sets, name: 'everything', podSelector: {} };
    const none: SecurityGroupPolicyInfo = { name: 'none', namespace: 'shop', groupIds: [] };
    const lines = renderPolicies(view({ shown: [sets, everything, none], total: 3 }), replyTexts.en).split(
      '\n',
    );
    expect(lines[1]).toContain('selects pods tier=api,app in (web,pay),!canary · ');
    expect(lines[1]).toContain('pods: 0 on super nodes (0 with its groups), 0 elsewhere');
    expect(lines[2]).toContain('selects all pods · ');
    expect(lines[2]).toContain('pods: 3 on super nodes (1 with its groups), 2 elsewhere');
    expect(lines[3]).toContain('selects nothing (no selector) · groups - · ');
    expect(lines[3]).toContain('pods: 0 on super nodes');
  });

  it('says plainly when there are none, for one namespace and for all the person may see', () => {
    expect(renderPolicies(view({ total: 0, shown: [] }), replyTexts.en)).toBe(
      'There are no SecurityGroupPolicies in shop.',
    );
    expect(renderPolicies(view({ namespace: undefined, total: 0, shown: [] }), replyTexts.en)).toBe(
      'There are no SecurityGroupPolicies in the namespaces you may request or approve for.',
    );
    expect(renderPolicies(view({ namespace: undefined, total: 0, shown: [] }), replyTexts.zh)).toBe(
      '您可申请或审批的命名空间中没有 SecurityGroupPolicy。',
    );
  });

  it(`shows at most ${policiesShownAtMost}, sorted by namespace and name, and counts the rest`, () => {
    const many = Array.from({ length: 25 }, (_, i) => ({
      ...managed,
      name: `p-${String(24 - i).padStart(2, '0')}`,
      namespace: i % 2 === 0 ? 'b-ns' : 'a-ns',
    }));
    const shown = policiesToShow(many);
    expect(shown).toHaveLength(policiesShownAtMost);
    expect(shown.map((p) => `${p.namespace}/${p.name}`).slice(0, 2)).toEqual(['a-ns/p-01', 'a-ns/p-03']);
    const text = renderPolicies(view({ namespace: undefined, shown, total: many.length }), replyTexts.en);
    const lines = text.split('\n');
    expect(lines[0]).toBe('SecurityGroupPolicies in the namespaces you may request or approve for (25):');
    expect(lines).toHaveLength(1 + policiesShownAtMost + 1);
    expect(lines.at(-1)).toBe('…and 5 more');
    expect(
      renderPolicies(view({ shown, total: many.length }), replyTexts.zh)
        .split('\n')
        .at(-1),
    ).toBe('……还有 5 个');
  });
});
