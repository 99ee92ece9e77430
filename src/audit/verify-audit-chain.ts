/**
 * Checks a run of audit rows against the keyed hash chain and names the first bad row.
 *
 * What the chain alone can and cannot prove:
 * - a changed row (content, hash or prevHash) fails its MAC → 'changed';
 * - a forged row between two genuine ones fails its MAC while the next row still links to
 *   the previous one → 'inserted' (also a duplicate or out-of-order seq);
 * - a removed middle row leaves a gap in the gapless seq and a dangling prevHash → 'removed'
 *   (`seq` is then the first missing number);
 * - a valid MAC whose prevHash does not match its predecessor → 'broken-link';
 * - removed rows at the *tail* leave a shorter, perfectly valid chain: only a checkpoint of
 *   the head kept elsewhere (pass it as `head`) reveals them. Likewise a forged row appended
 *   after the last one reads as 'changed' unless `head` shows it lies beyond the head.
 */
import type { AuditRow } from '../store/store.ts';
import { auditHashMatches, genesisHash } from './audit-hash.ts';

export type AuditChainProblem = 'changed' | 'removed' | 'inserted' | 'broken-link';

export type AuditChainVerdict =
  { ok: true; count: number } | { ok: false; seq: number; problem: AuditChainProblem };

export interface ChainPoint {
  seq: number;
  hash: string;
}

export interface VerifyAuditChainOptions {
  /** Where the rows continue from (seq and hash of the row before the first); genesis by default. */
  anchor?: ChainPoint;
  /** A trusted checkpoint of the chain's head (e.g. audit_head copied elsewhere): detects a cut tail. */
  head?: ChainPoint;
}

export function verifyAuditChain(
  rows: readonly AuditRow[],
  key: string,
  options: VerifyAuditChainOptions = {},
): AuditChainVerdict {
  const sorted = [...rows].sort((a, b) => a.seq - b.seq);
  const { head } = options;
  let prevSeq = options.anchor?.seq ?? 0;
  let prevHash = options.anchor?.hash ?? genesisHash;
  for (let i = 0; i < sorted.length; i++) {
    const row = sorted[i]!;
    if (row.seq <= prevSeq) return fail(row.seq, 'inserted');
    if (head !== undefined && row.seq > head.seq) return fail(row.seq, 'inserted');
    if (!auditHashMatches(key, row)) {
      const next = sorted[i + 1];
      return fail(row.seq, next !== undefined && next.prevHash === prevHash ? 'inserted' : 'changed');
    }
    if (row.prevHash !== prevHash) {
      return row.seq > prevSeq + 1 ? fail(prevSeq + 1, 'removed') : fail(row.seq, 'broken-link');
    }
    // A genuine chain is gapless, so a valid link across a gap means the numbering was forged.
    if (row.seq !== prevSeq + 1) return fail(row.seq, 'broken-link');
    prevSeq = row.seq;
    prevHash = row.hash;
  }
  if (head !== undefined) {
    if (head.seq > prevSeq) return fail(prevSeq + 1, 'removed');
    if (head.hash !== prevHash) return fail(prevSeq, 'changed');
  }
  return { ok: true, count: sorted.length };
}

function fail(seq: number, problem: AuditChainProblem): AuditChainVerdict {
  return { ok: false, seq, problem };
}
