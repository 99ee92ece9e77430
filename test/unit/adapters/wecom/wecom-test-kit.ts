/** Shared pieces of the WeCom adapter tests: secrets, a recording intake and a capturing logger. */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import type { ChatIntake } from '../../../../src/chat/chat-intake.ts';
import type { ChatInbound } from '../../../../src/chat/chat-message.ts';

export const secrets = {
  token: 'sgopsTestToken',
  // 43 characters of base64 without the trailing '=', as WeCom's console shows it.
  encodingAESKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
  corpId: 'ww1234567890abcdef',
  agentId: '1000002',
};

export interface RecordingIntake extends ChatIntake {
  lines: ChatInbound[];
  /** While set, receive() waits for it (to prove the HTTP answer does not wait for the intake). */
  gate?: Promise<void>;
  fail?: boolean;
}

export function recordingIntake(): RecordingIntake {
  const seen = new Set<string>();
  const intake: RecordingIntake = {
    lines: [],
    async receive(inbound) {
      if (intake.gate) await intake.gate;
      if (intake.fail) throw new Error('intake down');
      intake.lines.push(inbound);
      const fresh = !seen.has(inbound.messageId);
      seen.add(inbound.messageId);
      return fresh;
    },
  };
  return intake;
}

export interface CapturedLog {
  level: number;
  msg: string;
  [key: string]: unknown;
}

export function capturingLogger(): { logger: pino.Logger; logs: CapturedLog[] } {
  const logs: CapturedLog[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim()) logs.push(JSON.parse(line) as CapturedLog);
      }
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), logs };
}
