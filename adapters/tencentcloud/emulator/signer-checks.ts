import { CloudApiError } from './cloud-api-error.ts';

/**
 * The checks both signature methods (TC3-HMAC-SHA256 and the v1 HmacSHA1/HmacSHA256) make of a
 * caller: a fresh timestamp, a known key, and the token that goes with a temporary key.
 */
export interface SignerKey {
  secretId: string;
  secretKey: string;
  token?: string;
}

export interface SignerKeys {
  credentials: SignerKey[];
  temporaryCredential?: (
    secretId: string,
  ) => { secretKey: string; token: string; expiresAtMs: number } | undefined;
  now: () => Date;
}

const maxSkewSeconds = 300;

/** Unix seconds within five minutes of the server's clock. */
export function checkTimestamp(text: string | undefined, now: () => Date): number {
  if (!/^\d+$/.test(text ?? '')) {
    throw new CloudApiError('MissingParameter', 'The parameter `Timestamp` is missing or malformed.');
  }
  const timestamp = Number(text);
  const skew = Math.abs(now().getTime() / 1000 - timestamp);
  if (skew > maxSkewSeconds) {
    throw new CloudApiError(
      'AuthFailure.SignatureExpire',
      `The request timestamp ${timestamp} is ${Math.round(skew)} s away from the server time; at most ${maxSkewSeconds} s are allowed.`,
    );
  }
  return timestamp;
}

export interface FoundKey {
  credential: { secretKey: string; token?: string };
  temporary: { secretKey: string; token: string; expiresAtMs: number } | undefined;
}

/** A configured key, or a temporary one the emulated STS issued. */
export function findKey(secretId: string, keys: SignerKeys): FoundKey {
  const temporary = keys.temporaryCredential?.(secretId);
  const credential = keys.credentials.find((c) => c.secretId === secretId) ?? temporary;
  if (!credential) {
    throw new CloudApiError(
      'AuthFailure.SecretIdNotFound',
      'The SecretId is not found, please ensure that your SecretId is correct.',
    );
  }
  return { credential, temporary };
}

export function signatureFailure(): CloudApiError {
  return new CloudApiError(
    'AuthFailure.SignatureFailure',
    'The provided credentials could not be validated. Please check your signature is correct.',
  );
}

/** A temporary key needs its token, and works until it expires. */
export function checkToken(found: FoundKey, sentToken: string | undefined, now: () => Date): void {
  const { credential, temporary } = found;
  if (credential.token !== undefined && sentToken !== credential.token) {
    throw new CloudApiError(
      'AuthFailure.TokenFailure',
      'The temporary token is invalid or does not belong to the SecretId.',
    );
  }
  // Unverified: the real code for expired temporary keys; TokenFailure is the documented "token error".
  if (temporary && credential === temporary && now().getTime() >= temporary.expiresAtMs) {
    throw new CloudApiError(
      'AuthFailure.TokenFailure',
      `The temporary credentials expired at ${new Date(temporary.expiresAtMs).toISOString()}.`,
    );
  }
}
