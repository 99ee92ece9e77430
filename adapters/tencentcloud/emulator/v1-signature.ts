import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The API's older signature method ("签名方法 v1"), which GET and form-encoded POST requests may
 * use instead of TC3: the common parameters (Action, Version, Region, Timestamp, Nonce, SecretId,
 * SignatureMethod, Token, Signature) travel with the others in the query string or the form body;
 * the string to sign is method + host + path + `?` + every parameter but Signature, sorted by
 * name, as `name=value` (not percent-encoded) joined by `&`; the signature is the base64
 * HMAC-SHA1 of it (HMAC-SHA256 when SignatureMethod is HmacSHA256) under the SecretKey.
 */
export const v1CommonParameters = new Set([
  'Action',
  'Version',
  'Region',
  'Timestamp',
  'Nonce',
  'SecretId',
  'SignatureMethod',
  'Signature',
  'Token',
  'Language',
  'RequestClient',
]);

export interface V1SignInput {
  secretKey: string;
  method: string;
  /** As the client addressed it (the SDKs sign the endpoint, port included when there is one). */
  host: string;
  path?: string;
  params: Iterable<[string, string]>;
}

export function v1StringToSign(input: V1SignInput): string {
  const pairs = [...input.params]
    .filter(([name]) => name !== 'Signature')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  return `${input.method.toUpperCase()}${input.host}${input.path ?? '/'}?${pairs}`;
}

export function v1Signature(input: V1SignInput & { signatureMethod?: string }): string {
  // Documented: HmacSHA256 only when asked for by name; anything else is HmacSHA1.
  const hash = input.signatureMethod === 'HmacSHA256' ? 'sha256' : 'sha1';
  return createHmac(hash, input.secretKey).update(v1StringToSign(input)).digest('base64');
}

export function v1SignaturesEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}
