/**
 * Slack's request signing (v0): `v0=` + hex(HMAC-SHA256(signingSecret, `v0:${timestamp}:${rawBody}`)).
 * Compared in constant time; the timestamp must be within the window both ways, so a captured
 * request cannot be replayed later and a forged future timestamp buys nothing.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export type SlackSignatureRefusal =
  'missing_headers' | 'bad_timestamp' | 'stale' | 'future' | 'bad_signature';

export type SlackSignatureVerdict = { ok: true } | { ok: false; reason: SlackSignatureRefusal };

export const slackSignatureWindowSeconds = 300;

export function computeSlackSignature(signingSecret: string, timestamp: string, rawBody: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

export function verifySlackSignature(input: {
  signingSecret: string;
  rawBody: string;
  timestamp: string | undefined;
  signature: string | undefined;
  nowMs: number;
  windowSeconds?: number;
}): SlackSignatureVerdict {
  const { timestamp, signature } = input;
  if (!timestamp || !signature) return { ok: false, reason: 'missing_headers' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'bad_timestamp' };
  const window = input.windowSeconds ?? slackSignatureWindowSeconds;
  const age = Math.floor(input.nowMs / 1000) - Number(timestamp);
  if (age > window) return { ok: false, reason: 'stale' };
  if (age < -window) return { ok: false, reason: 'future' };
  const expected = Buffer.from(computeSlackSignature(input.signingSecret, timestamp, input.rawBody));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'bad_signature' };
  }
  return { ok: true };
}
