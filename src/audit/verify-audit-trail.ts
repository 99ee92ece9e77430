/**
 * Verifies a whole stored audit trail, page by page, against an optional checkpoint of the head
 * kept outside the database. The checkpoint usually lags the live head by a second or so, so
 * rows after it are legitimate: the chain must reach the checkpoint and agree with it there,
 * and may continue beyond it. What the chain cannot show by itself — a cut tail — the
 * checkpoint shows as `truncated`.
 */
import type { AuditRow, Store } from '../store/store.ts';
import type { AuditCheckpoint } from './audit-checkpoint.ts';
import { genesisHash } from './audit-hash.ts';
import { auditPages } from './audit-pages.ts';
import { verifyAuditChain, type AuditChainProblem, type ChainPoint } from './verify-audit-chain.ts';

export type AuditTrailProblem = 'changed' | 'removed' | 'inserted' | 'truncated';

export interface AuditTrailBreak {
  /** The first row that is wrong (or, for removed and truncated, the first one missing). */
  seq: number;
  problem: AuditTrailProblem;
  /** One sentence for people: what exactly does not hold. */
  detail: string;
}

export interface AuditTrailReport {
  ok: boolean;
  /** Rows that verified (all of them when ok). */
  count: number;
  /** The last row that verified; null for an empty trail. */
  head: ChainPoint | null;
  /** The trusted head that was checked, without its MAC; null when none was given. */
  checkpoint: Omit<AuditCheckpoint, 'mac'> | null;
  broken: AuditTrailBreak | null;
  /** With a request filter: that request's rows, and how many of them sit at or after the break. */
  request?: { id: string; count: number; affected: number };
}

export interface VerifyAuditTrailOptions {
  /** A checkpoint whose MAC was already checked (see parseAuditCheckpoint). */
  checkpoint?: AuditCheckpoint | null;
}

const details: Record<AuditChainProblem, (seq: number) => string> = {
  changed: (seq) => `row ${seq} does not match its MAC: its content, hash or prevHash was changed`,
  inserted: (seq) => `row ${seq} has no valid MAC and the next row links past it: it was inserted`,
  removed: (seq) => `row ${seq} is missing: the next row links to a row that is no longer there`,
  'broken-link': (seq) => `row ${seq} is signed but does not link to the row before it`,
};

export async function verifyAuditTrail(
  pages: AsyncIterable<AuditRow[]> | Iterable<AuditRow[]>,
  key: string,
  options: VerifyAuditTrailOptions = {},
): Promise<AuditTrailReport> {
  const checkpoint = options.checkpoint ?? null;
  let anchor: ChainPoint = { seq: 0, hash: genesisHash };
  let count = 0;
  let pending: AuditRow[] | null = null;
  let checkpointSeen = false;
  const report = (broken: AuditTrailBreak | null): AuditTrailReport => ({
    ok: broken === null,
    count,
    head: anchor.seq === 0 ? null : anchor,
    checkpoint:
      checkpoint === null ? null : { seq: checkpoint.seq, hash: checkpoint.hash, at: checkpoint.at },
    broken,
  });

  /** Verifies `rows` after the anchor; `next` (the next page's first row) only tells inserted from changed. */
  const check = (rows: AuditRow[], next: AuditRow | undefined): AuditTrailBreak | null => {
    const verdict = verifyAuditChain(next === undefined ? rows : [...rows, next], key, { anchor });
    // A verdict about the look-ahead row is left to the next round, where it has its own look-ahead.
    const good = verdict.ok || verdict.seq === next?.seq ? rows : rows.filter((r) => r.seq < verdict.seq);
    for (const row of good) {
      if (checkpoint !== null && row.seq === checkpoint.seq) {
        checkpointSeen = true;
        if (row.hash !== checkpoint.hash) {
          return {
            seq: row.seq,
            problem: 'changed',
            detail: `row ${row.seq} is not the row the checkpoint of ${checkpoint.at} vouches for: the chain was rebuilt from there`,
          };
        }
      }
      anchor = { seq: row.seq, hash: row.hash };
      count += 1;
    }
    if (verdict.ok || verdict.seq === next?.seq) return null;
    return {
      seq: verdict.seq,
      problem: verdict.problem === 'broken-link' ? 'changed' : verdict.problem,
      detail: details[verdict.problem](verdict.seq),
    };
  };

  for await (const page of pages) {
    if (page.length === 0) continue;
    const sorted = [...page].sort((a, b) => a.seq - b.seq);
    if (pending !== null) {
      const broken = check(pending, sorted[0]);
      if (broken) return report(broken);
    }
    pending = sorted;
  }
  if (pending !== null) {
    const broken = check(pending, undefined);
    if (broken) return report(broken);
  }
  if (checkpoint !== null && !checkpointSeen && checkpoint.seq > anchor.seq) {
    return report({
      seq: anchor.seq + 1,
      problem: 'truncated',
      detail: `the checkpoint of ${checkpoint.at} says the chain reached row ${checkpoint.seq}, but it ends at row ${anchor.seq}: the last ${checkpoint.seq - anchor.seq} row(s) were removed`,
    });
  }
  return report(null);
}

/**
 * Verifies the whole stored chain (a request's rows cannot be verified apart from the rows
 * around them); with `requestId`, also says how many of that request's rows the break touches.
 */
export async function verifyStoredAudit(
  store: Pick<Store, 'listAudit'>,
  key: string,
  options: VerifyAuditTrailOptions & { requestId?: string; pageSize?: number } = {},
): Promise<AuditTrailReport> {
  const pageSize = options.pageSize === undefined ? {} : { pageSize: options.pageSize };
  const report = await verifyAuditTrail(auditPages(store, pageSize), key, options);
  if (options.requestId === undefined) return report;
  let requestCount = 0;
  let affected = 0;
  for await (const page of auditPages(store, { ...pageSize, requestId: options.requestId })) {
    requestCount += page.length;
    if (report.broken) affected += page.filter((row) => row.seq >= report.broken!.seq).length;
  }
  return { ...report, request: { id: options.requestId, count: requestCount, affected } };
}
