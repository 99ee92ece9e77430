/**
 * WeCom as an approver meets it: the approval card sgops sent a person, read from the fake WeCom
 * API's call log, and a click on one of its buttons, signed as WeCom signs its callbacks.
 */
import type { ChatFakes } from '../../src/sandbox/start-chat-fakes.ts';
import { postWeComCardClick } from './signed-chat-posts.ts';

/** An approval card as sgops sent it: the task it is, and its buttons (`approve…`, `deny…`). */
export interface WeComCard {
  task_id: string;
  button_list: { key: string }[];
}

/** The approval card about `requestId` sgops sent `touser`, or undefined while there is none (a probe for `until`). */
export function weComCardSent(
  wecomApi: ChatFakes['wecomApi'],
  touser: string,
  requestId: string,
): WeComCard | undefined {
  return wecomApi
    .calls()
    .map((c) => c.body as { touser?: string; msgtype?: string; template_card?: WeComCard })
    .find(
      (b) =>
        b.touser === touser &&
        b.msgtype === 'template_card' &&
        b.template_card?.button_list.some((x) => x.key.endsWith(requestId)),
    )?.template_card;
}

/** `user` clicks the `decision` button of `card`, with the response code the fake API gave the card. */
export function clickWeComCard(
  url: string,
  fakes: Pick<ChatFakes, 'wecom' | 'wecomApi'>,
  user: string,
  card: WeComCard,
  decision: 'approve' | 'deny' | 'repair',
): Promise<Response> {
  return postWeComCardClick(url, fakes.wecom, {
    user,
    eventKey: card.button_list.find((b) => b.key.startsWith(decision))!.key,
    taskId: card.task_id,
    responseCode: fakes.wecomApi.responseCodeOf(card.task_id) ?? 'rc',
  });
}
