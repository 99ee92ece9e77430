/**
 * The bench's side of the stand-ins child process: start it, ask it things over IPC, stop it.
 * Every request has a deadline so a stuck child cannot hang the bench.
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type {
  Calls,
  DeployArgs,
  StandInsOptions,
  StandInsReady,
  StandInsRequest,
} from './stand-ins-protocol.ts';

const childScript = fileURLToPath(new URL('./stand-ins-main.ts', import.meta.url));

export interface StandIns extends Omit<StandInsReady, 'ready'> {
  readonly pid: number;
  calls(): Promise<Calls>;
  resetCalls(): Promise<void>;
  /** `{ "<Action>": { "<unix second>": count } }` over the last 10 minutes. */
  cloudCallsPerSecond(): Promise<Record<string, Record<string, number>>>;
  configureKubelet(args: { startLatencyMs?: number }): Promise<void>;
  /** Creates one super-node Deployment per app and waits until all are available; returns the ms it took. */
  deploy(args: DeployArgs): Promise<number>;
  /** A rollout restart done by the simulator alone; returns the ms until rolled out. */
  restartAndWait(namespace: string, name: string, timeoutMs?: number): Promise<number>;
  slackCalls(): Promise<number>;
  /** CPU time (user + system) the stand-ins process has used so far. */
  cpuMs(): Promise<number>;
  stop(): Promise<void>;
}

export async function startStandIns(options: StandInsOptions = {}, timeoutMs = 30_000): Promise<StandIns> {
  // SGOPS_BENCH_PROFILE_DIR=<dir> writes a CPU profile of the stand-ins too (see docs/performance.md).
  const profileDir = process.env.SGOPS_BENCH_PROFILE_DIR;
  const child: ChildProcess = fork(childScript, [JSON.stringify(options)], {
    execArgv: ['--import', 'tsx', ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let nextId = 1;
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const ready = await new Promise<StandInsReady>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('stand-ins did not start in time')), timeoutMs);
    child.once('exit', (code) => reject(new Error(`stand-ins exited with ${code} before starting`)));
    child.on('message', (raw) => {
      const message = raw as { ready?: boolean; id?: number; ok?: boolean; value?: unknown; error?: string };
      if (message.ready) {
        clearTimeout(timer);
        resolve(message as StandInsReady);
        return;
      }
      const entry = waiting.get(message.id ?? -1);
      if (!entry) return;
      waiting.delete(message.id!);
      if (message.ok) entry.resolve(message.value);
      else entry.reject(new Error(message.error));
    });
  });
  child.on('exit', () => {
    for (const entry of waiting.values()) entry.reject(new Error('stand-ins exited'));
    waiting.clear();
  });

  function ask<T>(request: StandInsRequest, deadlineMs = 60_000): Promise<T> {
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        waiting.delete(id);
        reject(new Error(`stand-ins did not answer ${request.op} within ${deadlineMs} ms`));
      }, deadlineMs);
      waiting.set(id, {
        resolve: (v) => {
          clearTimeout(timer);
          resolve(v as T);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      child.send({ id, ...request });
    });
  }

  return {
    pid: child.pid!,
    cloudUrl: ready.cloudUrl,
    kubeUrl: ready.kubeUrl,
    slack: ready.slack,
    wecom: ready.wecom,
    calls: () => ask<Calls>({ op: 'calls' }),
    resetCalls: () => ask<void>({ op: 'resetCalls' }),
    cloudCallsPerSecond: () => ask<Record<string, Record<string, number>>>({ op: 'cloudCallsPerSecond' }),
    configureKubelet: (args) => ask<void>({ op: 'configureKubelet', args }),
    deploy: (args) => ask<number>({ op: 'deploy', args }, args.timeoutMs + 10_000),
    restartAndWait: (namespace, name, deadline = 30_000) =>
      ask<number>({ op: 'restartAndWait', args: { namespace, name, timeoutMs: deadline } }, deadline + 5_000),
    slackCalls: () => ask<number>({ op: 'slackCalls' }),
    cpuMs: () => ask<number>({ op: 'cpuMs' }),
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      await ask<void>({ op: 'stop' }, 10_000).catch(() => child.kill('SIGKILL'));
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}
