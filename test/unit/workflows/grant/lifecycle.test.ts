import { describe, expect, it } from 'vitest';
import { initialTransition } from 'xstate';
import { grantMachine } from '../../../../workflows/grant/machine.ts';
import type { GrantEvent } from '../../../../workflows/grant/events.ts';
import type { GrantInput, StepName } from '../../../../workflows/grant/types.ts';
import { workStepNames } from '../../../../workflows/grant/types.ts';
import { expiryRevokeId, expiryWarningLeadMs } from '../../../../workflows/grant/lifecycle.ts';
import { pendingGrantEffects } from '../../../../workflows/grant/pending-timers.ts';
import {
  effectsOf,
  grantInput,
  grantOutputs,
  sendGrant,
  type GrantActions,
  type GrantSnapshot,
} from '../../../helpers/machine-fixtures.ts';

const hour = 3_600_000;
const minute = 60_000;

function input(extra: Partial<GrantInput> = {}, durationMs?: number): GrantInput {
  return grantInput(
    'R7K2P',
    { approvalTimeoutMs: 10 * hour, ...extra },
    durationMs === undefined ? {} : { durationMs },
  );
}

const outputs = grantOutputs('2026-03-01T09:59:00.000Z');

const done = (s: GrantSnapshot, step: StepName, at: string, output = outputs[step]) =>
  sendGrant(s, { type: 'step.done', step, attempt: s.context.attempts[step] ?? 0, output, at } as GrantEvent);
const timers = (actions: GrantActions) =>
  effectsOf(actions).filter((e) => e.type === 'scheduleTimer' || e.type === 'cancelTimer');

const t0 = '2026-03-01T09:00:00.000Z';
const verifiedAt = '2026-03-01T10:00:00.000Z';

function awaiting(extra: Partial<GrantInput> = {}, durationMs?: number): [GrantSnapshot, GrantActions] {
  const [s0] = initialTransition(grantMachine, input(extra, durationMs));
  return done(s0, 'planning', t0);
}

/** Approved and walked to the end of verification at `verifiedAt`. */
function verified(
  durationMs: number | undefined,
  verdict = outputs.verifying,
): [GrantSnapshot, GrantActions] {
  let [s] = awaiting({}, durationMs);
  [s] = sendGrant(s, { type: 'approve', by: 'bob', at: t0 });
  for (const step of workStepNames.slice(0, -1)) [s] = done(s, step, t0);
  return done(s, 'verifying', verifiedAt, verdict);
}

