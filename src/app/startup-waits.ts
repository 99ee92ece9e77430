/**
 * While the replica waits for Postgres or Redis at start, its HTTP port already answers (/readyz
 * says what it waits for and why) and the log says it once per try, rather than the process exiting.
 */
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import { startStartupServer } from '../http/start-startup-server.ts';
import type { Waiting } from '../startup/wait-until-reachable.ts';

type Dependency = 'postgres' | 'redis';

export interface StartupWaits {
  /** What to call on each failed try to reach `dependency` (named `name`, set by `setting`). */
  waitingFor(dependency: Dependency, name: string, setting: string): (w: Waiting) => void;
  /** `dependency` answered. */
  reached(dependency: Dependency): void;
  /** The port the full server is to listen on (undefined: none). */
  httpPort: number | undefined;
  /** Frees the port for the full server; safe to call more than once. */
  close(): Promise<void>;
}

export async function openStartupWaits(
  config: Config,
  logger: Logger,
  httpPort: number | undefined,
): Promise<StartupWaits> {
  // The port answers from the first moment: while the replica waits for Postgres or Redis, /readyz says so.
  const startup =
    httpPort === undefined
      ? null
      : await startStartupServer({
          host: config.http.host,
          port: httpPort,
          ...(config.http.loopbackHostsOnly ? { loopbackHostsOnly: true } : {}),
          ...(config.http.anyPortIfTaken ? { anyPortIfTaken: true } : {}),
          logger,
        });
  return {
    waitingFor: (dependency, name, setting) => (w) => {
      logger.warn(
        { err: w.error, attempt: w.attempt, retryInMs: w.retryInMs },
        `${name} cannot be reached yet (${setting}); waiting for it before starting`,
      );
      startup?.report(
        dependency,
        `waiting for ${name} (${setting}): ${w.error.message}; try ${w.attempt}, next in ${w.retryInMs} ms`,
      );
    },
    reached: (dependency) => startup?.report(dependency, null),
    // A port that moved off a taken one stays where it moved; a fixed one (or 0: any) as configured.
    httpPort: config.http.anyPortIfTaken ? startup?.port : httpPort,
    close: async () => {
      await startup?.close();
    },
  };
}
