/** What every scenario returns: its figures for bench/results.json, its targets, and notes for the table. */
export type Figure = number | string | null | boolean | Record<string, unknown> | unknown[];

export interface TargetCheck {
  /** e.g. `p99 ≤ 1.5 × Bolt p99` */
  name: string;
  value: number | null;
  limit: number;
  /** `max`: value must be ≤ limit; `min`: value must be ≥ limit; `equal`: value must equal limit. */
  kind: 'max' | 'min' | 'equal';
}

export interface ScenarioOutcome {
  figures: Record<string, Figure>;
  targets: TargetCheck[];
  notes: string[];
}

export interface Scenario {
  name: string;
  title: string;
  /** Its own limit, setup and teardown included, when the default is too short for what it sets up. */
  budgetMs?: number;
  run(log: (line: string) => void): Promise<ScenarioOutcome>;
}

export function targetMet(t: TargetCheck): boolean | null {
  if (t.value === null || Number.isNaN(t.value)) return null;
  if (t.kind === 'max') return t.value <= t.limit;
  if (t.kind === 'min') return t.value >= t.limit;
  return t.value === t.limit;
}

/** Rejects when `work` runs past `ms`, so no scenario can outlive its budget. */
export async function withinBudget<T>(what: string, ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} ran past its ${ms} ms budget`)), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}
