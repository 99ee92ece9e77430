/** What a repair tells people: its plan and the approval it asks, the decision, and what it put back. */
import {
  approvalNotice,
  commonNotices,
  decisionNotices,
  textNotice,
} from '../../src/chat/render-common-notices.ts';
import type { NoticeParts } from '../../src/chat/render-common-notices.ts';
import { signOffsNeeded } from '../../src/chat/render-sign-offs.ts';
import { saidIn, words } from '../../src/domain/words.ts';
import type { NotificationTemplate } from '../workflow-module.ts';
import { describeRule } from '../shared/rules/tccli-lines.ts';
import type { RepairNotifyTemplate } from './effects.ts';
import type { RepairContext } from './types.ts';

const repairOf = (context: unknown) => context as RepairContext;

/** Which grant it puts back, and — as a grant's plan does — who must sign it off and how many. */
const essentials = ({ t, context, input }: NoticeParts) =>
  [
    t.repairEssentials({ grantId: repairOf(context).spec.grantRequestId }),
    ...signOffsNeeded(repairOf(context), input.policy, input.recipient.locale),
  ].join('\n');

export const repairNotifications: Record<RepairNotifyTemplate, NotificationTemplate> = {
  ...commonNotices,
  ...decisionNotices,
  repairPlanReady: textNotice('plan', (n) =>
    n.t.planReady({ id: n.id, what: n.what, essentials: essentials(n), plan: n.plan() }),
  ),
  approvalRequested: approvalNotice(essentials),
  autoApproved: textNotice('plan', ({ t, id, what, plan, context }) =>
    t.repairAutoApproved({ id, what, grantId: repairOf(context).spec.grantRequestId, plan: plan() }),
  ),
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
