/**
 * The server side of RFC 6455, just what the fake Slack's Socket Mode needs: the opening
 * handshake on a node:http `upgrade`, text frames both ways (a client's frames are masked, ours
 * are not), fragmented messages, ping → pong, and the close handshake. No extensions and no
 * subprotocols are negotiated; @slack/socket-mode asks for neither. (Written here because `ws`
 * is no dependency of sgops or of @slack/socket-mode, whose client is undici's WebSocket.)
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

const handshakeGuid = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const maxMessageBytes = 16 * 1024 * 1024;

const opcodes = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;

export interface FakeWebSocket {
  readonly open: boolean;
  send(text: string): void;
  ping(data?: string): void;
  /** Starts the close handshake; the peer's close frame (or a timeout) ends the connection. */
  close(code?: number, reason?: string): void;
  /** Drops the TCP connection without a close frame, like a network fault. */
  terminate(): void;
  onMessage(listener: (text: string) => void): void;
  onPong(listener: () => void): void;
  /** Once, when the connection is gone; `code` is the peer's close code, 1006 if there was none. */
  onClose(listener: (code: number) => void): void;
}

/** The Sec-WebSocket-Accept value for a client's Sec-WebSocket-Key. */
export function webSocketAccept(key: string): string {
  return createHash('sha1').update(`${key}${handshakeGuid}`).digest('base64');
}

/** Completes the handshake, or answers 400 and returns undefined when the request is no WebSocket upgrade. */
export function acceptWebSocket(
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
): FakeWebSocket | undefined {
  const key = req.headers['sec-websocket-key'];
  if (
    req.method !== 'GET' ||
    req.headers.upgrade?.toLowerCase() !== 'websocket' ||
    req.headers['sec-websocket-version'] !== '13' ||
    typeof key !== 'string' ||
    Buffer.from(key, 'base64').length !== 16
  ) {
    refuseUpgrade(socket, 400, 'Bad Request');
    return undefined;
  }
  socket.write(
    [
      'HTTP/1.1 101 Switching Protocols',
      'Upgrade: websocket',
      'Connection: Upgrade',
      `Sec-WebSocket-Accept: ${webSocketAccept(key)}`,
      '',
      '',
    ].join('\r\n'),
  );
  return openWebSocket(socket, head);
}

/** Answers an upgrade request with a plain HTTP status and closes the socket. */
export function refuseUpgrade(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

function openWebSocket(socket: Duplex, head: Buffer): FakeWebSocket {
  const messageListeners: ((text: string) => void)[] = [];
  const pongListeners: (() => void)[] = [];
  const closeListeners: ((code: number) => void)[] = [];
  let buffer: Buffer = Buffer.from(head);
  let fragments: Buffer[] = [];
  let fragmentOpcode: number = opcodes.text;
  let fragmentBytes = 0;
  let closeSent = false;
  let closed = false;
  let peerCode = 1006;
  let closeTimer: NodeJS.Timeout | undefined;

  const write = (opcode: number, payload: Buffer) => {
    if (!closed && socket.writable) socket.write(frame(opcode, payload));
  };

  const finish = () => {
    if (closed) return;
    closed = true;
    clearTimeout(closeTimer);
    for (const listener of closeListeners) listener(peerCode);
  };

  const sendClose = (code: number, reason = '') => {
    if (closeSent) return;
    closeSent = true;
    const payload = Buffer.alloc(2 + Buffer.byteLength(reason));
    payload.writeUInt16BE(code, 0);
    payload.write(reason, 2);
    write(opcodes.close, payload);
  };

  const fail = (code: number) => {
    sendClose(code);
    socket.end();
  };

  const deliver = (opcode: number, payload: Buffer) => {
    // Binary messages are not part of Socket Mode; like Slack, the fake ignores them.
    if (opcode !== opcodes.text) return;
    const text = payload.toString('utf8');
    for (const listener of messageListeners) listener(text);
  };

  const handle = (fin: boolean, opcode: number, payload: Buffer) => {
    switch (opcode) {
      case opcodes.text:
      case opcodes.binary:
        if (fin) return deliver(opcode, payload);
        fragments = [payload];
        fragmentOpcode = opcode;
        fragmentBytes = payload.length;
        return;
      case opcodes.continuation: {
        if (fragments.length === 0) return fail(1002);
        fragments.push(payload);
        fragmentBytes += payload.length;
        if (fragmentBytes > maxMessageBytes) return fail(1009);
        if (!fin) return;
        const message = Buffer.concat(fragments);
        fragments = [];
        return deliver(fragmentOpcode, message);
      }
      case opcodes.close:
        peerCode = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
        sendClose(peerCode === 1005 ? 1000 : peerCode);
        socket.end();
        return;
      case opcodes.ping:
        return write(opcodes.pong, payload);
      case opcodes.pong:
        for (const listener of pongListeners) listener();
        return;
      default:
        return fail(1002);
    }
  };

  const parse = () => {
    while (!closed && buffer.length >= 2) {
      const b0 = buffer[0] ?? 0;
      const b1 = buffer[1] ?? 0;
      const fin = (b0 & 0x80) !== 0;
      const opcode = b0 & 0x0f;
      // A client must mask every frame (RFC 6455 §5.1).
      if ((b1 & 0x80) === 0) return fail(1002);
      let length = b1 & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (buffer.length < 4) return;
        length = buffer.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (buffer.length < 10) return;
        const long = buffer.readBigUInt64BE(2);
        if (long > BigInt(maxMessageBytes)) return fail(1009);
        length = Number(long);
        offset = 10;
      }
      if (buffer.length < offset + 4 + length) return;
      const mask = buffer.subarray(offset, offset + 4);
      const payload = Buffer.from(buffer.subarray(offset + 4, offset + 4 + length));
      for (let i = 0; i < payload.length; i += 1) payload[i] = (payload[i] ?? 0) ^ (mask[i & 3] ?? 0);
      buffer = buffer.subarray(offset + 4 + length);
      handle(fin, opcode, payload);
    }
  };

  socket.on('data', (chunk: Buffer) => {
    buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
    parse();
  });
  socket.on('close', finish);
  socket.on('error', () => socket.destroy());
  if (buffer.length > 0) queueMicrotask(parse);

  return {
    get open() {
      return !closed && !closeSent;
    },
    send(text) {
      if (!closeSent) write(opcodes.text, Buffer.from(text, 'utf8'));
    },
    ping(data = '') {
      if (!closeSent) write(opcodes.ping, Buffer.from(data, 'utf8'));
    },
    close(code = 1000, reason = '') {
      if (closed) return;
      sendClose(code, reason);
      // A peer that never answers the close frame is cut off, as servers do.
      closeTimer = setTimeout(() => socket.destroy(), 2000);
      closeTimer.unref();
    },
    terminate() {
      socket.destroy();
    },
    onMessage(listener) {
      messageListeners.push(listener);
    },
    onPong(listener) {
      pongListeners.push(listener);
    },
    onClose(listener) {
      closeListeners.push(listener);
    },
  };
}

function frame(opcode: number, payload: Buffer): Buffer {
  const length = payload.length;
  let header: Buffer;
  if (length < 126) {
    header = Buffer.from([0x80 | opcode, length]);
  } else if (length < 65_536) {
    header = Buffer.alloc(4);
    header.writeUInt16BE(length, 2);
    header[1] = 126;
  } else {
    header = Buffer.alloc(10);
    header.writeBigUInt64BE(BigInt(length), 2);
    header[1] = 127;
  }
  header[0] = 0x80 | opcode;
  return Buffer.concat([header, payload]);
}
