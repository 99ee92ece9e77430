/**
 * Tencent Cloud call outcomes from the audit trail, split by whether the cloud answered: an answered
 * call carries the cloud's RequestId (success or API error); an unanswered one never got a response
 * (a connection error, or our own rate limiter refusing to send it).
 */
import type { AuditRow } from '../../src/store/store.ts';

export interface CloudCallLedger {
  /** Outcome code → calls the cloud answered. */
  answered: Record<string, number>;
  /** Outcome code → calls that got no answer. */
  unanswered: Record<string, number>;
  answeredTotal: number;
}

export function cloudCallLedger(rows: AuditRow[]): CloudCallLedger {
  const answered: Record<string, number> = {};
  const unanswered: Record<string, number> = {};
  for (const r of rows) {
    if (r.kind !== 'outcome' || r.system !== 'tencentcloud') continue;
    const into = r.cloudRequestId ? answered : unanswered;
    const code = r.outcome ?? '?';
    into[code] = (into[code] ?? 0) + 1;
  }
  return { answered, unanswered, answeredTotal: Object.values(answered).reduce((a, b) => a + b, 0) };
}
