import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * TC3-HMAC-SHA256 as Tencent Cloud API 3.0 defines it. The emulator verifies with it and the
 * unit tests pin it to the reference's test vectors, so both sides agree on one algorithm.
 */
export const tc3Algorithm = 'TC3-HMAC-SHA256';

export interface Tc3SignInput {
  secretKey: string;
  /** From the Credential scope: the first label of the host the client addressed. */
  service: string;
  /** Unix seconds, as sent in X-TC-Timestamp. */
  timestamp: number;
  method?: string;
  path?: string;
  query?: string;
  /** Header name (any case) → value, for every header named in signedHeaders. */
  headers: Record<string, string>;
  /** Lower-case names in the order the client listed them. */
  signedHeaders: string[];
  body: string | Buffer;
  /** Sign the Host as sent, port included (the Python and Go SDKs), rather than without it (Node's). */
  hostWithPort?: boolean;
}

export interface Tc3Authorization {
  secretId: string;
  date: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

/** UTC calendar date of a Unix timestamp, as used in the credential scope. */
export function tc3Date(timestamp: number): string {
  return new Date(timestamp * 1000).toISOString().slice(0, 10);
}

/**
 * The host as the Node SDK signs it: lower-case, without port (IPv6 brackets kept). The Python
 * and Go SDKs (and so tccli) sign the Host as sent, port included; the gateway answers both, and
 * so does the emulator (see `hostWithPort`).
 */
export function tc3Host(hostHeader: string): string {
  const host = hostHeader.trim().toLowerCase();
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1);
  const colon = host.indexOf(':');
  return colon === -1 ? host : host.slice(0, colon);
}

export function tc3CanonicalRequest(input: Tc3SignInput): string {
  const lowered = new Map(Object.entries(input.headers).map(([k, v]) => [k.toLowerCase(), v]));
  const headerLines = input.signedHeaders
    .map((name) => {
      const raw = lowered.get(name) ?? '';
      const value = name === 'host' && !input.hostWithPort ? tc3Host(raw) : raw.trim().toLowerCase();
      return `${name}:${value}\n`;
    })
    .join('');
  return [
    (input.method ?? 'POST').toUpperCase(),
    input.path ?? '/',
    input.query ?? '',
    headerLines,
    input.signedHeaders.join(';'),
    sha256Hex(input.body),
  ].join('\n');
}

export function tc3StringToSign(input: Tc3SignInput): string {
  const scope = `${tc3Date(input.timestamp)}/${input.service}/tc3_request`;
  return `${tc3Algorithm}\n${input.timestamp}\n${scope}\n${sha256Hex(tc3CanonicalRequest(input))}`;
}

export function tc3Signature(input: Tc3SignInput): string {
  const kDate = hmac(`TC3${input.secretKey}`, tc3Date(input.timestamp));
  const kService = hmac(kDate, input.service);
  const kSigning = hmac(kService, 'tc3_request');
  return createHmac('sha256', kSigning).update(tc3StringToSign(input)).digest('hex');
}

/** Builds the Authorization header a client would send. */
export function tc3AuthorizationHeader(input: Tc3SignInput & { secretId: string }): string {
  const scope = `${tc3Date(input.timestamp)}/${input.service}/tc3_request`;
  return (
    `${tc3Algorithm} Credential=${input.secretId}/${scope}, ` +
    `SignedHeaders=${input.signedHeaders.join(';')}, Signature=${tc3Signature(input)}`
  );
}

/** Parses `TC3-HMAC-SHA256 Credential=id/date/service/tc3_request, SignedHeaders=a;b, Signature=hex`. */
export function parseTc3Authorization(header: string | undefined): Tc3Authorization | undefined {
  if (header === undefined) return undefined;
  const match = /^TC3-HMAC-SHA256\s+(.*)$/.exec(header.trim());
  if (!match?.[1]) return undefined;
  const parts = new Map<string, string>();
  for (const part of match[1].split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) parts.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const credential = parts.get('Credential')?.split('/');
  const signedHeaders = parts.get('SignedHeaders');
  const signature = parts.get('Signature');
  if (!credential || credential.length !== 4 || credential[3] !== 'tc3_request') return undefined;
  const [secretId, date, service] = credential;
  if (!secretId || !date || !service || !signedHeaders || !signature) return undefined;
  return {
    secretId,
    date,
    service,
    signedHeaders: signedHeaders.split(';').map((h) => h.trim().toLowerCase()),
    signature: signature.toLowerCase(),
  };
}

/** Constant-time comparison of two hex signatures. */
export function tc3SignaturesEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}
