/**
 * Old grant snapshots, brought to the current machine version. v1 → v2 only added states
 * (`active`, `expiring`, `revoked`) and context fields, so a v1 snapshot keeps its state and
 * gains the new fields with the values that change nothing: no reminders (none were promised),
 * no duration (v1 refused `for`), nothing revoked.
 */
import type { GrantContext } from './types.ts';

type Added = Pick<
  GrantContext,
  | 'approvalReminderMs'
  | 'remindersSent'
  | 'awaitingSince'
  | 'expiryWarningMs'
  | 'activeSince'
  | 'expiresAt'
  | 'expiryWarned'
  | 'revocation'
  | 'lapse'
>;

const addedInV2: Added = {
  approvalReminderMs: 0,
  remindersSent: 0,
  awaitingSince: null,
  expiryWarningMs: null,
  activeSince: null,
  expiresAt: null,
  expiryWarned: false,
  revocation: null,
  lapse: null,
};

/** The snapshot as machine v2 saves it, or undefined for a version this build cannot read. */
export function migrateGrantSnapshot(fromVersion: number, snapshot: unknown): unknown {
  if (fromVersion !== 1 || typeof snapshot !== 'object' || snapshot === null) return undefined;
  const v1 = snapshot as { context?: Record<string, unknown> };
  return { ...v1, context: { ...addedInV2, ...v1.context } };
}
