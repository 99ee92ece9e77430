/**
 * The `audit <id>` chat answer: who asked, approved, denied or was refused (platform and time),
 * each cloud and Kubernetes call grouped by action with its outcomes, the cloud RequestIds of
 * writes, and whether the chain holds for these rows. Pure: rows in, text out.
 */
import type { Locale } from '../commands/command.ts';
import { cloudWriteActions } from '../ports/cloud-network.ts';
import type { AuditRow } from '../store/store.ts';
import type { AuditTrailReport } from './verify-audit-trail.ts';

export interface SummariseAuditOptions {
  /** Named in the text when there are no rows to take it from. */
  requestId?: string;
  /** The verdict of verifyStoredAudit over the whole chain; "not checked" when absent. */
  chain?: Pick<AuditTrailReport, 'ok' | 'broken'>;
}

interface CallGroup {
  system: 'tencentcloud' | 'kubernetes';
  action: string;
  calls: number;
  outcomes: Map<string, number>;
  unfinished: number;
}

interface Texts {
  empty(id: string): string;
  title(id: string, rows: number, first: number, last: number): string;
  decision(action: string, who: string, where: string, outcome: string): string;
  noDecisions: string;
  system: Record<CallGroup['system'], string>;
  /** One action's calls: `outcomes` is `ok 3, failed 1`. */
  callLine(action: string, calls: number, outcomes: string): string;
  unfinished(n: number): string;
  writes: string;
  noWrites: string;
  chainOk(rows: number): string;
  chainBroken(seq: number, problem: string, affected: number, rows: number): string;
  chainUnchecked: string;
}

const englishVerbs: Record<string, string> = {
  request: 'Requested',
  approve: 'Approved',
  deny: 'Denied',
  cancel: 'Cancelled',
  revoke: 'Revoke asked',
  rollback: 'Rollback asked',
  retry: 'Retry asked',
};
const chineseVerbs: Record<string, string> = {
  request: '申请',
  approve: '批准',
  deny: '拒绝',
  cancel: '取消',
  revoke: '要求撤销',
  rollback: '要求回滚',
  retry: '要求重试',
};

const texts: Record<Locale, Texts> = {
  en: {
    empty: (id) => `No audit rows for ${id}.`,
    title: (id, rows, first, last) => `Audit trail of ${id}: ${rows} rows (seq ${first}–${last})`,
    decision: (action, who, where, outcome) => {
      const verb = englishVerbs[action] ?? action;
      return outcome.startsWith('refused')
        ? `Refused: ${who} tried to ${action} (${outcome.slice('refused:'.length) || 'refused'}) — ${where}`
        : `${verb} by ${who} — ${where}`;
    },
    noDecisions: 'No chat decisions recorded.',
    system: { tencentcloud: 'Tencent Cloud calls:', kubernetes: 'Kubernetes calls:' },
    callLine: (action, n, outcomes) => `  ${action} — ${n} call${n === 1 ? '' : 's'}: ${outcomes}`,
    unfinished: (n) => `${n} without an outcome`,
    writes: 'Cloud RequestIds of writes:',
    noWrites: 'No cloud writes.',
    chainOk: (rows) => `Chain: verified (these ${rows} rows included).`,
    chainBroken: (seq, problem, affected, rows) =>
      `Chain: BROKEN at seq ${seq} (${problem}); ${affected} of these ${rows} rows are at or after it and cannot be trusted.`,
    chainUnchecked: 'Chain: not checked.',
  },
  zh: {
    empty: (id) => `${id} 没有审计记录。`,
    title: (id, rows, first, last) => `${id} 的审计记录：共 ${rows} 行（seq ${first}–${last}）`,
    decision: (action, who, where, outcome) => {
      const verb = chineseVerbs[action] ?? action;
      // Not 已拒绝: that is how a denied request is told (the WeCom card), and a refusal changed nothing.
      return outcome.startsWith('refused')
        ? `未受理：${who} 试图${verb}（${outcome.slice('refused:'.length) || 'refused'}）——${where}`
        : `${who} ${verb}——${where}`;
    },
    noDecisions: '没有记录到聊天决定。',
    system: { tencentcloud: '腾讯云调用：', kubernetes: 'Kubernetes 调用：' },
    // The action as the API names it (`list pods`), set apart as code.
    callLine: (action, n, outcomes) => `  \`${action}\` — ${n} 次调用：${outcomes}`,
    unfinished: (n) => `${n} 次没有结果`,
    writes: '写操作的云 RequestId：',
    noWrites: '没有云上写操作。',
    chainOk: (rows) => `审计链：校验通过（含这 ${rows} 行）。`,
    chainBroken: (seq, problem, affected, rows) =>
      `审计链：在 seq ${seq} 处损坏（${problem}）；这 ${rows} 行中有 ${affected} 行位于其后，不可信。`,
    chainUnchecked: '审计链：未校验。',
  },
};

