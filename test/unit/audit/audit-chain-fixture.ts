/** Builds genuine audit chains in memory, the way the store appends them. */
import { createHash } from 'node:crypto';
import { auditHashFields, computeAuditHash, genesisHash } from '../../../src/audit/audit-hash.ts';
import { canonicalJson } from '../../../src/audit/canonical-json.ts';
import type { AuditRow } from '../../../src/store/store.ts';

export const fixtureKey = 'unit-test-audit-key-with-enough-entropy';

export function buildChain(
  length: number,
  key = fixtureKey,
  from = { seq: 0, hash: genesisHash },
): AuditRow[] {
  const rows: AuditRow[] = [];
  let prevHash = from.hash;
  for (let i = 1; i <= length; i++) {
    const row: Omit<AuditRow, 'hash'> = {
      seq: from.seq + i,
      at: new Date(Date.UTC(2025, 0, 1, 0, 0, i)),
      requestId: 'R7K2',
      actor: 'worker',
      kind: i % 2 === 1 ? 'intent' : 'outcome',
      system: 'tencentcloud',
      action: 'CreateSecurityGroupPolicies',
      target: 'sg-pod0001/ingress',
      outcome: i % 2 === 1 ? null : 'ok',
      durationMs: i % 2 === 1 ? null : 40 + i,
      cloudRequestId: i % 2 === 1 ? null : `req-${i}`,
      details: { step: 'allowDns', index: i },
      callId: `call-${Math.ceil(i / 2)}`,
      prevHash,
    };
    prevHash = computeAuditHash(key, row);
    rows.push({ ...row, hash: prevHash });
  }
  return rows;
}

/** What an attacker without the key can do: recompute every link with plain SHA-256. */
export function rehashWithoutKey(rows: readonly AuditRow[]): AuditRow[] {
  let prevHash = genesisHash;
  return rows.map((row) => {
    const rewritten = { ...row, prevHash };
    prevHash = createHash('sha256')
      .update(`${prevHash}\n${canonicalJson(auditHashFields(rewritten))}`)
      .digest('hex');
    return { ...rewritten, hash: prevHash };
  });
}
