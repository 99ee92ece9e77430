/**
 * Socket Mode in the fake Slack, as @slack/socket-mode speaks it: `apps.connections.open` (app
 * token in the Authorization header) hands out a single-use `ws://…/link/?ticket=…` URL; each
 * connection is greeted with `hello`; envelopes (`slash_commands`, `events_api`, `interactive`)
 * go to the newest open connection; acks (`{envelope_id, payload}`) are recorded; an envelope
 * whose ack never came can be redelivered with `retry_attempt`/`retry_reason`; and `disconnect`
 * asks the client to reconnect, as Slack does every few hours. Slack also pings; so does this.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { acceptWebSocket, refuseUpgrade, type FakeWebSocket } from './accept-websocket.ts';

export const socketEnvelopeTypes = ['slash_commands', 'events_api', 'interactive'] as const;
export type SocketEnvelopeType = (typeof socketEnvelopeTypes)[number];

export type SocketDisconnectReason = 'refresh_requested' | 'warning' | 'link_disabled';

export interface FakeSocketEnvelope {
  envelope_id: string;
  type: SocketEnvelopeType;
  payload: Record<string, unknown>;
  accepts_response_payload: boolean;
  /** Events API envelopes always carry these (0 and ''); others only when redelivered. */
  retry_attempt?: number;
  retry_reason?: string;
}

export interface FakeSocketAck {
  envelope_id: string;
  /** What the app sent back (`{}` for a bare ack; a slash command's reply, a view's errors…). */
  payload: unknown;
  at: string;
  /** Milliseconds from the envelope's latest delivery to this ack. */
  latencyMs: number;
  /** Lost on the fake's orders (`dropNextAcks`): as far as Slack knows, the envelope is unacked. */
  dropped?: true;
}

export interface FakeSocketEnvelopeState extends FakeSocketEnvelope {
  deliveries: number;
  acked: boolean;
}

export interface FakeSocketModeOptions {
  /** Only this app-level token opens connections; any `xapp-…` token when absent. */
  appToken?: string;
  appId: string;
  /** Where the WebSocket listens: the fake's own `ws://host:port`, known once it has started. */
  wsBase: () => string;
  pingIntervalMs?: number;
  now: () => Date;
}

export class FakeSocketModeError extends Error {
  constructor(
    readonly error: 'no_connection' | 'envelope_not_found' | 'already_acked' | 'invalid_envelope',
    readonly status: number,
  ) {
    super(error);
  }
}

interface Connection {
  id: number;
  ws: FakeWebSocket;
  draining: boolean;
}

interface EnvelopeRecord {
  envelope: FakeSocketEnvelope;
  deliveries: number;
  deliveredAt: number;
}

export interface FakeSocketMode {
  /** The answer to `apps.connections.open` for this bearer token. */
  open(token: string | undefined): Record<string, unknown>;
  /** For the HTTP server's `upgrade` event: only an issued, unused ticket gets a connection. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Pushes an envelope to the newest open connection; throws FakeSocketModeError without one. */
  send(input: {
    type: SocketEnvelopeType;
    payload: Record<string, unknown>;
    accepts_response_payload?: boolean;
  }): FakeSocketEnvelope;
  /** Sends an unacked envelope again, with `retry_attempt` + 1 and `retry_reason`. */
  redeliver(envelopeId: string, reason?: string): FakeSocketEnvelope;
  envelopes(): FakeSocketEnvelopeState[];
  acks(envelopeId?: string): FakeSocketAck[];
  waitForAck(envelopeId: string, timeoutMs?: number): Promise<FakeSocketAck>;
  /** The next `count` acks are lost (recorded with `dropped`), as if they arrived too late. */
  dropNextAcks(count?: number): void;
  /** Sends `disconnect` on every open connection; returns how many. */
  disconnect(reason?: SocketDisconnectReason): number;
  connections(): { open: number; opened: number };
  reset(): void;
  /** Closes every connection (the fake is stopping). */
  closeAll(): void;
}

const defaultAccepts: Record<SocketEnvelopeType, boolean> = {
  slash_commands: true,
  interactive: true,
  events_api: false,
};

