/**
 * Carries out the machine's `notify` effects: renders the template for each recipient in their
 * language and sends it through the transport of their platform.
 */
import type { Logger } from 'pino';
import type { Engine } from '../engine/engine.ts';
import type { Policy } from '../policy/create-policy.ts';
import type { GrantContext } from '../../workflows/grant/types.ts';
import type { NotifyTemplate as GrantNotifyTemplate } from '../../workflows/grant/effects.ts';
import type { RevokeNotifyTemplate } from '../../workflows/revoke/effects.ts';
import type { RevokeContext } from '../../workflows/revoke/types.ts';

type NotifyTemplate = GrantNotifyTemplate | RevokeNotifyTemplate;
import type { ChatOutbound, ChatTransport, OutboundKind, Recipient } from './chat-message.ts';
import { approverRecipients, requesterRecipient } from './recipients.ts';
import { describeRequest, renderPlan, renderVerdicts } from './render-grant.ts';
import { durationPhrase, expiryLine, formatInstant, formatSpan } from './render-lifecycle.ts';
import { replyTexts, stepLabel } from './reply-texts.ts';
import { renderApprovalEssentials } from './render-sign-offs.ts';
import { stillWaitingText } from './sign-off-words.ts';
import { signOffProgress } from '../../workflows/grant/sign-off-progress.ts';

export interface NotifyJob {
  requestId: string;
  template: NotifyTemplate;
  audience: 'requester' | 'approvers' | 'everyone';
  step?: string;
}

export interface Notifier {
  notify(job: NotifyJob): Promise<void>;
}

const kindOf: Record<NotifyTemplate, OutboundKind> = {
  planReady: 'plan',
  planned: 'plan',
  revokePlanned: 'plan',
  revoked: 'result',
  autoApproved: 'progress',
  approvalRequested: 'approval',
  approvalRecorded: 'progress',
  approved: 'progress',
  stepStarted: 'progress',
  done: 'result',
  needsAttention: 'result',
  failed: 'error',
  denied: 'result',
  expired: 'result',
  cancelled: 'result',
  rolledBack: 'result',
  // In the thread, not a second card: the first card still carries the buttons.
  approvalReminder: 'result',
  expiryWarning: 'result',
  grantExpired: 'result',
  grantLapsed: 'result',
};

