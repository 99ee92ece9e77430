/** What a revoke tells people: its plan, its steps, and what it removed and kept. */
import { commonNotices, textNotice } from '../../src/chat/render-common-notices.ts';
import type { NotificationTemplate } from '../workflow-module.ts';
import type { RevokeNotifyTemplate } from './effects.ts';
import type { RevokeContext } from './types.ts';

export const revokeNotifications: Record<RevokeNotifyTemplate, NotificationTemplate> = {
  ...commonNotices,
  revokePlanned: textNotice('plan', ({ t, id, what, plan }) => t.revokePlanned({ id, what, plan: plan() })),
  revoked: textNotice('result', ({ t, id, what, context }) => {
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
  }),
};
