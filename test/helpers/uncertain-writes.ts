/**
 * Reads the audit trail for Tencent Cloud writes of unknown outcome (CLOUD_OUTCOME_UNKNOWN: a 5xx,
 * a timeout or a cut connection; INTERRUPTED: the process stopped mid-call) and checks, request by
 * request, that each one was resolved by a successful read of the same security group before the
 * request wrote to that group again — "never repeat a write blindly", shown by the trail itself.
 *
 * A call's groups come from its audit target: `sg-…` ids (a rule write's `sg-…/ingress` is its
 * group), or for CreateSecurityGroup the name, which DescribeSecurityGroups reads as `name=…`.
 * Calls are ordered by their intent rows, written before each call is made.
 */
import { cloudWriteActions } from '../../src/ports/cloud-network.ts';
import type { AuditRow } from '../../src/store/store.ts';

export const uncertainOutcomes: ReadonlySet<string> = new Set(['CLOUD_OUTCOME_UNKNOWN', 'INTERRUPTED']);

export interface UncertainWrite {
  requestId: string;
  action: string;
  target: string;
  outcome: string;
  /** The read that settled it, as `<action> <target>`; null when none did. */
  resolvedBy: string | null;
}

export interface UncertainWriteReport {
  uncertain: UncertainWrite[];
  /** Each way the trail breaks the rule; empty when every uncertain write was read back first. */
  problems: string[];
}

interface Call {
  seq: number;
  action: string;
  target: string;
  outcome: string | null;
}

function groupsOf(call: Call): string[] {
  if (call.action === 'CreateSecurityGroup') return [`name:${call.target}`];
  if (call.target.startsWith('name=')) return [`name:${call.target.slice('name='.length)}`];
  return call.target
    .split(',')
    .map((part) => part.split('/')[0] ?? '')
    .filter((id) => id !== '');
}

function callsByRequest(rows: AuditRow[]): Map<string, Call[]> {
  const outcomes = new Map<string, string | null>();
  for (const r of rows)
    if (r.kind === 'outcome' && r.system === 'tencentcloud' && r.callId !== null)
      outcomes.set(r.callId, r.outcome);
  const byRequest = new Map<string, Call[]>();
  for (const r of rows) {
    if (r.kind !== 'intent' || r.system !== 'tencentcloud' || r.requestId === null) continue;
    const calls = byRequest.get(r.requestId) ?? [];
    calls.push({
      seq: r.seq,
      action: r.action,
      target: r.target,
      outcome: (r.callId && outcomes.get(r.callId)) ?? null,
    });
    byRequest.set(r.requestId, calls);
  }
  for (const calls of byRequest.values()) calls.sort((a, b) => a.seq - b.seq);
  return byRequest;
}

export function uncertainWriteReport(rows: AuditRow[]): UncertainWriteReport {
  const uncertain: UncertainWrite[] = [];
  const problems: string[] = [];
  for (const [requestId, calls] of callsByRequest(rows)) {
    // Group → the uncertain write on it that no successful read has settled yet.
    const open = new Map<string, UncertainWrite>();
    for (const call of calls) {
      const groups = groupsOf(call);
      const label = `${call.action} ${call.target}`;
      if (!cloudWriteActions.has(call.action)) {
        if (call.outcome !== 'ok') continue;
        for (const group of groups) {
          const settled = open.get(group);
          if (settled) settled.resolvedBy = label;
          open.delete(group);
        }
        continue;
      }
      for (const group of groups) {
        const unsettled = open.get(group);
        if (unsettled)
          problems.push(
            `${requestId}: ${label} (seq ${call.seq}) follows ${unsettled.action} ${unsettled.target} ` +
              `(${unsettled.outcome}) with no read of ${group} between them`,
          );
        // Reported once; what this write did decides what the group is open for next.
        open.delete(group);
      }
      if (call.outcome === null) problems.push(`${requestId}: ${label} (seq ${call.seq}) has no outcome row`);
      if (call.outcome !== null && uncertainOutcomes.has(call.outcome)) {
        const write: UncertainWrite = {
          requestId,
          action: call.action,
          target: call.target,
          outcome: call.outcome,
          resolvedBy: null,
        };
        uncertain.push(write);
        for (const group of groups) open.set(group, write);
      }
    }
    for (const [group, write] of open)
      problems.push(
        `${requestId}: ${write.action} ${write.target} (${write.outcome}) was never read back (${group})`,
      );
  }
  return { uncertain, problems };
}
