/**
 * A private redis-server for the sandbox: loopback only, nothing persisted, stopped with the
 * sandbox. Its pid is written to the state directory so a sandbox killed hard is cleaned up next time.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Redis } from 'ioredis';
import { AppError } from '../errors.ts';
import { freePort } from './free-port.ts';

export interface PrivateRedis {
  /** `redis://127.0.0.1:<port>`, or `redis://:<password>@127.0.0.1:<port>` with a password. */
  url: string;
  stop(): Promise<void>;
}

export interface PrivateRedisOptions {
  redisServer?: string;
  /** Makes the server insist on it (`--requirepass`); the url carries it. */
  password?: string;
  /** Default: a free one (tests that restart Redis keep its port). */
  port?: number;
}
export async function startPrivateRedis(
  stateDir: string,
  options: PrivateRedisOptions = {},
): Promise<PrivateRedis> {
  const { redisServer = 'redis-server', password } = options;
  const pidFile = path.join(stateDir, 'redis.pid');
  await killStale(pidFile);
  // The port is found by letting redis-server bind it: when another process took it between our
  // pick and that bind, redis-server exits and we pick again — never pinging someone else's Redis.
  for (let attempt = 1; ; attempt += 1) {
    const port = options.port ?? (await freePort());
    const child = await spawnRedis(redisServer, port, stateDir, password);
    const started = await untilReady(child);
    if (started === 'taken' && options.port === undefined && attempt < 5) continue;
    if (started !== 'ready') {
      throw new AppError('INTERNAL', `redis-server could not start on 127.0.0.1:${port} (${started}).`);
    }
    await writeFile(pidFile, String(child.pid), { mode: 0o600 });
    const credential = password === undefined ? '' : `:${encodeURIComponent(password)}@`;
    const url = `redis://${credential}127.0.0.1:${port}`;
    await waitForPing(url, child);
    return running(child, url, pidFile);
  }
}

function running(child: ChildProcess, url: string, pidFile: string): PrivateRedis {
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  return {
    url,
    async stop() {
      if (!exited) {
        const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGTERM');
        await gone;
      }
      await rm(pidFile, { force: true });
    },
  };
}

async function spawnRedis(
  redisServer: string,
  port: number,
  stateDir: string,
  password: string | undefined,
): Promise<ChildProcess> {
  const child = spawn(
    redisServer,
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      stateDir,
      '--protected-mode',
      'yes',
      ...(password === undefined ? [] : ['--requirepass', password]),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', () => resolve());
    child.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'ENOENT'
          ? new AppError('CONFIG_INVALID', 'The sandbox needs Redis, and no redis-server is on PATH.', {
              hint: 'Install it (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis) or set REDIS_URL to a Redis you run.',
            })
          : error,
      ),
    );
  });
  return child;
}

/** Redis says when it listens, or why it stopped: nothing is pinged before it is known to be ours. */
function untilReady(child: ChildProcess): Promise<string> {
  return new Promise((resolve) => {
    let said = '';
    let ready = false;
    // Read until it is ready, then only drained, so redis-server never blocks on a full pipe.
    const hear = (chunk: Buffer) => {
      if (ready) return;
      said += chunk.toString('utf8');
      if (said.includes('Ready to accept connections')) {
        ready = true;
        resolve('ready');
      }
    };
    child.stdout?.on('data', hear);
    child.stderr?.on('data', hear);
    child.once('exit', (code) =>
      resolve(said.includes('Address already in use') ? 'taken' : `exit code ${String(code)}`),
    );
  });
}

async function waitForPing(url: string, child: ReturnType<typeof spawn>): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new AppError('INTERNAL', `redis-server exited with code ${child.exitCode} at start.`);
    const client = new Redis(url, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: () => null,
    });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.ping();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      client.disconnect();
    }
  }
  throw new AppError('TIMEOUT', 'The private redis-server did not answer within 10 s.');
}

async function killStale(pidFile: string): Promise<void> {
  const pid = Number(await readFile(pidFile, 'utf8').catch(() => ''));
  if (!Number.isInteger(pid) || pid <= 0) return;
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  if (cmdline.includes('redis-server')) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  await rm(pidFile, { force: true });
}
