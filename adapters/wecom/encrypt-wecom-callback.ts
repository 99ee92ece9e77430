/**
 * Builds what WeCom would POST to the callback URL: the message encrypted with the app's
 * EncodingAESKey for its corp id, signed with its token. For tests, benchmarks and the sandbox.
 */
import { randomBytes } from 'node:crypto';
import { encrypt, getSignature } from '@wecom/crypto';

export interface WeComCallbackRequest {
  /** `?msg_signature=…&timestamp=…&nonce=…`, to append to the callback URL. */
  query: string;
  body: string;
  signature: string;
  encrypted: string;
}

export interface EncryptWeComCallbackInput {
  token: string;
  encodingAESKey: string;
  corpId: string;
  xml: string;
  /** Unix seconds; now by default. */
  timestamp?: number | string;
  nonce?: string;
  /** The outer envelope's AgentID. */
  agentId?: string | number;
}

const cdata = (value: string) => `<![CDATA[${value.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;

export function encryptWeComCallback(input: EncryptWeComCallbackInput): WeComCallbackRequest {
  const timestamp = String(input.timestamp ?? Math.floor(Date.now() / 1000));
  const nonce = input.nonce ?? randomBytes(8).toString('hex');
  const encrypted = encrypt(input.encodingAESKey, input.xml, input.corpId);
  const signature = getSignature(input.token, timestamp, nonce, encrypted);
  const params = new URLSearchParams({ msg_signature: signature, timestamp, nonce });
  const body =
    `<xml><ToUserName>${cdata(input.corpId)}</ToUserName>` +
    (input.agentId === undefined ? '' : `<AgentID>${cdata(String(input.agentId))}</AgentID>`) +
    `<Encrypt>${cdata(encrypted)}</Encrypt></xml>`;
  return { query: `?${params.toString()}`, body, signature, encrypted };
}

/** The GET query WeCom sends to verify the callback URL; the answer must be `echo`. */
export function encryptWeComUrlVerification(input: {
  token: string;
  encodingAESKey: string;
  corpId: string;
  echo: string;
  timestamp?: number | string;
  nonce?: string;
}): string {
  const timestamp = String(input.timestamp ?? Math.floor(Date.now() / 1000));
  const nonce = input.nonce ?? randomBytes(8).toString('hex');
  const echostr = encrypt(input.encodingAESKey, input.echo, input.corpId);
  const signature = getSignature(input.token, timestamp, nonce, echostr);
  return `?${new URLSearchParams({ msg_signature: signature, timestamp, nonce, echostr }).toString()}`;
}

/** A decrypted text message as WeCom sends it. */
export function weComTextXml(m: {
  corpId: string;
  fromUser: string;
  content: string;
  msgId: string;
  agentId: string | number;
  createTime?: number;
}): string {
  return (
    `<xml><ToUserName>${cdata(m.corpId)}</ToUserName><FromUserName>${cdata(m.fromUser)}</FromUserName>` +
    `<CreateTime>${m.createTime ?? Math.floor(Date.now() / 1000)}</CreateTime><MsgType>${cdata('text')}</MsgType>` +
    `<Content>${cdata(m.content)}</Content><MsgId>${m.msgId}</MsgId><AgentID>${m.agentId}</AgentID></xml>`
  );
}

/** A decrypted template card click (`template_card_event`) as WeCom sends it. */
export function weComCardClickXml(m: {
  corpId: string;
  fromUser: string;
  eventKey: string;
  taskId: string;
  responseCode: string;
  agentId: string | number;
  createTime?: number;
}): string {
  return (
    `<xml><ToUserName>${cdata(m.corpId)}</ToUserName><FromUserName>${cdata(m.fromUser)}</FromUserName>` +
    `<CreateTime>${m.createTime ?? Math.floor(Date.now() / 1000)}</CreateTime><MsgType>${cdata('event')}</MsgType>` +
    `<Event>${cdata('template_card_event')}</Event><EventKey>${cdata(m.eventKey)}</EventKey>` +
    `<TaskId>${cdata(m.taskId)}</TaskId><CardType>${cdata('button_interaction')}</CardType>` +
    `<ResponseCode>${cdata(m.responseCode)}</ResponseCode><AgentID>${m.agentId}</AgentID></xml>`
  );
}
