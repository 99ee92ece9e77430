/**
 * What a grant at rest is waiting on, for the engine to put back when Redis lost it: its timers,
 * with the delay that is LEFT at `now` (not the full one), and the revoke an expired grant asked for.
 */
import type { Effect } from './effects.ts';
import { addMs, expiryRevoke, expiryTimersToArm, msUntil, reminderToArm } from './lifecycle.ts';
import type { GrantContext } from './types.ts';

export type PendingEffect = Extract<Effect, { type: 'scheduleTimer' | 'openRevoke' }>;

/**
 * @param since when the request last changed: the start of an approval wait saved by an older
 *   machine version that did not record `awaitingSince`.
 */
export function pendingGrantEffects(
  state: string,
  context: GrantContext,
  now: string,
  since: string,
): PendingEffect[] {
  switch (state) {
    case 'awaitingApproval': {
      const waiting = { ...context, awaitingSince: context.awaitingSince ?? since };
      return [
        {
          type: 'scheduleTimer',
          name: 'approvalTimeout',
          delayMs: msUntil(addMs(waiting.awaitingSince, context.approvalTimeoutMs), now),
        },
        ...reminderToArm(waiting, now),
      ];
    }
    case 'active':
    case 'needsAttention':
      return expiryTimersToArm(context, now);
    case 'expiring':
      return [expiryRevoke(context)];
    default:
      return [];
  }
}
