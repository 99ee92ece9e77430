/** The human line(s) of `sgops audit verify`; `--json` prints the report itself instead. */
import type { AuditTrailReport } from './verify-audit-trail.ts';

export function shortHash(hash: string): string {
  return `${hash.slice(0, 12)}…`;
}

export function formatAuditReport(report: AuditTrailReport): string {
  const lines: string[] = [];
  if (report.broken === null) {
    const head =
      report.head === null ? 'empty' : `head seq ${report.head.seq} hash ${shortHash(report.head.hash)}`;
    lines.push(`audit chain OK: ${report.count} rows, ${head}`);
    lines.push(
      report.checkpoint === null
        ? '  no checkpoint given: rows cut from the tail would go unnoticed (pass --checkpoint FILE)'
        : `  checkpoint of ${report.checkpoint.at} (seq ${report.checkpoint.seq}) matches the chain`,
    );
  } else {
    const { seq, problem, detail } = report.broken;
    lines.push(`audit chain BROKEN at seq ${seq}: ${problem} (${detail})`);
    lines.push(`  ${report.count} rows verified before it`);
  }
  if (report.request) {
    const { id, count, affected } = report.request;
    lines.push(
      report.broken === null
        ? `  request ${id}: ${count} rows`
        : `  request ${id}: ${count} rows, ${affected} at or after seq ${report.broken.seq}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
