/** What a grant tells people as it moves: each `notify` template, rendered at send time per recipient. */
import type { Recipient } from '../../src/chat/chat-message.ts';
import type { Policy } from '../../src/policy/create-policy.ts';
import {
  approvalNotice,
  commonNotices,
  decisionNotices,
  noticeParts,
  textNotice,
} from '../../src/chat/render-common-notices.ts';
import { renderVerdicts } from '../../src/chat/render-grant.ts';
import { driftParts, expiryLine, formatInstant, formatSpan } from '../../src/chat/render-lifecycle.ts';
import { renderApprovalEssentials } from '../../src/chat/render-sign-offs.ts';
import type { NotificationTemplate } from '../workflow-module.ts';
import type { NotifyTemplate } from './effects.ts';
import type { GrantContext } from './types.ts';
import { changedNothing } from './changed-nothing.ts';
import { attentionFix } from './attention-fix.ts';
import { saidIn } from '../../src/domain/words.ts';

const withLine = (text: string, line: string) => (line ? `${text}\n${line}` : text);
// A time-bound grant says when it ends, as of when it began.
const endsLine = (context: GrantContext, r: Recipient) =>
  context.activeSince ? expiryLine(context, context.activeSince, r.locale) : '';
const essentials = (context: GrantContext, policy: Policy, r: Recipient) =>
  renderApprovalEssentials(context, policy, r.locale);

export const grantNotifications: Record<NotifyTemplate, NotificationTemplate> = {
  ...commonNotices,
  ...decisionNotices,
  planReady: textNotice('plan', ({ t, id, what, plan, context, input }) =>
    t.planReady({ id, what, essentials: essentials(context, input.policy, input.recipient), plan: plan() }),
  ),
  planned: textNotice('plan', ({ t, id, what, plan }) => t.planned({ id, what, plan: plan() })),
  autoApproved: textNotice('progress', ({ t, id }) => t.autoApproved({ id })),
  approvalRequested: approvalNotice(({ context, input }) =>
    essentials(context, input.policy, input.recipient),
  ),
  done: textNotice('result', ({ t, id, what, context, input }) =>
    withLine(
      withLine(
        t.done({
          id,
          what,
          pods: renderVerdicts(context.outputs.verifying?.pods ?? [], input.recipient.locale),
        }),
        endsLine(context, input.recipient),
      ),
      changedNothing(context.outputs) ? t.nothingChanged() : '',
    ),
  ),
  needsAttention: textNotice('result', ({ t, id, context, input }) =>
    withLine(
      withLine(
        t.needsAttention({
          id,
          pods: renderVerdicts(context.outputs.verifying?.pods ?? [], input.recipient.locale),
        }),
        attentionFix(context, input.recipient.locale),
      ),
      endsLine(context, input.recipient),
    ),
  ),
  rolledBack: textNotice('result', ({ t, id, context, input }) => {
    const locale = input.recipient.locale;
    const undone = (context.outputs.rollingBack?.undone ?? []).map((said) => saidIn(said, locale));
    return t.rolledBack({ id, undone: undone.join(locale === 'zh' ? '；' : '; ') || '-' });
  }),
  // In the thread, not a second card: the first card still carries the buttons.
  approvalReminder: textNotice('result', ({ t, id, what, context, input }) =>
    t.approvalReminder({
      id,
      requester: context.spec.requester,
      what,
      waited: formatSpan(context.remindersSent * context.approvalReminderMs, input.recipient.locale),
    }),
  ),
  expiryWarning: textNotice('result', ({ t, id, what, context, input }) =>
    t.expiryWarning({
      id,
      what,
      expires: context.expiresAt ? formatInstant(context.expiresAt) : '-',
      left: formatSpan(context.expiryWarningMs ?? 0, input.recipient.locale),
    }),
  ),
  grantExpired: textNotice('result', ({ t, id, what, context }) =>
    t.grantExpired({ id, what, revokeId: context.revocation?.revokeRequestId ?? '-' }),
  ),
  grantLapsed: textNotice('result', ({ t, id, what, context }) =>
    t.grantLapsed({ id, what, coveredBy: context.lapse?.coveredBy ?? '-' }),
  ),
  // An alert, as a failure is: the world no longer holds what was approved.
  // With a Repair button where the platform has buttons: pressing it is the line `repair <id>`.
  driftFound: {
    kind: 'error',
    compose: (input) => {
      const { t, id, what, context } = noticeParts(input);
      return {
        text: t.driftFound({ id, what, ...driftParts(context, input.recipient.locale) }),
        actions: [{ id: 'repair', requestId: id }],
      };
    },
  },
  driftCleared: textNotice('result', ({ t, id, what }) => t.driftCleared({ id, what })),
};
