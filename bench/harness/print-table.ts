/** The bench's table: per scenario, its headline figures, then each target with its verdict. */
import type { Figure, ScenarioOutcome } from './scenario.ts';
import { targetMet } from './scenario.ts';

function show(value: Figure | undefined): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export function printTable(outcomes: Record<string, ScenarioOutcome>): string {
  const rows: [string, string, string][] = [['scenario', 'figure', 'value']];
  for (const [name, outcome] of Object.entries(outcomes)) {
    for (const [key, value] of Object.entries(outcome.figures)) {
      // Nested breakdowns stay in results.json; the table keeps to one line per figure.
      if (value !== null && typeof value === 'object') continue;
      rows.push([name, key, show(value)]);
    }
    for (const t of outcome.targets) {
      const met = targetMet(t);
      rows.push([
        name,
        `target: ${t.name}`,
        `${show(t.value)} → ${met === null ? 'n/a' : met ? 'MET' : 'MISSED'}`,
      ]);
    }
    for (const note of outcome.notes) rows.push([name, 'note', note]);
  }
  const widths = [0, 1].map((c) => Math.max(...rows.map((r) => r[c]!.length)));
  const line = (r: [string, string, string]) =>
    `${r[0].padEnd(widths[0]!)}  ${r[1].padEnd(widths[1]!)}  ${r[2]}`;
  return [line(rows[0]!), '-'.repeat(widths[0]! + widths[1]! + 30), ...rows.slice(1).map(line)].join('\n');
}
