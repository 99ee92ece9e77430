import { CloudApiError } from './cloud-api-error.ts';

/**
 * The accepted fields of a request, derived from the SDK's own request model type so that a
 * shape cannot name a field the real API does not have, and must name every field it has.
 * Scalars are case-lenient the way the real API is: a numeric string fills a number and a
 * number fills a string (`"PolicyIndex":"1"`, `"ProjectId":0`).
 */
export type FieldShape<V> = [V] extends [string]
  ? 'string'
  : [V] extends [number]
    ? 'number'
    : [V] extends [boolean]
      ? 'boolean'
      : [V] extends [Array<infer E>]
        ? [FieldShape<NonNullable<E>>]
        : RequestShape<V>;

export type RequestShape<T> = { [K in keyof T]-?: FieldShape<NonNullable<T[K]>> };

type AnyShape = 'string' | 'number' | 'boolean' | [AnyShape] | { [key: string]: AnyShape };

function badType(path: string, expected: string): CloudApiError {
  return new CloudApiError('InvalidParameter', `The parameter \`${path}\` must be ${expected}.`);
}

function coerce(value: unknown, shape: AnyShape, path: string): unknown {
  if (shape === 'string') {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
      return String(value);
    throw badType(path, 'a string');
  }
  if (shape === 'number') {
    if (typeof value === 'number') return value;
    if (typeof value === 'bigint') return Number(value);
    if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
      return Number(value);
    throw badType(path, 'a number');
  }
  if (shape === 'boolean') {
    if (typeof value === 'boolean') return value;
    if (value === 'true' || value === 'false') return value === 'true';
    throw badType(path, 'a boolean');
  }
  if (Array.isArray(shape)) {
    if (!Array.isArray(value)) throw badType(path, 'an array');
    return value.map((item, i) => coerce(item, shape[0], `${path}.${i}`));
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw badType(path, 'an object');
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const fieldShape = shape[key];
    const fieldPath = path === '' ? key : `${path}.${key}`;
    if (fieldShape === undefined) {
      throw new CloudApiError('UnknownParameter', `The parameter \`${fieldPath}\` is not recognized.`);
    }
    if (item === null || item === undefined) continue;
    out[key] = coerce(item, fieldShape, fieldPath);
  }
  return out;
}

/** Checks and coerces a parsed JSON body against an action's shape; the result has type T. */
export function validateRequest<T>(body: unknown, shape: RequestShape<T>): T {
  return coerce(body ?? {}, shape as unknown as AnyShape, '') as T;
}
