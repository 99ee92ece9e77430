const portPattern = /^[1-9]\d{0,4}$/;

function portOf(text: string): number | null {
  if (!portPattern.test(text)) return null;
  const port = Number(text);
  return port <= 65535 ? port : null;
}

/**
 * Ports as Tencent Cloud rules take them: one port (`3306`), a list of distinct ports
 * (`80,443`) or one range (`8000-8010`, low ≤ high); ports are 1–65535, without leading zeros.
 * Lists and ranges do not mix, as the cloud API refuses that too.
 */
export function isPortSpec(value: string): boolean {
  if (typeof value !== 'string') return false;
  if (value.includes('-')) {
    const [low, high, extra] = value.split('-').map((p) => portOf(p));
    return extra === undefined && low != null && high != null && low <= high;
  }
  const ports = value.split(',').map((p) => portOf(p));
  return ports.every((p) => p !== null) && new Set(ports).size === ports.length;
}

/** A near-miss's likely meaning, for suggestions only: a reversed range put in order. */
export function portSpecFix(value: string): string | undefined {
  if (typeof value !== 'string') return undefined;
  const parts = value.split('-');
  if (parts.length !== 2) return undefined;
  const [low, high] = parts.map((p) => portOf(p));
  return low != null && high != null && low > high ? `${high}-${low}` : undefined;
}