describe('approval reminders', () => {
  it('are off unless configured, so the wait arms only its timeout', () => {
    const [s, actions] = awaiting();
    expect(s.value).toBe('awaitingApproval');
    expect(timers(actions)).toEqual([{ type: 'scheduleTimer', name: 'approvalTimeout', delayMs: 10 * hour }]);
  });

  it('arm the first reminder one interval after the wait began, numbered so each has its own job', () => {
    const [s, actions] = awaiting({ approvalReminderMs: 4 * hour });
    expect(s.context.awaitingSince).toBe(t0);
    expect(timers(actions)).toContainEqual({
      type: 'scheduleTimer',
      name: 'approvalReminder',
      seq: 1,
      delayMs: 4 * hour,
    });
  });

  it('remind the approvers, arm the next, and leave the approval timeout alone', () => {
    const [s1] = awaiting({ approvalReminderMs: 4 * hour });
    // The job ran a little late: the next reminder keeps to the schedule from the start of the wait.
    const [s2, actions] = sendGrant(s1, {
      type: 'timer.approvalReminder',
      seq: 1,
      at: '2026-03-01T13:00:05.000Z',
    });
    expect(s2.value).toBe('awaitingApproval');
    expect(s2.context.remindersSent).toBe(1);
    expect(effectsOf(actions)).toEqual([
      { type: 'notify', template: 'approvalReminder', audience: 'approvers' },
      { type: 'scheduleTimer', name: 'approvalReminder', seq: 2, delayMs: 4 * hour - 5_000 },
    ]);
    // Neither cancelled nor re-armed: the timeout still counts from the start of the wait.
    expect(effectsOf(actions).some((e) => 'name' in e && e.name === 'approvalTimeout')).toBe(false);
  });

  it('stop before the approval timeout: none is armed at or after it', () => {
    const [s1] = awaiting({ approvalReminderMs: 4 * hour });
    const [s2, second] = sendGrant(s1, {
      type: 'timer.approvalReminder',
      seq: 1,
      at: '2026-03-01T13:00:00.000Z',
    });
    expect(timers(second)).toEqual([
      { type: 'scheduleTimer', name: 'approvalReminder', seq: 2, delayMs: 4 * hour },
    ]);
    // The third would come at 12 h, after the 10 h timeout.
    const [s3, third] = sendGrant(s2, {
      type: 'timer.approvalReminder',
      seq: 2,
      at: '2026-03-01T17:00:00.000Z',
    });
    expect(s3.context.remindersSent).toBe(2);
    expect(timers(third)).toEqual([]);
  });

  it('ignore a stale or repeated reminder job', () => {
    const [s1] = awaiting({ approvalReminderMs: 4 * hour });
    const [s2] = sendGrant(s1, { type: 'timer.approvalReminder', seq: 1, at: '2026-03-01T13:00:00.000Z' });
    const [again, actions] = sendGrant(s2, {
      type: 'timer.approvalReminder',
      seq: 1,
      at: '2026-03-01T13:00:01.000Z',
    });
    expect(again.context.remindersSent).toBe(1);
    expect(actions).toEqual([]);
  });

  it('are cancelled with the timeout once someone decides', () => {
    const [s1] = awaiting({ approvalReminderMs: 4 * hour });
    const [s2] = sendGrant(s1, { type: 'timer.approvalReminder', seq: 1, at: '2026-03-01T13:00:00.000Z' });
    const [s3, actions] = sendGrant(s2, { type: 'approve', by: 'bob', at: '2026-03-01T14:00:00.000Z' });
    expect(s3.value).toBe('ensurePodSecurityGroup');
    expect(timers(actions)).toEqual([
      { type: 'cancelTimer', name: 'approvalTimeout' },
      { type: 'cancelTimer', name: 'approvalReminder', seq: 2 },
    ]);
  });
});

