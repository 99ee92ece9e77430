/**
 * The arithmetic of a grant's life after approval: approval reminders and the end of a time-bound
 * grant. Pure functions over event times (ISO text from outside): no clock is read here.
 */
import type { Effect } from './effects.ts';
import type { GrantContext } from './types.ts';

type ScheduleTimer = Extract<Effect, { type: 'scheduleTimer' }>;
type CancelTimer = Extract<Effect, { type: 'cancelTimer' }>;
type OpenRevoke = Extract<Effect, { type: 'openRevoke' }>;

const fifteenMinutes = 15 * 60 * 1000;

/**
 * How long before its end a grant of `durationMs` is warned: the configured lead, or 10 % of the
 * duration but at most 15 minutes; never more than half the duration, so the warning comes
 * after the grant began and well before it ends.
 */
export function expiryWarningLeadMs(durationMs: number, configuredMs?: number): number {
  const lead = configuredMs ?? Math.min(Math.round(durationMs / 10), fifteenMinutes);
  return Math.max(0, Math.min(lead, Math.floor(durationMs / 2)));
}

export const addMs = (iso: string, ms: number): string => new Date(Date.parse(iso) + ms).toISOString();

/** Milliseconds from `from` to `to`, never negative (a due time already past is due now). */
export const msUntil = (to: string, from: string): number => Math.max(0, Date.parse(to) - Date.parse(from));

/**
 * The id of the revoke sgops opens when grant `grantId` expires: derived, so a timer job that runs
 * twice opens one revoke. Fresh ids have 4 characters after the `R`; this one has one more (an
 * `X`), so it never collides with a fresh id of today's length.
 */
export function expiryRevokeId(grantId: string): string {
  const body = grantId.slice(1);
  return body.length < 8 ? `${grantId}X` : `R${body.slice(0, 7)}${body.endsWith('X') ? 'Y' : 'X'}`;
}

/** Why sgops revokes an expired grant, in the revoke's `reason` and the audit. */
export const expiryReason = (grantId: string): string => `time-bound grant ${grantId} expired`;

/** The revoke an expired grant asks sgops to open (at its entry to `expiring`, or again after Redis lost it). */
export function expiryRevoke(context: Pick<GrantContext, 'spec' | 'revocation' | 'expiresAt'>): OpenRevoke {
  return {
    type: 'openRevoke',
    revokeRequestId: context.revocation?.revokeRequestId ?? expiryRevokeId(context.spec.requestId),
    reason: expiryReason(context.spec.requestId),
    requestedAt: context.revocation?.at ?? context.expiresAt ?? '',
  };
}

/** Whether reminder number `seq` (from 1) is due before the approval times out: later ones are not sent. */
export const reminderComesBeforeTimeout = (
  context: Pick<GrantContext, 'approvalReminderMs' | 'approvalTimeoutMs'>,
  seq: number,
): boolean => context.approvalReminderMs > 0 && seq * context.approvalReminderMs < context.approvalTimeoutMs;

/**
 * Delay until reminder `seq`, seen at event time `now`: counted from the start of the wait when
 * both times are known (so reminders do not drift), else one interval.
 */
export function reminderDelayMs(
  context: Pick<GrantContext, 'approvalReminderMs' | 'awaitingSince'>,
  seq: number,
  now: string | undefined,
): number {
  if (!context.awaitingSince || !now) return context.approvalReminderMs;
  return msUntil(addMs(context.awaitingSince, seq * context.approvalReminderMs), now);
}

/** The next reminder to arm at event time `now`, if one comes before the approval times out. */
export function reminderToArm(
  context: Pick<GrantContext, 'approvalReminderMs' | 'approvalTimeoutMs' | 'awaitingSince' | 'remindersSent'>,
  now: string | undefined,
): ScheduleTimer[] {
  const seq = context.remindersSent + 1;
  if (!reminderComesBeforeTimeout(context, seq)) return [];
  return [
    { type: 'scheduleTimer', name: 'approvalReminder', seq, delayMs: reminderDelayMs(context, seq, now) },
  ];
}

/** The reminder armed last, to cancel when the wait ends. */
export function reminderToDisarm(
  context: Pick<GrantContext, 'approvalReminderMs' | 'approvalTimeoutMs' | 'remindersSent'>,
): CancelTimer[] {
  const seq = context.remindersSent + 1;
  return reminderComesBeforeTimeout(context, seq)
    ? [{ type: 'cancelTimer', name: 'approvalReminder', seq }]
    : [];
}

/** A time-bound grant's warning (unless it went out) and end, as delays from event time `now`. */
export function expiryTimersToArm(
  context: Pick<GrantContext, 'expiresAt' | 'activeSince' | 'expiryWarned' | 'expiryWarningMs'>,
  now: string | undefined,
): ScheduleTimer[] {
  if (!context.expiresAt) return [];
  const from = now ?? context.activeSince ?? context.expiresAt;
  const warnAt = addMs(context.expiresAt, -(context.expiryWarningMs ?? 0));
  return [
    ...(context.expiryWarned
      ? []
      : [{ type: 'scheduleTimer' as const, name: 'expiryWarning' as const, delayMs: msUntil(warnAt, from) }]),
    { type: 'scheduleTimer', name: 'grantExpiry', delayMs: msUntil(context.expiresAt, from) },
  ];
}

export function expiryTimersToDisarm(
  context: Pick<GrantContext, 'expiresAt' | 'expiryWarned'>,
): CancelTimer[] {
  if (!context.expiresAt) return [];
  return [
    ...(context.expiryWarned ? [] : [{ type: 'cancelTimer' as const, name: 'expiryWarning' as const }]),
    { type: 'cancelTimer', name: 'grantExpiry' },
  ];
}
