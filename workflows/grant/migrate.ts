/**
 * Old grant snapshots, brought to the current machine version (3), one version at a time.
 *
 * - v1 → v2 only added states (`active`, `expiring`, `revoked`) and context fields, so a v1
 *   snapshot keeps its state and gains the new fields with the values that change nothing: no
 *   reminders (none were promised), no duration (v1 refused `for`), nothing revoked.
 * - v2 → v3: `done` is no longer final (the drift watch reports to it), so a snapshot resting there
 *   is active again rather than finished; `drift` starts empty (never looked at).
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

type Snapshot = { value?: unknown; status?: unknown; context?: Record<string, unknown> };

const steps: Record<number, (snapshot: Snapshot) => Snapshot> = {
  1: (v1) => ({ ...v1, context: { ...addedInV2, ...v1.context } }),
  2: (v2) => ({
    ...v2,
    ...(v2.value === 'done' && v2.status === 'done' ? { status: 'active' } : {}),
    context: { drift: null, ...v2.context },
  }),
};

/** The snapshot as machine v3 saves it, or undefined for a version this build cannot read. */
export function migrateGrantSnapshot(fromVersion: number, snapshot: unknown): unknown {
  if (!(fromVersion in steps) || typeof snapshot !== 'object' || snapshot === null) return undefined;
  let migrated = snapshot as Snapshot;
  for (let version = fromVersion; version in steps; version += 1) migrated = steps[version]!(migrated);
  return migrated;
}
