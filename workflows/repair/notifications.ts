/** What a repair tells people: its plan and the approval it asks, the decision, and what it put back. */
import type { ChatOutbound } from '../../src/chat/chat-message.ts';
import { commonNotices, noticeParts, textNotice } from '../../src/chat/render-common-notices.ts';
import { stillWaitingText } from '../../src/chat/sign-off-words.ts';
import { saidIn, words } from '../../src/domain/words.ts';
import type { NotificationTemplate, NotifyInput } from '../workflow-module.ts';
import { describeRule } from '../shared/rules/tccli-lines.ts';
import type { RepairNotifyTemplate } from './effects.ts';
import type { RepairContext } from './types.ts';

const repairOf = (context: unknown) => context as RepairContext;
const decider = (context: { decision?: { by: string } | null }) => context.decision?.by;

/** The approval card: what a repair is, its plan, how to decide, and the buttons. */
function approvalCard(input: NotifyInput): Pick<ChatOutbound, 'text' | 'card' | 'actions'> {
  const { t, id, what, plan, context } = noticeParts(input);
  const card = {
    essentials: t.approvalAsk({
      id,
      requester: context.spec.requester,
      what,
      essentials: t.repairEssentials({ grantId: repairOf(context).spec.grantRequestId }),
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
}

export const repairNotifications: Record<RepairNotifyTemplate, NotificationTemplate> = {
  ...commonNotices,
  repairPlanReady: textNotice('plan', ({ t, id, what, plan, context }) =>
    t.planReady({
      id,
      what,
      essentials: t.repairEssentials({ grantId: repairOf(context).spec.grantRequestId }),
      plan: plan(),
    }),
  ),
  approvalRequested: { kind: 'approval', compose: approvalCard },
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
  nothingToRepair: textNotice('result', ({ t, id, what, context, input }) => {
    const warnings = repairOf(context).outputs.planning?.warnings ?? [];
    return t.nothingToRepair({
      id,
      what,
      notes: warnings.map((w) => `- ${saidIn(w, input.recipient.locale)}`).join('\n'),
    });
  }),
  repaired: textNotice('result', ({ t, id, what, context, input }) => {
    const locale = input.recipient.locale;
    const o = repairOf(context).outputs;
    const restored = [
      ...(o.restoreRules?.restored ?? []).map(({ groupId, direction, rules }) =>
        words(
          `${rules.map(describeRule).join(', ')} (${direction}) in ${groupId}`,
          `${groupId} 中的${direction === 'ingress' ? '入站' : '出站'}规则 ${rules.map(describeRule).join('，')}`,
        ),
      ),
      // inPlace: planned and back when the step ran (see types.ts), so put back all the same.
      o.reapplyPolicy && o.reapplyPolicy.policy !== 'notPlanned'
        ? words('the SecurityGroupPolicy', 'SecurityGroupPolicy')
        : null,
      o.reapplyPolicy?.labelled ? words("the service account's label", '服务账号的标签') : null,
      (o.recreatePods?.restarted.length ?? 0) > 0
        ? words(
            `the group on the pods of ${o.recreatePods!.restarted.join(', ')}`,
            `${o.recreatePods!.restarted.join('、')} 的 Pod 上的安全组`,
          )
        : null,
    ].flatMap((said) => (said ? [saidIn(said, locale)] : []));
    return t.repaired({ id, what, restored: restored.join(locale === 'zh' ? '；' : '; ') || '-' });
  }),
};
