/** A recorded plan and verdicts as one reader reads them: each sentence a step said, in their language. */
import type { Locale } from '../domain/locale.ts';
import { saidIn } from '../domain/words.ts';
import type { Said } from '../domain/words.ts';
import type { PlannedChange } from '../../workflows/shared/planned-change.ts';
import type { PodVerdict } from '../../workflows/grant/types.ts';

/** A plan read loosely: one recorded by another version may lack its lists, and keeps what it has. */
export function planIn<P extends { changes: PlannedChange[]; warnings: Said[] }>(plan: P, locale: Locale): P {
  return {
    ...plan,
    ...(plan.changes
      ? { changes: plan.changes.map((c) => ({ ...c, summary: saidIn(c.summary, locale) })) }
      : {}),
    ...(plan.warnings ? { warnings: plan.warnings.map((w) => saidIn(w, locale)) } : {}),
  };
}

export function verdictIn(verdict: PodVerdict, locale: Locale): PodVerdict & { reason: string | null } {
  return { ...verdict, reason: verdict.reason === null ? null : saidIn(verdict.reason, locale) };
}
