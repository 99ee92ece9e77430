import { createHash } from 'node:crypto';

/** First 8 hex characters of sha256(text): enough to keep shortened names apart. */
export function shortHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 8);
}

/**
 * `name` itself when it fits, otherwise its head and `-<hash of the whole name>`, so two
 * long names that share a prefix stay distinct and the result is stable across runs.
 */
export function shortenWithHash(name: string, maxLength: number): string {
  if (name.length <= maxLength) return name;
  const hash = shortHash(name);
  const head = name.slice(0, Math.max(0, maxLength - hash.length - 1)).replace(/[-_.]+$/, '');
  return `${head}-${hash}`;
}