describe('a time-bound grant', () => {
  it('warns 10 % of its duration before the end, at most 15 minutes, never more than half of it', () => {
    expect(expiryWarningLeadMs(8 * hour)).toBe(15 * minute);
    expect(expiryWarningLeadMs(30 * minute)).toBe(3 * minute);
    expect(expiryWarningLeadMs(2_000)).toBe(200);
    expect(expiryWarningLeadMs(8 * hour, 30 * minute)).toBe(30 * minute);
    expect(expiryWarningLeadMs(10 * minute, 15 * minute)).toBe(5 * minute);
  });

  it('without a duration ends done, as before', () => {
    const [s, actions] = verified(undefined);
    expect(s.value).toBe('done');
    // Rests there for good, open only to the drift watch's reports (machine v3).
    expect(s.status).toBe('active');
    expect(timers(actions)).toEqual([]);
  });

  it('rests active once verified, with its warning and its end counted from the verification', () => {
    const [s, actions] = verified(8 * hour);
    expect(s.value).toBe('active');
    expect(s.status).toBe('active');
    expect(s.context.activeSince).toBe(verifiedAt);
    expect(s.context.expiresAt).toBe('2026-03-01T18:00:00.000Z');
    expect(effectsOf(actions)).toEqual([
      { type: 'notify', template: 'done', audience: 'everyone' },
      { type: 'scheduleTimer', name: 'expiryWarning', delayMs: 8 * hour - 15 * minute },
      { type: 'scheduleTimer', name: 'grantExpiry', delayMs: 8 * hour },
    ]);
  });

  it('warns its requester once', () => {
    const [s1] = verified(8 * hour);
    const [s2, actions] = sendGrant(s1, { type: 'timer.expiryWarning', at: '2026-03-01T17:45:00.000Z' });
    expect(s2.value).toBe('active');
    expect(s2.context.expiryWarned).toBe(true);
    expect(effectsOf(actions)).toEqual([
      { type: 'notify', template: 'expiryWarning', audience: 'requester' },
    ]);
    const [, again] = sendGrant(s2, { type: 'timer.expiryWarning', at: '2026-03-01T17:45:01.000Z' });
    expect(again).toEqual([]);
  });

  it('at its end asks sgops to open the revoke under an id derived from its own, and tells everyone once opened', () => {
    const [s1] = verified(8 * hour);
    const [s2] = sendGrant(s1, { type: 'timer.expiryWarning', at: '2026-03-01T17:45:00.000Z' });
    const [s3, actions] = sendGrant(s2, { type: 'timer.grantExpiry', at: '2026-03-01T18:00:00.100Z' });
    expect(s3.value).toBe('expiring');
    expect(expiryRevokeId('R7K2P')).toBe('R7K2PX');
    expect(effectsOf(actions)).toEqual([
      { type: 'cancelTimer', name: 'grantExpiry' },
      {
        type: 'openRevoke',
        revokeRequestId: 'R7K2PX',
        reason: 'time-bound grant R7K2P expired',
        requestedAt: '2026-03-01T18:00:00.000Z',
      },
    ]);
    const [s4, last] = sendGrant(s3, {
      type: 'revoke',
      revokeRequestId: 'R7K2PX',
      by: 'sgops',
      at: '2026-03-01T18:00:00.000Z',
    });
    expect(s4.value).toBe('revoked');
    expect(s4.status).toBe('done');
    expect(s4.context.revocation).toEqual({
      revokeRequestId: 'R7K2PX',
      cause: 'expired',
      by: 'sgops',
      at: '2026-03-01T18:00:00.000Z',
    });
    expect(effectsOf(last)).toEqual([{ type: 'notify', template: 'grantExpired', audience: 'everyone' }]);
    // A second expiry job, or a second answer from the opener, changes nothing.
    const [after] = sendGrant(s4, { type: 'timer.grantExpiry', at: '2026-03-01T18:00:01.000Z' });
    expect(after.value).toBe('revoked');
  });

  it('lapses, taking nothing away, when another grant still gives the same access', () => {
    const [s1] = verified(8 * hour);
    const [s2] = sendGrant(s1, { type: 'timer.grantExpiry', at: '2026-03-01T18:00:00.000Z' });
    const [s3, actions] = sendGrant(s2, {
      type: 'lapse',
      coveredBy: 'R9QWE',
      at: '2026-03-01T18:00:00.000Z',
    });
    expect(s3.value).toBe('lapsed');
    expect(s3.status).toBe('done');
    expect(s3.context.lapse).toEqual({ coveredBy: 'R9QWE', at: '2026-03-01T18:00:00.000Z' });
    expect(effectsOf(actions)).toEqual([{ type: 'notify', template: 'grantLapsed', audience: 'everyone' }]);
  });

  it('ends revoked without a second message when someone revokes it while sgops opens its own revoke', () => {
    const [s1] = verified(8 * hour);
    const [s2] = sendGrant(s1, { type: 'timer.grantExpiry', at: '2026-03-01T18:00:00.000Z' });
    const [s3, actions] = sendGrant(s2, {
      type: 'revoke',
      revokeRequestId: 'R9QWE',
      by: 'alice',
      at: '2026-03-01T18:00:01.000Z',
    });
    expect(s3.value).toBe('revoked');
    expect(s3.context.revocation).toMatchObject({ revokeRequestId: 'R9QWE', cause: 'revoked', by: 'alice' });
    expect(actions).toEqual([]);
  });

  it('ends at once when someone revokes it earlier, cancelling both timers', () => {
    const [s1] = verified(8 * hour);
    const [s2, actions] = sendGrant(s1, {
      type: 'revoke',
      revokeRequestId: 'R9QWE',
      by: 'alice',
      at: '2026-03-01T12:00:00.000Z',
    });
    expect(s2.value).toBe('revoked');
    expect(s2.context.revocation).toMatchObject({ revokeRequestId: 'R9QWE', cause: 'revoked', by: 'alice' });
    expect(timers(actions)).toEqual([
      { type: 'cancelTimer', name: 'expiryWarning' },
      { type: 'cancelTimer', name: 'grantExpiry' },
    ]);
    // Its timer, had the cancel come too late, is harmless: a final grant takes no event.
    const [late, none] = sendGrant(s2, { type: 'timer.grantExpiry', at: '2026-03-01T18:00:00.000Z' });
    expect(late.value).toBe('revoked');
    expect(none).toEqual([]);
  });

  it('runs out in needsAttention too (its policy is applied), and a retry keeps the original end', () => {
    const unverified = {
      pods: [{ name: 'p', node: 'n', ok: false, groups: [], reason: 'pending' }],
      allVerified: false,
    };
    const [s1, armed] = verified(8 * hour, unverified);
    expect(s1.value).toBe('needsAttention');
    expect(s1.context.expiresAt).toBe('2026-03-01T18:00:00.000Z');
    expect(timers(armed)).toHaveLength(2);
    const [s2, retried] = sendGrant(s1, { type: 'retry', by: 'alice', at: '2026-03-01T11:00:00.000Z' });
    expect(s2.value).toBe('verifying');
    expect(timers(retried)).toEqual([
      { type: 'cancelTimer', name: 'expiryWarning' },
      { type: 'cancelTimer', name: 'grantExpiry' },
    ]);
    const [s3, rearmed] = done(s2, 'verifying', '2026-03-01T12:00:00.000Z');
    expect(s3.value).toBe('active');
    expect(s3.context.activeSince).toBe(verifiedAt);
    expect(timers(rearmed)).toEqual([
      { type: 'scheduleTimer', name: 'expiryWarning', delayMs: 6 * hour - 15 * minute },
      { type: 'scheduleTimer', name: 'grantExpiry', delayMs: 6 * hour },
    ]);
  });

  it('without a duration ignores a revoke event and the expiry timers', () => {
    const unverified = { pods: [], allVerified: false };
    const [s1] = verified(undefined, unverified);
    expect(s1.value).toBe('needsAttention');
    expect(sendGrant(s1, { type: 'revoke', revokeRequestId: 'R9QWE', by: 'alice', at: t0 })[0].value).toBe(
      'needsAttention',
    );
    expect(sendGrant(s1, { type: 'timer.grantExpiry', at: t0 })[0].value).toBe('needsAttention');
  });
});

