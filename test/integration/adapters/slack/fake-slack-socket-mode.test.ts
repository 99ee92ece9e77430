import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import type { Socket } from 'node:net';
import { WebSocket } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createFakeSlackApi } from '../../../../adapters/slack/fake-api/create-fake-slack-api.ts';
import { webSocketAccept } from '../../../../adapters/slack/fake-api/accept-websocket.ts';
import { eventually } from './slack-harness.ts';

const appToken = 'xapp-1-A0FAKE-1-fake-socket-mode-test';
const api = createFakeSlackApi({ token: 'xoxb-test-token', appToken, appId: 'A0SGOPS01' });
let url = '';
let apiUrl = '';
const sockets: WebSocket[] = [];

beforeAll(async () => {
  ({ url, apiUrl } = await api.start());
});

afterEach(() => {
  for (const ws of sockets.splice(0)) ws.close();
  api.reset();
});

afterAll(async () => {
  await api.stop();
});

async function connectionsOpen(token: string | undefined): Promise<Record<string, unknown>> {
  const res = await fetch(`${apiUrl}apps.connections.open`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
  });
  return (await res.json()) as Record<string, unknown>;
}

/** A Socket Mode client's first steps: a URL from apps.connections.open, a WebSocket, its messages. */
async function connect(): Promise<{ ws: WebSocket; messages: Record<string, unknown>[] }> {
  const opened = await connectionsOpen(appToken);
  const ws = new WebSocket(String(opened['url']));
  sockets.push(ws);
  const messages: Record<string, unknown>[] = [];
  ws.addEventListener('message', (event) => messages.push(JSON.parse(String(event.data))));
  await eventually(() => messages.find((m) => m['type'] === 'hello'));
  return { ws, messages };
}

