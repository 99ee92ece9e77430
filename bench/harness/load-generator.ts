/** Runs one bounded burst of signed Slack slash commands from a child process and returns the latencies. */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const childScript = fileURLToPath(new URL('./load-generator-main.ts', import.meta.url));

export interface LoadPlan {
  url: string;
  signingSecret: string;
  count: number;
  concurrency: number;
  users: string[];
  text: string;
  /** Makes trigger ids (and so message ids and signatures) unique across bursts. */
  runId: string;
  /** Stops sending new requests after this long. */
  timeBudgetMs: number;
}

export interface LoadResult {
  latencies: number[];
  statuses: Record<string, number>;
  errors: number;
  wallMs: number;
}

export function runLoad(plan: LoadPlan): Promise<LoadResult> {
  const child = fork(childScript, [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise<LoadResult>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('load generator did not finish in time'));
    }, plan.timeBudgetMs + 30_000);
    child.once('message', (result) => {
      clearTimeout(timer);
      resolve(result as LoadResult);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code !== 0) reject(new Error(`load generator exited with ${code}`));
    });
    child.send(plan);
  });
}
