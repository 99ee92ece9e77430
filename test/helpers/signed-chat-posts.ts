/**
 * What Slack and WeCom post to sgops, signed as they sign it: a form to `/slack/events` (a slash
 * command, a button's payload), and a typed line or an approval card's click to `/wecom/callback`.
 */
import { signSlackRequest } from '../../adapters/slack/index.ts';
import { encryptWeComCallback, weComCardClickXml, weComTextXml } from '../../adapters/wecom/index.ts';
import type { ChatFakes } from '../../src/sandbox/start-chat-fakes.ts';

export function postSlackForm(
  url: string,
  signingSecret: string,
  form: Record<string, string>,
): Promise<Response> {
  const body = new URLSearchParams(form).toString();
  return fetch(`${url}/slack/events`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...signSlackRequest(signingSecret, body),
    },
    body,
  });
}

/** `user`'s click on the button `eventKey` of the card `taskId`, encrypted with the app's WeCom secrets. */
export function postWeComCardClick(
  url: string,
  wecom: ChatFakes['wecom'],
  click: { user: string; eventKey: string; taskId: string; responseCode: string },
): Promise<Response> {
  const signed = encryptWeComCallback({
    token: wecom.token,
    encodingAESKey: wecom.encodingAESKey,
    corpId: wecom.corpId,
    xml: weComCardClickXml({
      corpId: wecom.corpId,
      fromUser: click.user,
      eventKey: click.eventKey,
      taskId: click.taskId,
      responseCode: click.responseCode,
      agentId: wecom.agentId,
    }),
  });
  return fetch(`${url}/wecom/callback${signed.query}`, { method: 'POST', body: signed.body });
}

/** A line `user` typed to the app, encrypted with the app's WeCom secrets; `msgId` is WeCom's MsgId. */
export function postWeComText(
  url: string,
  wecom: ChatFakes['wecom'],
  line: { user: string; content: string; msgId: string },
): Promise<Response> {
  const signed = encryptWeComCallback({
    token: wecom.token,
    encodingAESKey: wecom.encodingAESKey,
    corpId: wecom.corpId,
    xml: weComTextXml({
      corpId: wecom.corpId,
      fromUser: line.user,
      content: line.content,
      msgId: line.msgId,
      agentId: wecom.agentId,
    }),
  });
  return fetch(`${url}/wecom/callback${signed.query}`, { method: 'POST', body: signed.body });
}
