/**
 * Everything WeCom's crypto library leaves to the caller: the signature compared in constant time,
 * the timestamp's freshness and the corp id inside the ciphertext. Used by URL verification
 * (the ciphertext is `echostr`) and by message callbacks (the ciphertext is `<Encrypt>`).
 */
import { timingSafeEqual } from 'node:crypto';
import { decrypt, getSignature } from '@wecom/crypto';

export type EnvelopeRefusal =
  'missing_parameters' | 'bad_signature' | 'stale_timestamp' | 'undecryptable' | 'wrong_corp';

export type OpenedEnvelope = { ok: true; message: string } | { ok: false; reason: EnvelopeRefusal };

export interface EnvelopeInput {
  token: string;
  encodingAESKey: string;
  corpId: string;
  signature: string | null;
  timestamp: string | null;
  nonce: string | null;
  encrypted: string | null;
  now: Date;
  maxSkewSeconds: number;
}

/** Refusals a caller answers with 401 (the sender is not WeCom for this corp); the rest are 400. */
export const unauthenticatedRefusals: ReadonlySet<EnvelopeRefusal> = new Set([
  'bad_signature',
  'stale_timestamp',
  'wrong_corp',
]);

function sameSignature(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given.toLowerCase(), 'utf8');
  // timingSafeEqual needs equal lengths; a length mismatch says nothing about the secret.
  return a.length === b.length && timingSafeEqual(a, b);
}

export function openWeComEnvelope(input: EnvelopeInput): OpenedEnvelope {
  const { signature, timestamp, nonce, encrypted } = input;
  if (!signature || !timestamp || !nonce || !encrypted) return { ok: false, reason: 'missing_parameters' };
  // The signature first: nothing about an unsigned request (not even its age) is worth a different answer.
  if (!sameSignature(getSignature(input.token, timestamp, nonce, encrypted), signature)) {
    return { ok: false, reason: 'bad_signature' };
  }
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'stale_timestamp' };
  const skew = Math.abs(input.now.getTime() / 1000 - Number(timestamp));
  if (skew > input.maxSkewSeconds) return { ok: false, reason: 'stale_timestamp' };
  let opened: { message: string; id: string };
  try {
    opened = decrypt(input.encodingAESKey, encrypted);
  } catch {
    return { ok: false, reason: 'undecryptable' };
  }
  if (opened.id !== input.corpId) return { ok: false, reason: 'wrong_corp' };
  return { ok: true, message: opened.message };
}
