/**
 * Makes a value safe for the audit trail: values under secret-looking keys are masked, and any
 * configured secret string (an API key, a token) is masked wherever it appears inside a string.
 * Returns a JSON-shaped copy; the input is never mutated.
 */
export const redactedMark = '[REDACTED]';

/** Key names (case, '-' and '_' ignored) whose values are never recorded. */
const secretKeyPattern =
  /secret|token|password|passwd|authorization|encodingaeskey|signingsecret|apikey|privatekey|credential|cookie/;

/** Shorter configured secrets are ignored: masking them would shred ordinary text. */
const minimumSecretLength = 4;

export function isSecretKey(key: string): boolean {
  return secretKeyPattern.test(key.toLowerCase().replace(/[-_]/g, ''));
}

export function redactSecrets(value: unknown, secrets: readonly string[] = []): unknown {
  return redact(value, secretNeedles(secrets), new WeakSet());
}

/** The secrets worth masking, longest first, so a secret that contains another is masked whole. */
export function secretNeedles(secrets: readonly string[]): string[] {
  return [...new Set(secrets)]
    .filter((s) => s.length >= minimumSecretLength)
    .sort((a, b) => b.length - a.length);
}

function redact(value: unknown, needles: readonly string[], seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return maskSecretStrings(value, needles);
  if (typeof value === 'bigint') return value.toString();
  if (value === null || typeof value !== 'object') {
    return typeof value === 'function' || typeof value === 'symbol' ? undefined : value;
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (seen.has(value)) return '[Circular]';
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((item) => redact(item, needles, seen) ?? null);
    if (value instanceof Error) return redactError(value, needles, seen);
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (isSecretKey(key)) {
        if (item !== undefined && item !== null) out[key] = redactedMark;
        continue;
      }
      const redacted = redact(item, needles, seen);
      if (redacted !== undefined) out[key] = redacted;
    }
    return out;
  } finally {
    // Shared (non-circular) references are fine; only a cycle back to an ancestor is cut.
    seen.delete(value);
  }
}

function redactError(error: Error, needles: readonly string[], seen: WeakSet<object>): unknown {
  const own = redact({ ...error }, needles, seen) as Record<string, unknown>;
  return { name: error.name, message: maskSecretStrings(error.message, needles), ...own };
}

export function maskSecretStrings(text: string, needles: readonly string[]): string {
  let out = text;
  for (const needle of needles) if (out.includes(needle)) out = out.split(needle).join(redactedMark);
  return out;
}
