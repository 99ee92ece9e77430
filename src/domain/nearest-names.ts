/**
 * The live names nearest to one typed by mistake (`my-ap` → `my-app`), nearest first: what a
 * refusal offers instead. A name counts when it is within a third of its length in edits (at
 * least one, at most three), or when one name contains the other (`api` for `payments-api`).
 */
import { editDistance } from '../commands/edit-distance.ts';

export function nearestNames(typed: string, names: Iterable<string>, limit = 3): string[] {
  const lower = typed.toLowerCase();
  const scored: { name: string; distance: number }[] = [];
  for (const name of new Set(names)) {
    if (name === typed) continue;
    const distance = editDistance(lower, name.toLowerCase());
    const tolerance = Math.min(3, Math.max(1, Math.floor(Math.max(lower.length, name.length) / 3)));
    const contains = lower.length >= 3 && (name.includes(lower) || lower.includes(name));
    if (distance <= tolerance || contains) scored.push({ name, distance });
  }
  return scored
    .sort((a, b) => a.distance - b.distance || a.name.localeCompare(b.name))
    .slice(0, limit)
    .map((s) => s.name);
}