async function admin(method: 'GET' | 'POST', path: string, body?: unknown) {
  const res = await fetch(`${url}/socket-mode${path}`, {
    method,
    ...(body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & unknown[] };
}

const slashPayload = { command: '/sgops', text: 'help', user_id: 'U0ALICE01', trigger_id: '1.2.3' };

describe('the fake Slack API in Socket Mode', () => {
  it('opens a connection only for the app-level token, sent in the Authorization header', async () => {
    expect(await connectionsOpen(undefined)).toEqual({ ok: false, error: 'not_authed' });
    expect(await connectionsOpen('xoxb-test-token')).toEqual({ ok: false, error: 'not_allowed_token_type' });
    expect(await connectionsOpen('xapp-1-someone-else')).toEqual({ ok: false, error: 'invalid_auth' });
    const opened = await connectionsOpen(appToken);
    expect(opened).toMatchObject({ ok: true });
    expect(String(opened['url'])).toMatch(
      /^ws:\/\/127\.0\.0\.1:\d+\/link\/\?ticket=[0-9a-f-]{36}&app_id=A0SGOPS01$/,
    );
    // The app token opens connections and nothing else.
    const post = await fetch(`${apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${appToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ channel: 'C1', text: 'hi' }),
    });
    expect(await post.json()).toEqual({ ok: false, error: 'not_allowed_token_type' });
  });

  it('greets a connection with hello, and lets each ticket connect once', async () => {
    const opened = await connectionsOpen(appToken);
    const ws = new WebSocket(String(opened['url']));
    sockets.push(ws);
    const hello = await new Promise<Record<string, unknown>>((resolve) =>
      ws.addEventListener('message', (e) => resolve(JSON.parse(String(e.data)))),
    );
    expect(hello).toMatchObject({
      type: 'hello',
      num_connections: 1,
      connection_info: { app_id: 'A0SGOPS01' },
      debug_info: { approximate_connection_time: expect.any(Number) },
    });
    const again = new WebSocket(String(opened['url']));
    const failed = await new Promise<string>((resolve) => {
      again.addEventListener('error', () => resolve('error'));
      again.addEventListener('open', () => resolve('open'));
    });
    expect(failed).toBe('error');
    expect(api.socketMode.connections()).toEqual({ open: 1, opened: 1 });
  });

  it('delivers an injected envelope, records its ack and refuses to redeliver an acked one', async () => {
    const { ws, messages } = await connect();
    const sent = await admin('POST', '/envelopes', { type: 'slash_commands', payload: slashPayload });
    expect(sent.status).toBe(200);
    const envelope = await eventually(() => messages.find((m) => m['type'] === 'slash_commands'));
    expect(envelope).toEqual({
      envelope_id: (sent.body['envelope'] as { envelope_id: string }).envelope_id,
      type: 'slash_commands',
      payload: slashPayload,
      accepts_response_payload: true,
    });
    ws.send(JSON.stringify({ envelope_id: envelope['envelope_id'], payload: { text: 'Received' } }));
    await eventually(() => api.socketMode.acks()[0]);
    const acks = await admin('GET', '/acks');
    expect(acks.body).toEqual([
      {
        envelope_id: envelope['envelope_id'],
        payload: { text: 'Received' },
        at: expect.any(String),
        latencyMs: expect.any(Number),
      },
    ]);
    const redelivered = await admin('POST', `/envelopes/${String(envelope['envelope_id'])}/redeliver`);
    expect(redelivered).toEqual({ status: 409, body: { ok: false, error: 'already_acked' } });
  });

  it('redelivers an envelope whose ack was lost, with retry_attempt and retry_reason', async () => {
    const { ws, messages } = await connect();
    await admin('POST', '/acks/drop', { count: 1 });
    const event = { type: 'event_callback', event_id: 'Ev0SOCKET01', event: { type: 'app_mention' } };
    const { envelope_id } = api.socketMode.send({ type: 'events_api', payload: event });
    const first = await eventually(() => messages.find((m) => m['envelope_id'] === envelope_id));
    expect(first).toMatchObject({ type: 'events_api', retry_attempt: 0, retry_reason: '' });
    ws.send(JSON.stringify({ envelope_id, payload: {} }));
    expect(await api.socketMode.waitForAck(envelope_id)).toMatchObject({ dropped: true });

    const again = await admin('POST', `/envelopes/${envelope_id}/redeliver`);
    expect(again.status).toBe(200);
    const second = await eventually(() => messages.filter((m) => m['envelope_id'] === envelope_id)[1]);
    expect(second).toEqual({
      envelope_id,
      type: 'events_api',
      payload: event,
      accepts_response_payload: false,
      retry_attempt: 1,
      retry_reason: 'timeout',
    });
    ws.send(JSON.stringify({ envelope_id, payload: {} }));
    await eventually(() => api.socketMode.acks(envelope_id)[1]);
    expect((await admin('GET', '/envelopes')).body).toEqual([
      expect.objectContaining({ envelope_id, deliveries: 2, acked: true }),
    ]);
  });

  it('sends disconnect on request, and has nowhere to deliver once the client has gone', async () => {
    const { ws, messages } = await connect();
    const closed = new Promise<void>((resolve) => ws.addEventListener('close', () => resolve()));
    const res = await admin('POST', '/disconnect', { reason: 'refresh_requested' });
    expect(res.body).toEqual({ ok: true, connections: 1 });
    const disconnect = await eventually(() => messages.find((m) => m['type'] === 'disconnect'));
    expect(disconnect).toEqual({
      type: 'disconnect',
      reason: 'refresh_requested',
      debug_info: { host: expect.stringMatching(/^applink-/) },
    });
    ws.close();
    await closed;
    await eventually(() => (api.socketMode.connections().open === 0 ? true : undefined));
    const nowhere = await admin('POST', '/envelopes', {
      type: 'interactive',
      payload: { type: 'block_actions' },
    });
    expect(nowhere).toEqual({ status: 409, body: { ok: false, error: 'no_connection' } });
    expect((await admin('POST', '/envelopes', { type: 'rtm', payload: {} })).status).toBe(400);
  });

  it('speaks RFC 6455: the accept key, a pong for each ping, fragmented messages and the close handshake', async () => {
    const opened = await connectionsOpen(appToken);
    const target = new URL(String(opened['url']));
    const key = randomBytes(16).toString('base64');
    // RFC 6455 §1.3's worked example, so the accept key is not only checked against itself.
    expect(webSocketAccept('dGhlIHNhbXBsZSBub25jZQ==')).toBe('s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
    let accept: unknown;
    let head: Buffer = Buffer.alloc(0);
    const socket = await new Promise<Socket>((resolve, reject) => {
      const req = request({
        host: target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        headers: {
          connection: 'Upgrade',
          upgrade: 'websocket',
          'sec-websocket-key': key,
          'sec-websocket-version': '13',
        },
      });
      req.on('upgrade', (res, upgraded: Socket, rest: Buffer) => {
        accept = res.headers['sec-websocket-accept'];
        head = rest;
        resolve(upgraded);
      });
      req.on('error', reject);
      req.end();
    });
    expect(accept).toBe(webSocketAccept(key));
    const frames: { opcode: number; payload: Buffer }[] = [];
    // What came with the 101 response (the hello, often) is the stream's first bytes.
    let pending: Buffer = Buffer.alloc(0);
    const read = (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      // The server's frames are unmasked, and none here is longer than 64 KiB.
      for (;;) {
        if (pending.length < 2) return;
        const short = pending[1]! & 0x7f;
        if (short === 126 && pending.length < 4) return;
        const [length, offset] = short === 126 ? [pending.readUInt16BE(2), 4] : [short, 2];
        if (pending.length < offset + length) return;
        frames.push({ opcode: pending[0]! & 0x0f, payload: pending.subarray(offset, offset + length) });
        pending = pending.subarray(offset + length);
      }
    };
    read(head);
    socket.on('data', read);
    const masked = (first: number, payload: Buffer) => {
      const mask = randomBytes(4);
      const body = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]!));
      return Buffer.concat([Buffer.from([first, 0x80 | payload.length]), mask, body]);
    };
    await eventually(() => frames.find((f) => f.opcode === 0x1));
    expect(JSON.parse(frames[0]!.payload.toString())).toMatchObject({ type: 'hello' });

    socket.write(masked(0x89, Buffer.from('are you there')));
    const pong = await eventually(() => frames.find((f) => f.opcode === 0xa));
    expect(pong.payload.toString()).toBe('are you there');

    const { envelope_id } = api.socketMode.send({ type: 'interactive', payload: { type: 'block_actions' } });
    const ack = Buffer.from(JSON.stringify({ envelope_id, payload: {} }));
    socket.write(masked(0x01, ack.subarray(0, 10)));
    socket.write(masked(0x80, ack.subarray(10)));
    expect(await api.socketMode.waitForAck(envelope_id)).toMatchObject({ envelope_id, payload: {} });

    const close = Buffer.alloc(2);
    close.writeUInt16BE(1000);
    const ended = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.write(masked(0x88, close));
    const echoed = await eventually(() => frames.find((f) => f.opcode === 0x8));
    expect(echoed.payload.readUInt16BE(0)).toBe(1000);
    await ended;
  });
});
