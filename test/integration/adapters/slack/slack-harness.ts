/** Shared by the Slack tests: fixtures, signed posts to the adapter, and an intake that records lines. */
import { readFileSync } from 'node:fs';
import type { ChatIntake } from '../../../../src/chat/chat-intake.ts';
import type { ChatInbound } from '../../../../src/chat/chat-message.ts';
import { signSlackRequest } from '../../../../adapters/slack/sign-slack-request.ts';

export const signingSecret = 'test-signing-secret-8f1c2d3e4b5a69788796a5b4c3d2e1f0';
export const botUserId = 'U0SGOPSBOT';
export const botId = 'B0SGOPSBOT';

export function fixture<T = Record<string, unknown>>(name: string): T {
  const url = new URL(`../../../fixtures/slack/${name}.json`, import.meta.url);
  return JSON.parse(readFileSync(url, 'utf8')) as T;
}

export const formBody = (fields: Record<string, string>): string => new URLSearchParams(fields).toString();
export const payloadBody = (payload: unknown): string => formBody({ payload: JSON.stringify(payload) });

export interface SlackPostResult {
  status: number;
  text: string;
  ms: number;
}

export async function postSigned(
  eventsUrl: string,
  body: string,
  options: {
    contentType?: string;
    timestamp?: number;
    secret?: string;
    headers?: Record<string, string>;
  } = {},
): Promise<SlackPostResult> {
  const contentType =
    options.contentType ?? (body.startsWith('{') ? 'application/json' : 'application/x-www-form-urlencoded');
  const signed = signSlackRequest(options.secret ?? signingSecret, body, options.timestamp);
  const started = performance.now();
  const res = await fetch(eventsUrl, {
    method: 'POST',
    headers: { 'content-type': contentType, ...signed, ...options.headers },
    body,
  });
  const text = await res.text();
  return { status: res.status, text, ms: performance.now() - started };
}

export interface RecordingIntake extends ChatIntake {
  /** Every line handed over, duplicates included. */
  lines: ChatInbound[];
  /** The next receive() throws, like a Postgres or Redis outage. */
  failNext(): void;
}

export function createRecordingIntake(): RecordingIntake {
  const seen = new Set<string>();
  let failures = 0;
  const lines: ChatInbound[] = [];
  return {
    lines,
    failNext() {
      failures += 1;
    },
    async receive(inbound) {
      if (failures > 0) {
        failures -= 1;
        throw new Error('intake unavailable');
      }
      lines.push(inbound);
      const fresh = !seen.has(inbound.messageId);
      seen.add(inbound.messageId);
      return fresh;
    },
  };
}

export async function eventually<T>(probe: () => T | undefined, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
