/**
 * How busy the whole machine was between two readings of /proc/stat: the cores' busy time (user,
 * nice, system, irq, softirq, steal) over their total, times the number of cores — so 2.0 means
 * both cores of a 2-core box were busy all along, whoever used them (sgops, the stand-ins,
 * Postgres, Redis, other tenants).
 */
import { readFile } from 'node:fs/promises';

export interface BoxCpuReading {
  busy: number;
  total: number;
  cores: number;
}

export async function readBoxCpu(): Promise<BoxCpuReading> {
  const text = await readFile('/proc/stat', 'utf8');
  const lines = text.split('\n');
  const fields = lines[0]!.trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, idle, iowait, irq, softirq, steal] = fields as number[];
  const busy = user! + nice! + system! + irq! + softirq! + (steal ?? 0);
  const cores = lines.filter((l) => /^cpu\d+ /.test(l)).length;
  return { busy, total: busy + idle! + iowait!, cores };
}

/** Cores busy on average between `before` and `after` (0 … cores). */
export function coresBusy(before: BoxCpuReading, after: BoxCpuReading): number {
  const total = after.total - before.total;
  return total > 0 ? ((after.busy - before.busy) / total) * after.cores : 0;
}