describe('the timers a grant at rest waits on, for the reconciler', () => {
  it('give the approval timeout and the next reminder the time that is left, not the full one', () => {
    const [s1] = awaiting({ approvalReminderMs: 4 * hour });
    const [s2] = sendGrant(s1, { type: 'timer.approvalReminder', seq: 1, at: '2026-03-01T13:00:00.000Z' });
    expect(pendingGrantEffects('awaitingApproval', s2.context, '2026-03-01T15:00:00.000Z', t0)).toEqual([
      { type: 'scheduleTimer', name: 'approvalTimeout', delayMs: 4 * hour },
      { type: 'scheduleTimer', name: 'approvalReminder', seq: 2, delayMs: 2 * hour },
    ]);
  });

  it('give an active grant its warning and end, due now when already past', () => {
    const [s] = verified(8 * hour);
    expect(pendingGrantEffects('active', s.context, '2026-03-01T17:50:00.000Z', verifiedAt)).toEqual([
      { type: 'scheduleTimer', name: 'expiryWarning', delayMs: 0 },
      { type: 'scheduleTimer', name: 'grantExpiry', delayMs: 10 * minute },
    ]);
  });

  it('ask again for the revoke of a grant that expired before its revoke was opened', () => {
    const [s1] = verified(8 * hour);
    const [s2] = sendGrant(s1, { type: 'timer.grantExpiry', at: '2026-03-01T18:00:00.000Z' });
    expect(pendingGrantEffects('expiring', s2.context, '2026-03-01T19:00:00.000Z', verifiedAt)).toEqual([
      {
        type: 'openRevoke',
        revokeRequestId: 'R7K2PX',
        reason: 'time-bound grant R7K2P expired',
        requestedAt: '2026-03-01T18:00:00.000Z',
      },
    ]);
  });

  it('give a grant that is done nothing to wait on', () => {
    const [s] = verified(undefined);
    expect(pendingGrantEffects('done', s.context, verifiedAt, verifiedAt)).toEqual([]);
  });
});