export function createFakeSocketMode(options: FakeSocketModeOptions): FakeSocketMode {
  const tickets = new Set<string>();
  const connections: Connection[] = [];
  const envelopes = new Map<string, EnvelopeRecord>();
  const acks: FakeSocketAck[] = [];
  const ackWaiters: ((ack: FakeSocketAck) => void)[] = [];
  let opened = 0;
  let toDrop = 0;
  const pingIntervalMs = options.pingIntervalMs ?? 10_000;

  const openConnections = () => connections.filter((c) => c.ws.open && !c.draining);
  const debugInfo = (id: number) => ({ host: `applink-fake-${id}` });

  function record(raw: string): void {
    let message: { envelope_id?: unknown; payload?: unknown };
    try {
      message = JSON.parse(raw) as typeof message;
    } catch {
      return;
    }
    if (typeof message !== 'object' || message === null || typeof message.envelope_id !== 'string') return;
    const envelope = envelopes.get(message.envelope_id);
    const ack: FakeSocketAck = {
      envelope_id: message.envelope_id,
      payload: message.payload ?? {},
      at: options.now().toISOString(),
      latencyMs: envelope ? performance.now() - envelope.deliveredAt : 0,
      ...(toDrop > 0 ? { dropped: true as const } : {}),
    };
    if (toDrop > 0) toDrop -= 1;
    acks.push(ack);
    for (const waiter of ackWaiters.splice(0)) waiter(ack);
  }

  function deliver(entry: EnvelopeRecord): void {
    const target = openConnections().at(-1);
    if (!target) throw new FakeSocketModeError('no_connection', 409);
    entry.deliveries += 1;
    entry.deliveredAt = performance.now();
    target.ws.send(JSON.stringify(entry.envelope));
  }

  const isAcked = (envelopeId: string) => acks.some((a) => a.envelope_id === envelopeId && !a.dropped);

  return {
    open(token) {
      if (!token) return { ok: false, error: 'not_authed' };
      if (!token.startsWith('xapp-')) return { ok: false, error: 'not_allowed_token_type' };
      if (options.appToken !== undefined && token !== options.appToken) {
        return { ok: false, error: 'invalid_auth' };
      }
      const ticket = randomUUID();
      tickets.add(ticket);
      return { ok: true, url: `${options.wsBase()}/link/?ticket=${ticket}&app_id=${options.appId}` };
    },

    handleUpgrade(req, socket, head) {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const ticket = url.searchParams.get('ticket') ?? '';
      if (url.pathname !== '/link/' || !tickets.delete(ticket)) {
        refuseUpgrade(socket, 401, 'Unauthorized');
        return;
      }
      const ws = acceptWebSocket(req, socket, head);
      if (!ws) return;
      opened += 1;
      const connection: Connection = { id: opened, ws, draining: false };
      connections.push(connection);
      const pinger = setInterval(() => ws.ping(`ping ${Date.now()}`), pingIntervalMs);
      pinger.unref();
      ws.onMessage(record);
      ws.onClose(() => {
        clearInterval(pinger);
        connections.splice(connections.indexOf(connection), 1);
      });
      ws.send(
        JSON.stringify({
          type: 'hello',
          num_connections: openConnections().length,
          debug_info: { ...debugInfo(connection.id), build_number: 1, approximate_connection_time: 18060 },
          connection_info: { app_id: options.appId },
        }),
      );
    },

    send(input) {
      if (!socketEnvelopeTypes.includes(input.type) || typeof input.payload !== 'object' || !input.payload) {
        throw new FakeSocketModeError('invalid_envelope', 400);
      }
      const envelope: FakeSocketEnvelope = {
        envelope_id: randomUUID(),
        type: input.type,
        payload: input.payload,
        accepts_response_payload: input.accepts_response_payload ?? defaultAccepts[input.type],
        ...(input.type === 'events_api' ? { retry_attempt: 0, retry_reason: '' } : {}),
      };
      const entry: EnvelopeRecord = { envelope, deliveries: 0, deliveredAt: 0 };
      deliver(entry);
      envelopes.set(envelope.envelope_id, entry);
      return envelope;
    },

    redeliver(envelopeId, reason = 'timeout') {
      const entry = envelopes.get(envelopeId);
      if (!entry) throw new FakeSocketModeError('envelope_not_found', 404);
      if (isAcked(envelopeId)) throw new FakeSocketModeError('already_acked', 409);
      entry.envelope = { ...entry.envelope, retry_attempt: entry.deliveries, retry_reason: reason };
      deliver(entry);
      return entry.envelope;
    },

    envelopes() {
      return [...envelopes.values()].map((e) => ({
        ...e.envelope,
        deliveries: e.deliveries,
        acked: isAcked(e.envelope.envelope_id),
      }));
    },

    acks(envelopeId) {
      return envelopeId ? acks.filter((a) => a.envelope_id === envelopeId) : [...acks];
    },

    waitForAck(envelopeId, timeoutMs = 5000) {
      const found = acks.find((a) => a.envelope_id === envelopeId);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          const at = ackWaiters.indexOf(waiter);
          if (at >= 0) ackWaiters.splice(at, 1);
          reject(new Error(`no ack for envelope ${envelopeId} within ${timeoutMs} ms`));
        }, timeoutMs);
        const waiter = (ack: FakeSocketAck) => {
          if (ack.envelope_id !== envelopeId) {
            ackWaiters.push(waiter);
            return;
          }
          clearTimeout(timer);
          resolve(ack);
        };
        ackWaiters.push(waiter);
      });
    },

    dropNextAcks(count = 1) {
      toDrop += count;
    },

    disconnect(reason = 'refresh_requested') {
      const targets = openConnections();
      for (const connection of targets) {
        connection.draining = true;
        connection.ws.send(
          JSON.stringify({ type: 'disconnect', reason, debug_info: debugInfo(connection.id) }),
        );
      }
      return targets.length;
    },

    connections() {
      return { open: openConnections().length, opened };
    },

    reset() {
      envelopes.clear();
      acks.length = 0;
      toDrop = 0;
    },

    closeAll() {
      for (const connection of [...connections]) connection.ws.close(1001, 'going away');
      tickets.clear();
    },
  };
}
