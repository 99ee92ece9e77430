/**
 * Where to reach people: the requester in the thread they asked from; approvers on every platform
 * where they have an id and sgops has a transport (one identity, several platforms).
 */
import type { Locale } from '../commands/command.ts';
import type { Policy } from '../policy/create-policy.ts';
import { ownNamespaceKey } from '../ports/group-owners.ts';
import type { RequestRow } from '../store/store.ts';
import type { Platform, Recipient } from './chat-message.ts';

export function requesterRecipient(request: RequestRow, policy: Policy): Recipient & { threadId?: string } {
  const origin = request.origin as RequestRow['origin'] & { locale?: Locale };
  return {
    platform: origin.platform,
    conversationId: origin.conversationId,
    ...(origin.threadId ? { threadId: origin.threadId } : {}),
    personId: request.requester,
    // The person's own language first; else the language they asked in.
    locale: policy.person(request.requester)?.locale ?? origin.locale ?? 'en',
  };
}

/** Every conversation a person can be reached in, on the platforms that are on. */
export function reachOf(personId: string, policy: Policy, platforms: ReadonlySet<Platform>): Recipient[] {
  const person = policy.person(personId);
  const locale = person?.locale ?? 'en';
  return [...platforms].flatMap((platform) => {
    const conversationId = policy.platformIdOf(personId, platform);
    return conversationId === null ? [] : [{ platform, conversationId, personId, locale }];
  });
}

/**
 * Everyone whose sign-off the request can take: its namespace's approvers and the owners of each
 * other team's group its plan touches (`signOffKeys`; the namespace's alone when absent). Owners
 * are shown the whole request, not only their part.
 */
export function approverRecipients(
  request: RequestRow,
  policy: Policy,
  platforms: ReadonlySet<Platform>,
  signOffKeys: readonly string[] = [ownNamespaceKey],
): Recipient[] {
  const people = new Set(signOffKeys.flatMap((key) => policy.signersFor(key, request)));
  return [...people].flatMap((id) => reachOf(id, policy, platforms));
}
