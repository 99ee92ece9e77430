/**
 * Every secret a loaded configuration holds, found by walking its values rather than listed by
 * hand: strings under secret-looking keys (the redactor's own test, plus `…key`) and the password
 * inside every `…url`. A secret setting added to the schema is so masked without anyone
 * remembering to add it here; test/helpers/config-secrets.ts proves the same against the schema.
 */
import { isSecretKey } from './audit/redact-secrets.ts';

export function secretsOf(config: unknown): string[] {
  const found = new Set<string>();
  const walk = (value: unknown, key: string) => {
    if (typeof value === 'string') {
      // A file's path (the OIDC token file) names where a secret is, not the secret.
      if (value.length === 0 || /(file|path)$/i.test(key)) return;
      if (isSecretKey(key) || /key$/i.test(key)) found.add(value);
      else if (/url$/i.test(key)) {
        const password = passwordOf(value);
        if (password) found.add(password);
      }
      return;
    }
    if (Array.isArray(value)) for (const item of value) walk(item, key);
    else if (value && typeof value === 'object')
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) walk(v, k);
  };
  walk(config, '');
  return [...found];
}

function passwordOf(url: string): string | null {
  try {
    const password = new URL(url).password;
    return password ? decodeURIComponent(password) : null;
  } catch {
    return null;
  }
}
