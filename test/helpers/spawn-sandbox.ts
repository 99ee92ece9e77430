/**
 * `sgops sandbox --state-dir DIR` as a person starts it in a terminal (its own redis-server, not
 * the test's REDIS_URL), resolved once it prints that it is running; fails with its output if it
 * exits or takes longer than two minutes (then it is killed).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';

export interface SpawnedSandbox {
  child: ChildProcess;
  /** Everything it printed so far, stdout and stderr. */
  output(): string;
}

export async function spawnSandbox(
  stateDir: string,
  options: { detached?: boolean } = {},
): Promise<SpawnedSandbox> {
  const env = { ...process.env };
  delete env.REDIS_URL;
  const child = spawn('node', [path.resolve('bin/sgops.js'), 'sandbox', '--state-dir', stateDir], {
    env,
    detached: options.detached ?? false,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const deadline = Date.now() + 120_000;
  while (!output.includes('sgops sandbox is running')) {
    if (Date.now() > deadline || child.exitCode !== null) {
      // One that hangs is not left behind (nor, when detached, what it started).
      if (child.exitCode === null && child.signalCode === null) {
        if (options.detached) process.kill(-child.pid!, 'SIGKILL');
        else child.kill('SIGKILL');
      }
      throw new Error(`sandbox did not start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, output: () => output };
}
