/**
 * The chain's link: hash = hex(HMAC-SHA256(key, prevHash + '\n' + canonicalJson(fields))).
 * The key lives in configuration, never in the database, so someone who can rewrite rows
 * cannot recompute valid hashes.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { AuditRow } from '../store/store.ts';
import { canonicalJson } from './canonical-json.ts';

export const genesisHash = '0'.repeat(64);

/** Exactly the fields that are hashed: the row without `hash`, in a fixed shape. */
export function auditHashFields(row: Omit<AuditRow, 'hash'>): Record<string, unknown> {
  return {
    seq: row.seq,
    at: row.at.toISOString(),
    requestId: row.requestId,
    actor: row.actor,
    kind: row.kind,
    system: row.system,
    action: row.action,
    target: row.target,
    outcome: row.outcome,
    durationMs: row.durationMs,
    cloudRequestId: row.cloudRequestId,
    details: row.details,
    callId: row.callId,
    prevHash: row.prevHash,
  };
}

export function computeAuditHash(key: string, row: Omit<AuditRow, 'hash'>): string {
  return createHmac('sha256', key)
    .update(`${row.prevHash}\n${canonicalJson(auditHashFields(row))}`)
    .digest('hex');
}

/** Constant-time comparison, so a verifier does not leak how much of a forged hash matched. */
export function auditHashMatches(key: string, row: AuditRow): boolean {
  const expected = Buffer.from(computeAuditHash(key, row), 'utf8');
  const actual = Buffer.from(row.hash, 'utf8');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
