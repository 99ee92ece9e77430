/**
 * A private redis-server for the sandbox: loopback only, nothing persisted, stopped with the
 * sandbox. Its pid is written to the state directory so a sandbox killed hard is cleaned up next time.
 */
import { spawn } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Redis } from 'ioredis';
import { AppError } from '../errors.ts';
import { freePort } from './pick-port.ts';

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
  const port = options.port ?? (await freePort());
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
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const spawned = new Promise<void>((resolve, reject) => {
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
  await spawned;
  await writeFile(pidFile, String(child.pid), { mode: 0o600 });
  const credential = password === undefined ? '' : `:${encodeURIComponent(password)}@`;
  const url = `redis://${credential}127.0.0.1:${port}`;
  await waitForPing(url, child);
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
