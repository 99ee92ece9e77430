/**
 * While a replica starts — above all while it waits for Postgres or Redis — its HTTP port already
 * answers: /healthz 200 (the process is alive and will come up by itself) and /readyz 503 naming
 * what it waits for and why, so a probe, a load balancer and a person see the same true thing.
 * The full server takes the port over once the replica has started.
 */
import type { Logger } from 'pino';
import { startHttpServer } from './start-http-server.ts';

export interface StartupServer {
  /** What the replica now waits for on `dependency`, or null once it answered. */
  report(dependency: 'postgres' | 'redis', problem: string | null): void;
  /** The port it listens on: the full server takes this one over. */
  port: number;
  close(): Promise<void>;
}

export async function startStartupServer(options: {
  host: string;
  port: number;
  loopbackHostsOnly?: boolean;
  anyPortIfTaken?: boolean;
  logger: Logger;
}): Promise<StartupServer> {
  const problems = new Map<string, string | null>([
    ['postgres', 'not reached yet'],
    ['redis', 'not reached yet'],
  ]);
  const check = (dependency: string) => async () => {
    const problem = problems.get(dependency);
    if (problem) throw new Error(problem);
  };
  const server = await startHttpServer({
    host: options.host,
    port: options.port,
    ...(options.loopbackHostsOnly ? { loopbackHostsOnly: true } : {}),
    ...(options.anyPortIfTaken ? { anyPortIfTaken: true } : {}),
    logger: options.logger,
    console: null,
    readiness: {
      postgres: check('postgres'),
      redis: check('redis'),
      sgops: () => Promise.reject(new Error('still starting')),
    },
  });
  let closed: Promise<void> | null = null;
  return {
    report(dependency, problem) {
      problems.set(dependency, problem);
    },
    port: Number(new URL(server.url).port),
    close: () => (closed ??= server.close()),
  };
}
