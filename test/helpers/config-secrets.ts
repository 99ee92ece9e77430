/**
 * The secrets a configuration holds, found by walking the config schema rather than listed by
 * hand: every string setting whose name says secret (the redactor's own test, plus `…key`), and
 * the password inside every `…url` setting. A secret added to the schema is so found without
 * anyone remembering to add it here.
 */
import type { z } from 'zod';
import { configSchema } from '../../src/config.ts';
import type { Config } from '../../src/config.ts';
import { isSecretKey } from '../../src/audit/redact-secrets.ts';

export interface SecretSetting {
  /** `slack.botToken`; `[]` steps into array items, `{}` into record values. */
  path: string;
  /** The whole value is secret, or only the password of the URL it holds. */
  kind: 'value' | 'url-password';
}

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  in?: z.ZodType;
  out?: z.ZodType;
  valueType?: z.ZodType;
  getter?: () => z.ZodType;
}

const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** Every string leaf of the schema, by path. */
function stringLeaves(schema: z.ZodType, path: string, out: Set<string>): void {
  const def = defOf(schema);
  switch (def.type) {
    case 'object':
      for (const [key, child] of Object.entries(def.shape ?? {}))
        stringLeaves(child, path ? `${path}.${key}` : key, out);
      return;
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      return stringLeaves(def.innerType!, path, out);
    case 'array':
      return stringLeaves(def.element!, `${path}[]`, out);
    case 'union':
      for (const option of def.options ?? []) stringLeaves(option, path, out);
      return;
    case 'pipe':
      // z.preprocess is a pipe from a transform into the schema that validates.
      stringLeaves(def.in!, path, out);
      return stringLeaves(def.out!, path, out);
    case 'record':
      return stringLeaves(def.valueType!, `${path}{}`, out);
    case 'lazy':
      return stringLeaves(def.getter!(), path, out);
    case 'string':
      out.add(path);
      return;
    default:
      return;
  }
}

export function secretSettings(schema: z.ZodType = configSchema): SecretSetting[] {
  const leaves = new Set<string>();
  stringLeaves(schema, '', leaves);
  const settings: SecretSetting[] = [];
  for (const path of leaves) {
    const name = path
      .split('.')
      .at(-1)!
      .replace(/\[]|\{}/g, '');
    if (isSecretKey(name) || /key$/i.test(name)) settings.push({ path, kind: 'value' });
    else if (/url$/i.test(name)) settings.push({ path, kind: 'url-password' });
  }
  return settings;
}

/** The values at a setting's path in a parsed config (none when the section is absent). */
export function valuesAt(config: Config, path: string): string[] {
  let current: unknown[] = [config];
  for (const segment of path.split('.')) {
    const key = segment.replace(/\[]|\{}/g, '');
    current = current.flatMap((value) => {
      if (value === null || typeof value !== 'object') return [];
      const next = (value as Record<string, unknown>)[key];
      if (segment.endsWith('[]')) return Array.isArray(next) ? next : [];
      if (segment.endsWith('{}'))
        return next !== null && typeof next === 'object' ? Object.values(next as object) : [];
      return next === undefined ? [] : [next];
    });
  }
  return current.filter((v): v is string => typeof v === 'string' && v.length > 0);
}

/** Each secret the config holds, with where it is set. */
export function configuredSecrets(
  config: Config,
  settings: SecretSetting[] = secretSettings(),
): { path: string; value: string }[] {
  return settings.flatMap(({ path, kind }) =>
    valuesAt(config, path).flatMap((value) => {
      if (kind === 'value') return [{ path, value }];
      const password = URL.canParse(value) ? decodeURIComponent(new URL(value).password) : '';
      return password ? [{ path: `${path} (password)`, value: password }] : [];
    }),
  );
}