export function createNotifier(deps: {
  engine: Engine;
  policy: Policy;
  transports: Partial<Record<Recipient['platform'], ChatTransport>>;
  logger: Logger;
  /** The console's address as people reach it: cards too long for a chat link to the request there. */
  consoleUrl?: string;
}): Notifier {
  const { engine, policy, transports, logger, consoleUrl } = deps;
  const platforms = new Set(Object.keys(transports) as Recipient['platform'][]);

  /** An approval request in two parts: what may never be cut, and the plan with how to decide. */
  function approvalCard(context: GrantContext, r: Recipient): NonNullable<ChatOutbound['card']> {
    const t = replyTexts[r.locale];
    const id = context.spec.requestId;
    const what = describeRequest('grant', context, r.locale) + durationPhrase('grant', context, r.locale);
    const plan = context.outputs.planning ? renderPlan(context.outputs.planning, r.locale) : '';
    return {
      essentials: t.approvalAsk({
        id,
        requester: context.spec.requester,
        what,
        essentials: renderApprovalEssentials(context, policy, r.locale),
      }),
      plan: `${plan}\n${t.approvalHowTo({ id })}`,
      ...(consoleUrl ? { reviewUrl: `${consoleUrl.replace(/\/$/, '')}/#${id}` } : {}),
    };
  }

  /** A message's words: an approval request is its card (rendered once) with its buttons; the rest is text. */
  function compose(
    job: NotifyJob,
    workflow: string,
    context: GrantContext,
    state: string,
    r: Recipient,
  ): Pick<ChatOutbound, 'text' | 'card' | 'actions'> {
    if (job.template !== 'approvalRequested')
      return { text: render({ ...job, template: job.template }, workflow, context, state, r) };
    const card = approvalCard(context, r);
    return {
      text: `${card.essentials}\n${card.plan}`,
      card,
      actions: [
        { id: 'approve', requestId: job.requestId },
        { id: 'deny', requestId: job.requestId },
      ],
    };
  }

  /** Every template but the approval request (see compose). */
  function render(
    job: NotifyJob & { template: Exclude<NotifyTemplate, 'approvalRequested'> },
    workflow: string,
    context: GrantContext,
    state: string,
    r: Recipient,
  ): string {
    const t = replyTexts[r.locale];
    const id = job.requestId;
    const what = describeRequest(workflow, context, r.locale) + durationPhrase(workflow, context, r.locale);
    // A time-bound grant says when it ends, as of when it began.
    const ends = context.activeSince ? expiryLine(context, context.activeSince, r.locale) : '';
    // Rendered only by the templates that show it: a big app's plan is long.
    const plan = () => (context.outputs.planning ? renderPlan(context.outputs.planning, r.locale) : '');
    const lastApproval = context.approvals.at(-1);
    const essentials = () => renderApprovalEssentials(context, policy, r.locale);
    switch (job.template) {
      case 'planReady':
        return t.planReady({ id, what, essentials: essentials(), plan: plan() });
      case 'autoApproved':
        return t.autoApproved({ id });
      case 'revokePlanned':
        return t.revokePlanned({ id, what, plan: plan() });
      case 'revoked': {
        const o = (context as unknown as RevokeContext).outputs;
        const removed = [
          o.removePolicy?.deleted ? `policy ${o.removePolicy.policyName}` : '',
          o.removeDnsRules && o.removeDnsRules.removed.length > 0
            ? `${o.removeDnsRules.removed.length} DNS rule(s)`
            : '',
          o.removePodGroup?.deleted ? `group ${o.removePodGroup.podGroupId}` : '',
        ].filter(Boolean);
        const kept = [
          o.removePolicy?.kept ?? '',
          ...(o.removeDnsRules?.kept ?? []),
          ...(o.removePodGroup?.kept ?? []),
        ].filter(Boolean);
        return t.revoked({ id, what, removed: removed.join(', ') || '-', kept: kept.join('; ') });
      }
      case 'planned':
        return t.planned({ id, what, plan: plan() });
      case 'approvalRecorded':
        return t.approvalRecorded({
          id,
          by: lastApproval?.by ?? '?',
          waiting: stillWaitingText(context, policy, r.locale),
        });
      case 'approved':
        return t.approved({ id, by: context.approvals.map((a) => a.by).join(', ') });
      case 'stepStarted':
        return t.stepStarted({ id, step: stepLabel(r.locale, workflow, job.step ?? state) });
      case 'done':
        return withLine(
          t.done({ id, what, pods: renderVerdicts(context.outputs.verifying?.pods ?? [], r.locale) }),
          ends,
        );
      case 'needsAttention':
        return withLine(
          t.needsAttention({
            id,
            pods: renderVerdicts(context.outputs.verifying?.pods ?? [], r.locale),
          }),
          ends,
        );
      case 'approvalReminder':
        return t.approvalReminder({
          id,
          requester: context.spec.requester,
          what,
          waited: formatSpan(context.remindersSent * context.approvalReminderMs, r.locale),
        });
      case 'expiryWarning':
        return t.expiryWarning({
          id,
          what,
          expires: context.expiresAt ? formatInstant(context.expiresAt) : '-',
          left: formatSpan(context.expiryWarningMs ?? 0, r.locale),
        });
      case 'grantExpired':
        return t.grantExpired({ id, what, revokeId: context.revocation?.revokeRequestId ?? '-' });
      case 'grantLapsed':
        return t.grantLapsed({ id, what, coveredBy: context.lapse?.coveredBy ?? '-' });
      case 'failed':
        return t.failed({
          id,
          step: stepLabel(r.locale, workflow, context.failedStep ?? state),
          message: context.error?.message ?? '',
          hint: context.error?.hint ?? '',
          changedNothing: context.failedStep === 'planning',
        });
      case 'denied':
        return t.denied({ id, by: context.decision?.by ?? '?', reason: context.decision?.reason ?? '' });
      case 'expired':
        return t.expired({ id });
      case 'cancelled':
        return t.cancelled({ id, by: context.decision?.by ?? '?' });
      case 'rolledBack':
        return t.rolledBack({ id, undone: context.outputs.rollingBack?.undone.join('; ') || '-' });
    }
  }

  return {
    async notify(job) {
      const view = await engine.read(job.requestId);
      if (!view) return;
      const context = view.context as GrantContext;
      const requester = requesterRecipient(view.request, policy);
      // A grant's plan may name owners of other teams' groups: they are approvers of this request too.
      const signOffKeys =
        view.request.workflow === 'grant' ? signOffProgress(context).map((s) => s.key) : undefined;
      const approvers = () => approverRecipients(view.request, policy, platforms, signOffKeys);
      const recipients: (Recipient & { threadId?: string })[] =
        job.audience === 'requester'
          ? [requester]
          : job.audience === 'approvers'
            ? approvers()
            : [requester, ...approvers()];
      // Whoever just decided was answered in reply to their own line; do not tell them twice.
      const decider =
        job.template === 'approved' || job.template === 'denied' || job.template === 'cancelled'
          ? context.decision?.by
          : job.template === 'approvalRecorded'
            ? context.approvals.at(-1)?.by
            : undefined;
      const seen = new Set<string>();
      for (const r of recipients) {
        const key = `${r.platform}/${r.conversationId}`;
        if (seen.has(key) || (decider !== undefined && r.personId === decider)) continue;
        seen.add(key);
        const transport = transports[r.platform];
        if (!transport) {
          logger.warn(
            { requestId: job.requestId, platform: r.platform },
            'no transport for recipient; message not sent',
          );
          continue;
        }
        const message: ChatOutbound = {
          platform: r.platform,
          conversationId: r.conversationId,
          ...(r.threadId ? { threadId: r.threadId } : {}),
          personId: r.personId,
          locale: r.locale,
          kind: kindOf[job.template],
          ...compose(job, view.request.workflow, context, view.state, r),
          requestId: job.requestId,
          state: view.state,
        };
        await transport.send(message);
      }
    },
  };
}

const withLine = (text: string, line: string) => (line ? `${text}\n${line}` : text);
