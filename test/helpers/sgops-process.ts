/**
 * A real `sgops start` process (node bin/sgops.js start, or a compiled build's entry) for tests that need more than one replica:
 * configured only through the YAML file SGOPS_CONFIG names, with every variable the config loader
 * reads removed from its environment so the developer's shell cannot leak into it.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const configVariables = [
  'REDIS_URL',
  'DATABASE_URL',
  'TENCENTCLOUD_SECRET_ID',
  'TENCENTCLOUD_SECRET_KEY',
  'TENCENTCLOUD_SESSION_TOKEN',
  'TENCENTCLOUD_REGION',
  'TENCENTCLOUD_ENDPOINT',
  'KUBECONFIG',
  'SGOPS_AUDIT_KEY',
  'SGOPS_DEFAULT_CLUSTER',
  'LOG_LEVEL',
];

export interface SgopsProcess {
  readonly pid: number;
  readonly child: ChildProcess;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves when GET <url>/readyz answers 200; rejects when the process exits first or time runs out. */
  ready(url: string, timeoutMs?: number): Promise<void>;
  /** The first answer of GET <url>/readyz, whatever its status; rejects when the process exits first. */
  firstReadyz(url: string, timeoutMs?: number): Promise<{ status: number; body: string }>;
  /** Sends SIGTERM and resolves with how it exited; rejects when it is still running after `timeoutMs`. */
  terminate(timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>;
  /** SIGKILL if it is still running (cleanup after a failed test); resolves once it is gone. */
  kill(): Promise<void>;
}

export interface SgopsProcessOptions {
  /** The script node runs, relative to `cwd` (default bin/sgops.js, the sources through tsx). */
  entry?: string;
  /** Default: the repository. */
  cwd?: string;
  /** Node's own flags, before the script (e.g. --heap-prof). */
  nodeArgs?: string[];
  /** Variables added to its environment (e.g. the image's glibc malloc tunables). */
  env?: Record<string, string>;
}

export function startSgopsProcess(configPath: string, options: SgopsProcessOptions = {}): SgopsProcess {
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env, SGOPS_CONFIG: configPath };
  for (const name of configVariables) delete env[name];
  const { entry = 'bin/sgops.js', cwd = repoRoot, nodeArgs = [] } = options;
  const child = spawn(process.execPath, [...nodeArgs, entry, 'start'], {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  // How it ended goes into its output, so a test that sees it gone can say why.
  let spawnError: Error | null = null;
  child.once('error', (error) => {
    spawnError = error;
    text += `\n[could not be started: ${error.message}]`;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      text += `\n[exited with code ${code} signal ${signal}]`;
      resolve({ code, signal });
    }),
  );
  const running = () => spawnError === null && child.exitCode === null && child.signalCode === null;

  return {
    pid: child.pid!,
    child,
    output: () => text,
    async ready(url, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (!running()) throw new Error(`sgops exited before it was ready:\n${text}`);
        const ok = await fetch(`${url}/readyz`).then(
          (r) => r.status === 200,
          () => false,
        );
        if (ok) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`sgops was not ready within ${timeoutMs} ms:\n${text}`);
    },
    async firstReadyz(url, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (!running()) throw new Error(`sgops exited before its port answered:\n${text}`);
        const answer = await fetch(`${url}/readyz`).then(
          async (r) => ({ status: r.status, body: await r.text() }),
          () => null,
        );
        if (answer) return answer;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`no /readyz answer within ${timeoutMs} ms:\n${text}`);
    },
    async terminate(timeoutMs = 10_000) {
      const started = Date.now();
      if (running()) child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`sgops ${child.pid} still runs ${timeoutMs} ms after SIGTERM`)),
          timeoutMs,
        );
      });
      try {
        const end = await Promise.race([exited, late]);
        return { ...end, ms: Date.now() - started };
      } finally {
        clearTimeout(timer);
      }
    },
    async kill() {
      if (!running()) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** True while a process with this id exists (signal 0 only checks). */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
