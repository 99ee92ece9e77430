import { describe, expect, it } from 'vitest';
import { summariseAudit } from '../../../src/audit/summarise-audit.ts';
import type { AuditEntry, AuditRow } from '../../../src/store/store.ts';

const base = Date.UTC(2025, 2, 4, 9, 30, 0);

function rowsOf(entries: Partial<AuditEntry>[]): AuditRow[] {
  return entries.map((entry, i) => ({
    requestId: 'R7K2',
    actor: 'sgops',
    kind: 'intent',
    system: 'tencentcloud',
    action: 'DescribeSecurityGroups',
    target: '',
    outcome: null,
    durationMs: null,
    cloudRequestId: null,
    details: {},
    callId: null,
    ...entry,
    seq: 40 + i,
    at: new Date(base + i * 1000),
    prevHash: '0'.repeat(64),
    hash: '1'.repeat(64),
  }));
}

const decision = (actor: string, action: string, outcome = 'accepted') =>
  ({
    kind: 'decision',
    system: 'chat',
    actor,
    action,
    target: 'R7K2',
    outcome,
    details: { platform: 'wecom', conversationId: 'c1', messageId: `m-${actor}-${action}` },
  }) satisfies Partial<AuditEntry>;

const call = (
  system: 'tencentcloud' | 'kubernetes',
  action: string,
  callId: string,
  target: string,
  outcome: string | null,
  cloudRequestId: string | null = null,
): Partial<AuditEntry>[] => [
  { kind: 'intent', system, action, callId, target },
  ...(outcome === null
    ? []
    : [{ kind: 'outcome' as const, system, action, callId, target, outcome, cloudRequestId }]),
];

const run = rowsOf([
  decision('alice', 'request'),
  decision('dave', 'approve', 'refused:not_an_approver'),
  decision('bob', 'approve'),
  ...call('tencentcloud', 'DescribeSecurityGroups', 'c1', 'name=sgops-shop-cart', 'ok', 'req-d1'),
  ...call('tencentcloud', 'CreateSecurityGroup', 'c2', 'sgops-shop-cart', 'ok', 'req-create-1'),
  ...call('tencentcloud', 'DescribeSecurityGroups', 'c3', 'sg-pod0001', 'ok', 'req-d2'),
  ...call(
    'tencentcloud',
    'CreateSecurityGroupPolicies',
    'c4',
    'sg-cls/ingress',
    'CLOUD_THROTTLED',
    'req-dns-1',
  ),
  ...call('tencentcloud', 'CreateSecurityGroupPolicies', 'c5', 'sg-cls/ingress', 'ok', 'req-dns-2'),
  ...call('kubernetes', 'create securitygrouppolicies', 'k1', 'shop/sgops-cart', 'ok'),
  ...call('kubernetes', 'patch deployments', 'k2', 'shop/Deployment/cart', null),
]);

describe('summariseAudit', () => {
  it('tells a security reviewer who decided, what was called and which cloud writes carry which RequestId', () => {
    const text = summariseAudit(run, 'en', { chain: { ok: true, broken: null } });
    expect(text.split('\n')).toEqual([
      'Audit trail of R7K2: 16 rows (seq 40–55)',
      'Requested by alice — wecom, 2025-03-04 09:30:00 UTC',
      'Refused: dave tried to approve (not_an_approver) — wecom, 2025-03-04 09:30:01 UTC',
      'Approved by bob — wecom, 2025-03-04 09:30:02 UTC',
      'Tencent Cloud calls:',
      '  DescribeSecurityGroups — 2 calls: ok 2',
      '  CreateSecurityGroup — 1 call: ok 1',
      '  CreateSecurityGroupPolicies — 2 calls: CLOUD_THROTTLED 1, ok 1',
      'Kubernetes calls:',
      '  create securitygrouppolicies — 1 call: ok 1',
      '  patch deployments — 1 call: 1 without an outcome',
      'Cloud RequestIds of writes:',
      '  CreateSecurityGroup sgops-shop-cart: req-create-1',
      '  CreateSecurityGroupPolicies sg-cls/ingress: req-dns-1 (CLOUD_THROTTLED)',
      '  CreateSecurityGroupPolicies sg-cls/ingress: req-dns-2',
      'Chain: verified (these 16 rows included).',
    ]);
  });

  it('answers in Chinese', () => {
    const text = summariseAudit(run, 'zh', { chain: { ok: true, broken: null } });
    expect(text).toContain('R7K2 的审计记录：共 16 行');
    expect(text).toContain('alice 申请——wecom, 2025-03-04 09:30:00 UTC');
    expect(text).toContain('bob 批准');
    expect(text).toContain('未受理：dave 试图批准（not_an_approver）');
    expect(text).not.toContain('已拒绝');
    expect(text).toContain('腾讯云调用：');
    expect(text).toContain('`CreateSecurityGroupPolicies` — 2 次调用：CLOUD_THROTTLED 1, ok 1');
    expect(text).toContain('1 次没有结果');
    expect(text).toContain('写操作的云 RequestId：');
    expect(text).toContain('审计链：校验通过');
  });

  it('says how many of the request’s rows lie at or after a break in the chain', () => {
    const broken = { ok: false, broken: { seq: 52, problem: 'changed' as const, detail: '' } };
    expect(summariseAudit(run, 'en', { chain: broken })).toContain(
      'Chain: BROKEN at seq 52 (changed); 4 of these 16 rows are at or after it and cannot be trusted.',
    );
    expect(summariseAudit(run, 'zh', { chain: broken })).toContain(
      '审计链：在 seq 52 处损坏（changed）；这 16 行中有 4 行',
    );
    expect(summariseAudit(run, 'en')).toContain('Chain: not checked.');
  });

  it('says so when a request has no audit rows', () => {
    expect(summariseAudit([], 'en', { requestId: 'ZZ99' })).toBe('No audit rows for ZZ99.');
    expect(summariseAudit([], 'zh', { requestId: 'ZZ99' })).toBe('ZZ99 没有审计记录。');
  });

  it('counts an outcome whose intent is missing as a call, and reports no writes when there were none', () => {
    const rows = rowsOf([
      { kind: 'outcome', action: 'DescribeSecurityGroups', callId: 'lost', outcome: 'ok' },
      decision('alice', 'cancel'),
    ]);
    const text = summariseAudit(rows, 'en');
    expect(text).toContain('  DescribeSecurityGroups — 1 call: ok 1');
    expect(text).toContain('Cancelled by alice');
    expect(text).toContain('No cloud writes.');
  });
});
