import { describe, expect, it } from 'vitest';
import type { AuditRow } from '../../../src/store/store.ts';
import { uncertainWriteReport } from '../../helpers/uncertain-writes.ts';

let calls = 0;

/** A trail of calls for one request: `[action, target, outcome]` in the order they were made. */
function trail(made: [string, string, string][], requestId = 'R1'): AuditRow[] {
  let seq = 0;
  return made.flatMap(([action, target, outcome]) => {
    const base = {
      requestId,
      actor: 'sgops',
      system: 'tencentcloud' as const,
      action,
      target,
      durationMs: 1,
      cloudRequestId: null,
      details: {},
      callId: `call-${++calls}`,
      at: new Date(0),
      prevHash: '',
      hash: '',
    };
    return [
      { ...base, kind: 'intent' as const, outcome: null, seq: ++seq },
      { ...base, kind: 'outcome' as const, outcome, seq: ++seq },
    ];
  });
}

describe('the audit check that every write of unknown outcome is read back before the next write', () => {
  it('accepts a lost rule write followed by a read of its group, then the write of what is missing', () => {
    const report = uncertainWriteReport(
      trail([
        ['DescribeSecurityGroupPolicies', 'sg-pod', 'ok'],
        ['CreateSecurityGroupPolicies', 'sg-pod/ingress', 'CLOUD_OUTCOME_UNKNOWN'],
        ['DescribeSecurityGroupPolicies', 'sg-pod', 'ok'],
        ['CreateSecurityGroupPolicies', 'sg-pod/egress', 'ok'],
      ]),
    );
    expect(report.problems).toEqual([]);
    expect(report.uncertain).toEqual([
      expect.objectContaining({
        target: 'sg-pod/ingress',
        resolvedBy: 'DescribeSecurityGroupPolicies sg-pod',
      }),
    ]);
  });

  it('names a write repeated without a read, a read that failed, and a write never read back', () => {
    const blind = uncertainWriteReport(
      trail([
        ['CreateSecurityGroup', 'sgops-team-01-app-01', 'CLOUD_OUTCOME_UNKNOWN'],
        ['DescribeSecurityGroups', 'name=sgops-team-01-app-01', 'CLOUD_INTERNAL'],
        ['DescribeSecurityGroupPolicies', 'sg-other', 'ok'],
        ['CreateSecurityGroup', 'sgops-team-01-app-01', 'ok'],
        ['CreateSecurityGroupPolicies', 'sg-pod/ingress', 'INTERRUPTED'],
      ]),
    );
    expect(blind.problems).toHaveLength(2);
    expect(blind.problems[0]).toMatch(
      /CreateSecurityGroup sgops-team-01-app-01 .* no read of name:sgops-team-01-app-01/,
    );
    expect(blind.problems[1]).toMatch(/sg-pod\/ingress \(INTERRUPTED\) was never read back/);
  });

  it('judges each request by its own calls: another grant reading the group settles nothing', () => {
    const rows = [
      ...trail([['CreateSecurityGroupPolicies', 'sg-cluster/ingress', 'CLOUD_OUTCOME_UNKNOWN']], 'R1'),
      ...trail([['DescribeSecurityGroupPolicies', 'sg-cluster', 'ok']], 'R2'),
      ...trail([['CreateSecurityGroupPolicies', 'sg-cluster/ingress', 'ok']], 'R1'),
    ].map((row, i) => ({ ...row, seq: i + 1 }));
    expect(uncertainWriteReport(rows).problems).toEqual([
      expect.stringMatching(/^R1: CreateSecurityGroupPolicies sg-cluster\/ingress .* no read of sg-cluster/),
    ]);
  });
});
