/**
 * Deterministic JSON for hashing: object keys sorted, Dates as ISO strings, `undefined`
 * dropped and `toJSON` honoured exactly as JSON.stringify does — so a value hashes the same
 * before it is written to a jsonb column and after it is read back.
 */
export function canonicalJson(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? 'null' : stringifySorted(JSON.parse(text) as unknown);
}

function stringifySorted(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stringifySorted).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const members = Object.keys(record)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${stringifySorted(record[key])}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value);
}