export function summariseAudit(
  rows: readonly AuditRow[],
  locale: Locale,
  options: SummariseAuditOptions = {},
): string {
  const t = texts[locale];
  const sorted = [...rows].sort((a, b) => a.seq - b.seq);
  const id = options.requestId ?? sorted.find((r) => r.requestId !== null)?.requestId ?? '?';
  if (sorted.length === 0) return t.empty(id);

  const lines = [t.title(id, sorted.length, sorted[0]!.seq, sorted.at(-1)!.seq)];
  const decisions = sorted.filter((r) => r.kind === 'decision');
  if (decisions.length === 0) lines.push(t.noDecisions);
  for (const row of decisions) {
    lines.push(t.decision(row.action, row.actor, whereOf(row), row.outcome ?? ''));
  }

  const groups = groupCalls(sorted);
  for (const system of ['tencentcloud', 'kubernetes'] as const) {
    const ofSystem = groups.filter((g) => g.system === system);
    if (ofSystem.length === 0) continue;
    lines.push(t.system[system]);
    for (const g of ofSystem) {
      const outcomes = [...g.outcomes].map(([outcome, n]) => `${outcome} ${n}`);
      if (g.unfinished > 0) outcomes.push(t.unfinished(g.unfinished));
      lines.push(t.callLine(g.action, g.calls, outcomes.join(', ')));
    }
  }

  const writes = sorted.filter(
    (r) => r.kind === 'outcome' && r.system === 'tencentcloud' && cloudWriteActions.has(r.action),
  );
  if (writes.length === 0) lines.push(t.noWrites);
  else {
    lines.push(t.writes);
    for (const w of writes) {
      const outcome = w.outcome === 'ok' || w.outcome === null ? '' : ` (${w.outcome})`;
      lines.push(`  ${w.action} ${w.target}: ${w.cloudRequestId ?? '—'}${outcome}`);
    }
  }

  const { chain } = options;
  if (chain === undefined) lines.push(t.chainUnchecked);
  else if (chain.ok || chain.broken === null) lines.push(t.chainOk(sorted.length));
  else {
    const { seq, problem } = chain.broken;
    lines.push(t.chainBroken(seq, problem, sorted.filter((r) => r.seq >= seq).length, sorted.length));
  }
  return lines.join('\n');
}

/** Calls by (system, action) in order of first appearance; an intent without its outcome is unfinished. */
function groupCalls(rows: readonly AuditRow[]): CallGroup[] {
  const groups = new Map<string, CallGroup>();
  const callIds = (kind: AuditRow['kind']) =>
    new Set(rows.filter((r) => r.kind === kind && r.callId !== null).map((r) => r.callId));
  const finished = callIds('outcome');
  const started = callIds('intent');
  for (const row of rows) {
    if (row.system !== 'tencentcloud' && row.system !== 'kubernetes') continue;
    const key = `${row.system} ${row.action}`;
    let group = groups.get(key);
    if (!group) {
      group = { system: row.system, action: row.action, calls: 0, outcomes: new Map(), unfinished: 0 };
      groups.set(key, group);
    }
    if (row.kind === 'intent') {
      group.calls += 1;
      if (row.callId === null || !finished.has(row.callId)) group.unfinished += 1;
    } else if (row.kind === 'outcome') {
      const outcome = row.outcome ?? 'ok';
      group.outcomes.set(outcome, (group.outcomes.get(outcome) ?? 0) + 1);
      // An outcome whose intent is missing still counts as a call (the intent was not written or was removed).
      if (row.callId === null || !started.has(row.callId)) {
        group.calls += 1;
      }
    }
  }
  return [...groups.values()];
}

function whereOf(row: AuditRow): string {
  const platform = typeof row.details['platform'] === 'string' ? row.details['platform'] : row.system;
  const at = new Date(row.at).toISOString().replace('T', ' ').slice(0, 19);
  return `${platform}, ${at} UTC`;
}
