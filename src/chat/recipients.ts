/**
 * Where to reach people: the requester in the thread they asked from; approvers on every platform
 * where they have an id and sgops has a transport (one identity, several platforms).
 */
import type { Locale } from '../commands/command.ts';
import type { Policy } from '../policy/create-policy.ts';
import type { RequestRow } from '../store/store.ts';
import type { Platform, Recipient } from './chat-message.ts';

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

/** Every conversation a person can be reached in, on the platforms that are on. */
export function reachOf(personId: string, policy: Policy, platforms: ReadonlySet<Platform>): Recipient[] {
  const person = policy.person(personId);
  const locale = person?.locale ?? 'en';
  const reach: Recipient[] = [];
  if (platforms.has('console'))
    reach.push({ platform: 'console', conversationId: personId, personId, locale });
  if (person?.slack && platforms.has('slack'))
    reach.push({ platform: 'slack', conversationId: person.slack, personId, locale });
  if (person?.wecom && platforms.has('wecom'))
    reach.push({ platform: 'wecom', conversationId: person.wecom, personId, locale });
  return reach;
}

export function approverRecipients(
  request: RequestRow,
  policy: Policy,
  platforms: ReadonlySet<Platform>,
): Recipient[] {
  return policy
    .approversFor(request.clusterId, request.namespace)
    .filter((id) => id !== request.requester)
    .flatMap((id) => reachOf(id, policy, platforms));
}
