/** Finds where to reach people: the requester in the thread they asked from, approvers where they live. */
import type { Locale } from '../commands/command.ts';
import type { Policy } from '../policy/create-policy.ts';
import type { RequestRow } from '../store/store.ts';
import type { Recipient } from './chat-message.ts';

export function requesterRecipient(request: RequestRow, policy: Policy): Recipient & { threadId?: string } {
  const origin = request.origin as RequestRow['origin'] & { locale?: Locale };
  return {
    platform: origin.platform as Recipient['platform'],
    conversationId: origin.conversationId,
    ...(origin.threadId ? { threadId: origin.threadId } : {}),
    personId: request.requester,
    locale: origin.locale ?? policy.person(request.requester)?.locale ?? 'en',
  };
}

/** Approvers get a direct conversation; the console names conversations after the person. */
export function approverRecipients(request: RequestRow, policy: Policy): Recipient[] {
  return policy
    .approversFor(request.clusterId, request.namespace)
    .filter((id) => id !== request.requester)
    .map((id) => ({
      platform: 'console' as const,
      conversationId: id,
      personId: id,
      locale: policy.person(id)?.locale ?? 'en',
    }));
}
