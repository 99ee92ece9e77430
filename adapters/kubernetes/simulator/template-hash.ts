import { stableHash } from './random-suffix.ts';

function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value as object)
      .sort()
      .map((k) => [k, sorted((value as Record<string, unknown>)[k])]),
  );
}

/** A hash of a pod template that ignores key order: the controller-revision-hash of a workload. */
export function templateHash(template: unknown): string {
  return stableHash(JSON.stringify(sorted(template)));
}
