/** What a revoke tells people: its plan, its steps, and what it removed and kept. */
import { commonNotices, textNotice } from '../../src/chat/render-common-notices.ts';
import type { NotificationTemplate } from '../workflow-module.ts';
import { saidIn, words } from '../../src/domain/words.ts';
import type { RevokeNotifyTemplate } from './effects.ts';
import type { RevokeContext } from './types.ts';

export const revokeNotifications: Record<RevokeNotifyTemplate, NotificationTemplate> = {
  ...commonNotices,
  revokePlanned: textNotice('plan', ({ t, id, what, plan }) => t.revokePlanned({ id, what, plan: plan() })),
  revoked: textNotice('result', ({ t, id, what, context, input }) => {
    const locale = input.recipient.locale;
    const o = (context as unknown as RevokeContext).outputs;
    const dns = o.removeDnsRules?.removed.length ?? 0;
    const removed = [
      o.removePolicy?.deleted
        ? words(`policy ${o.removePolicy.policyName}`, `策略 ${o.removePolicy.policyName}`)
        : null,
      dns > 0 ? words(`${dns} DNS rule(s)`, `${dns} 条 DNS 规则`) : null,
      o.removePodGroup?.deleted
        ? words(`group ${o.removePodGroup.podGroupId}`, `安全组 ${o.removePodGroup.podGroupId}`)
        : null,
    ].flatMap((said) => (said ? [saidIn(said, locale)] : []));
    const kept = [
      o.removePolicy?.kept ?? null,
      ...(o.removeDnsRules?.kept ?? []),
      ...(o.removePodGroup?.kept ?? []),
    ].flatMap((said) => (said ? [saidIn(said, locale)] : []));
    return t.revoked({
      id,
      what,
      removed: removed.join(locale === 'zh' ? '，' : ', ') || '-',
      kept: kept.join(locale === 'zh' ? '；' : '; '),
    });
  }),
};
