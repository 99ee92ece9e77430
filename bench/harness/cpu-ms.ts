/** CPU milliseconds (user + system) of a process.cpuUsage() reading. */
export const cpuMsOf = (usage: NodeJS.CpuUsage): number => (usage.user + usage.system) / 1000;
