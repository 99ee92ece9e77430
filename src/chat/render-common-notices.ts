/**
 * The notices every workflow that runs steps may send, read from the context's conventional fields
 * (`failedStep`, `error`, `decision`): a step started, a step failed, the request cancelled.
 */
import type { GrantContext } from '../../workflows/grant/types.ts';
import type { ChatOutbound } from './chat-message.ts';
import type { NotificationTemplate, NotifyInput } from '../../workflows/workflow-module.ts';
import { describeRequest, renderPlan } from './render-grant.ts';
import { durationPhrase } from './render-lifecycle.ts';
import { replyTexts, stepLabel } from './reply-texts.ts';
import { errorIn } from './error-in.ts';
import { stillWaitingText } from './sign-off-words.ts';

/** A notice whose words are one text, rendered from the grant-shaped context every workflow keeps. */
export function textNotice(
  kind: NotificationTemplate['kind'],
  render: (n: NoticeParts) => string,
  answered?: (context: GrantContext) => string | undefined,
): NotificationTemplate {
  return {
    kind,
    compose: (input) => ({ text: render(noticeParts(input)) }),
    ...(answered ? { answered: answered as (context: never) => string | undefined } : {}),
  };
}

export interface NoticeParts {
  input: NotifyInput;
  context: GrantContext;
  t: (typeof replyTexts)[NotifyInput['recipient']['locale']];
  id: string;
  /** What the request is, with its duration when it has one. */
  what: string;
  /** The plan, rendered only by the notices that show it: a big app's plan is long. */
  plan(): string;
}

export function noticeParts(input: NotifyInput): NoticeParts {
  const context = input.context as GrantContext;
  const locale = input.recipient.locale;
  return {
    input,
    context,
    t: replyTexts[locale],
    id: input.job.requestId,
    what: describeRequest(input.workflow, context, locale) + durationPhrase(input.workflow, context, locale),
    plan: () => (context.outputs.planning ? renderPlan(context.outputs.planning, locale) : ''),
  };
}

/**
 * An approval request in two parts, what may never be cut (the ask and the workflow's
 * `essentials`) and the plan with how to decide, with its Approve and Reject buttons. Every
 * workflow that waits for people asks with this card; only its essentials differ.
 */
export function approvalNotice(essentials: (n: NoticeParts) => string): NotificationTemplate {
  return {
    kind: 'approval',
    compose: (input): Pick<ChatOutbound, 'text' | 'card' | 'actions'> => {
      const parts = noticeParts(input);
      const { t, id, what, plan, context } = parts;
      const card = {
        essentials: t.approvalAsk({
          id,
          requester: context.spec.requester,
          what,
          essentials: essentials(parts),
        }),
        plan: `${plan()}\n${t.approvalHowTo({ id })}`,
        ...(input.consoleUrl ? { reviewUrl: `${input.consoleUrl.replace(/\/$/, '')}/#${id}` } : {}),
      };
      return {
        text: `${card.essentials}\n${card.plan}`,
        card,
        actions: [
          { id: 'approve', requestId: id },
          { id: 'deny', requestId: id },
        ],
      };
    },
  };
}

export const commonNotices: Record<'stepStarted' | 'failed' | 'cancelled', NotificationTemplate> = {
  stepStarted: textNotice('progress', ({ t, id, input }) =>
    t.stepStarted({
      id,
      step: stepLabel(input.recipient.locale, input.workflow, input.job.step ?? input.state),
    }),
  ),
  failed: textNotice('error', ({ t, id, input, context }) =>
    t.failed({
      id,
      step: stepLabel(input.recipient.locale, input.workflow, context.failedStep ?? input.state),
      ...errorIn(context.error ?? {}, input.recipient.locale),
      changedNothing: context.failedStep === 'planning',
    }),
  ),
  cancelled: textNotice(
    'result',
    ({ t, id, context }) => t.cancelled({ id, by: context.decision?.by ?? '?' }),
    (context) => context.decision?.by,
  ),
};

const decider = (context: GrantContext) => context.decision?.by;

/** What every workflow that waits for people says as they decide: a sign-off, the approval, a rejection, the wait's end. */
export const decisionNotices: Record<
  'approvalRecorded' | 'approved' | 'denied' | 'expired',
  NotificationTemplate
> = {
  approvalRecorded: textNotice(
    'progress',
    ({ t, id, context, input }) =>
      t.approvalRecorded({
        id,
        by: context.approvals.at(-1)?.by ?? '?',
        waiting: stillWaitingText(context, input.policy, input.recipient.locale),
      }),
    (context) => context.approvals.at(-1)?.by,
  ),
  approved: textNotice(
    'progress',
    ({ t, id, context }) => t.approved({ id, by: context.approvals.map((a) => a.by).join(', ') }),
    decider,
  ),
  denied: textNotice(
    'result',
    ({ t, id, context }) =>
      t.denied({ id, by: context.decision?.by ?? '?', reason: context.decision?.reason ?? '' }),
    decider,
  ),
  expired: textNotice('result', ({ t, id }) => t.expired({ id })),
};
