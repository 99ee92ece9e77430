/**
 * One short string for a set of drift items: the same drift found again, in any order, gives the
 * same fingerprint, so the watch tells people once per change and not every sweep. Built from the
 * items' keys only (what drifted, never when or how it was worded); FNV-1a 64, pure and stable
 * across processes — it tells sets apart, it guards nothing.
 */
import type { DriftItem } from './drift-item.ts';

const offsetBasis = 0xcbf29ce484222325n;
const prime = 0x100000001b3n;
const mask = (1n << 64n) - 1n;

export function driftFingerprint(items: readonly Pick<DriftItem, 'key'>[]): string {
  const keys = [...new Set(items.map((i) => i.key))].sort();
  let hash = offsetBasis;
  for (const byte of new TextEncoder().encode(keys.join('\n'))) {
    hash = ((hash ^ BigInt(byte)) * prime) & mask;
  }
  return hash.toString(16).padStart(16, '0');
}
