/**
 * Who used the box's cores during a measured window: the whole box (/proc/stat), the bench
 * process (where sgops runs) and the stand-ins' child process, each as cores busy on average.
 */
import { coresBusy, readBoxCpu } from './box-cpu.ts';
import { cpuMsOf } from './cpu-ms.ts';
import type { StandIns } from './stand-ins.ts';

export interface CpuShares {
  sgopsCpuMs: number;
  standInsCpuMs: number;
  /** Cores busy on average, of `boxCores`, whoever used them. */
  boxBusy: number;
  boxCores: number;
  sgopsCores: number;
  standInsCores: number;
}

/** Starts the window now; `end(wallMs)` closes it, `wallMs` being the window's measured length. */
export async function watchCpuShares(
  standIns: Pick<StandIns, 'cpuMs'>,
): Promise<{ end(wallMs: number): Promise<CpuShares> }> {
  const boxBefore = await readBoxCpu();
  const sgopsBefore = process.cpuUsage();
  const standInsBefore = await standIns.cpuMs();
  return {
    async end(wallMs) {
      const sgopsCpuMs = cpuMsOf(process.cpuUsage(sgopsBefore));
      const box = await readBoxCpu();
      const standInsCpuMs = (await standIns.cpuMs()) - standInsBefore;
      return {
        sgopsCpuMs,
        standInsCpuMs,
        boxBusy: coresBusy(boxBefore, box),
        boxCores: box.cores,
        sgopsCores: sgopsCpuMs / wallMs,
        standInsCores: standInsCpuMs / wallMs,
      };
    },
  };
}
