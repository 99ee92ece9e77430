/**
 * bench/results.json: the machine the figures came from and the latest figures of each scenario.
 * Running one scenario replaces only its own entry, so a partial run keeps the others' figures.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { format, resolveConfig } from 'prettier';
import type { Figure, ScenarioOutcome } from './scenario.ts';
import { targetMet } from './scenario.ts';

export interface MachineInfo {
  cpus: number;
  model: string;
  node: string;
  date: string;
  platform: string;
  total_memory_mb: number;
}

export interface ResultsFile {
  machine: MachineInfo;
  scenarios: Record<string, Record<string, Figure>>;
}

export function machineInfo(now: Date): MachineInfo {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    model: cpus[0]?.model.trim() ?? 'unknown',
    node: process.version,
    date: now.toISOString(),
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    total_memory_mb: Math.round(os.totalmem() / 2 ** 20),
  };
}

export async function writeResults(
  path: string,
  machine: MachineInfo,
  outcomes: Record<string, ScenarioOutcome>,
  /** The scenarios the bench has: an entry of one it no longer has (a retired figure) is dropped. */
  known: readonly string[],
): Promise<ResultsFile> {
  const previous: ResultsFile | null = existsSync(path)
    ? (JSON.parse(readFileSync(path, 'utf8')) as ResultsFile)
    : null;
  const scenarios: ResultsFile['scenarios'] = Object.fromEntries(
    Object.entries(previous?.scenarios ?? {}).filter(([name]) => known.includes(name)),
  );
  for (const [name, outcome] of Object.entries(outcomes)) {
    scenarios[name] = {
      ...outcome.figures,
      // Each scenario carries the machine and time it ran on, since partial runs mix runs.
      measured_at: machine.date,
      targets: outcome.targets.map((t) => ({ ...t, met: targetMet(t) })),
      notes: outcome.notes,
    };
  }
  const file: ResultsFile = { machine, scenarios };
  // Formatted as the repository's prettier would, so `npm run lint` stays green after a bench run.
  const options = (await resolveConfig(path)) ?? {};
  writeFileSync(path, await format(JSON.stringify(file, null, 2), { ...options, parser: 'json' }));
  return file;
}
