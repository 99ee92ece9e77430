/**
 * Issue 14: the state directory holds the cloud secret key, Slack's signing secret, WeCom's AES key
 * (sandbox.json), the audit key and PGlite's audit trail. Whatever the directory held before, the
 * running sandbox keeps all of it from other users: every directory 0700, every file 0600.
 */
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, lstat, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox } from '../../../src/sandbox/start-sandbox.ts';
import { openSandboxWorld } from '../../../src/sandbox/sandbox-world.ts';
import { appErrorOf } from '../../helpers/app-error-of.ts';
import { until } from '../../helpers/until.ts';

const run = promisify(execFile);
const bin = path.resolve('bin/sgops.js');

interface Entry {
  path: string;
  mode: number;
  dir: boolean;
}

/** Every entry under `root`, the root included (lstat: a link would show as 0777, not hide behind its target). */
async function walk(root: string): Promise<Entry[]> {
  const stats = await lstat(root);
  const here = { path: root, mode: stats.mode & 0o7777, dir: stats.isDirectory() };
  if (!stats.isDirectory()) return [here];
  const below = await Promise.all((await readdir(root)).map((name) => walk(path.join(root, name))));
  return [here, ...below.flat()];
}

/** What anyone but the owner could read or write, as `relative path mode` lines. */
function exposed(root: string, entries: Entry[]): string[] {
  return entries
    .filter((e) => e.mode !== (e.dir ? 0o700 : 0o600))
    .map((e) => `${path.relative(root, e.path) || '.'} ${e.mode.toString(8)}`);
}

/** A process's umask as Linux reports it (`0077`). */
async function umaskOf(pid: number): Promise<string | undefined> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return /^Umask:\s*(\d+)$/m.exec(status)?.[1];
}

/** The pid of a process that has ended: what a sandbox killed hard leaves in sandbox.json. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid!;
}

describe('the sandbox started in a state directory others could read', () => {
  let parent = '';
  let stateDir = '';
  let sandbox: ChildProcess | undefined;
  let output = '';
  const seeded: string[] = [];

  const say = async (person: string, line: string, ...flags: string[]) => {
    const { stdout } = await run(
      process.execPath,
      [bin, 'say', '--as', person, line, '--json', '--timeout', '90', '--state-dir', stateDir, ...flags],
      { timeout: 120_000 },
    );
    return stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { text: string; requestId?: string; state?: string });
  };

  beforeAll(async () => {
    parent = await mkdtemp(path.join(os.tmpdir(), 'sgops-private-state-'));
    stateDir = path.join(parent, 'state');
    await mkdir(stateDir);
    await chmod(stateDir, 0o755);
    // As an older sgops (or a sandbox killed hard) left them: secrets and the log readable by all.
    const pid = await deadPid();
    await writeFile(
      path.join(stateDir, 'sandbox.json'),
      JSON.stringify({ pid, tencentcloud: { secretKey: 'stale-secret' } }),
    );
    await writeFile(path.join(stateDir, 'sandbox.log'), '{"msg":"an earlier run"}\n');
    await writeFile(path.join(stateDir, 'audit.key'), randomBytes(32).toString('hex'));
    for (const name of ['sandbox.json', 'sandbox.log', 'audit.key'])
      await chmod(path.join(stateDir, name), 0o644);
    // A PGlite directory as PGlite makes it under the usual umask 022: 0755 directories, 0666 files,
    // and its world beside it, copied by hand as 0755/0644: the keys and the CA key readable by all.
    const world = await openSandboxWorld(stateDir);
    const db = new PGlite(path.join(stateDir, 'pglite'));
    await db.query('select 1');
    await db.close();
    await world.keep();
    await chmod(world.dir, 0o755);
    await chmod(path.join(world.dir, 'identity.json'), 0o644);
    seeded.push(...exposed(stateDir, await walk(stateDir)));

    const env = { ...process.env };
    delete env.REDIS_URL; // a private redis-server, so the sandbox's fixed `sgops` prefix meets no one
    sandbox = spawn(process.execPath, [bin, 'sandbox', '--state-dir', stateDir], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    sandbox.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    sandbox.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    await until(
      'the sandbox to start',
      () => {
        if (sandbox!.exitCode !== null) throw new Error(`the sandbox exited:\n${output}`);
        return output.includes('sgops sandbox is running') ? true : undefined;
      },
      120_000,
    );
  }, 180_000);

  afterAll(async () => {
    if (sandbox && sandbox.exitCode === null) sandbox.kill('SIGKILL');
    await rm(parent, { recursive: true, force: true });
  });

  it('began with secrets, the log and PGlite’s files open to others', () => {
    expect(seeded).toContain('. 755');
    expect(seeded).toContain('sandbox.json 644');
    expect(seeded).toContain('sandbox.log 644');
    expect(seeded).toContain('audit.key 644');
    expect(seeded).toContain('pglite 755');
    expect(
      seeded.filter((line) => line.startsWith('pglite/') && line.endsWith(' 666')).length,
    ).toBeGreaterThan(500);
  });

  it('keeps every directory 0700 and every file 0600 while it runs a grant', async () => {
    const opened = await say('alice', 'grant pod SG to app my-app in my-namespace');
    const requestId = opened[0]!.requestId!;
    const approved = await say('bob', `approve ${requestId}`, '--follow');
    expect(approved.at(-1)!.state).toBe('done');
    // The checkpoint follows the audit rows within a second or two.
    await until('the audit checkpoint', async () =>
      (await readdir(stateDir)).includes('audit-checkpoint.json') ? true : undefined,
    );

    const entries = await walk(stateDir);
    const names = entries.map((e) => path.relative(stateDir, e.path));
    for (const name of [
      'sandbox.json',
      'sandbox.log',
      'audit.key',
      'audit-checkpoint.json',
      'kubeconfig',
      'redis.pid',
      'pglite',
    ])
      expect(names).toContain(name);
    expect(exposed(stateDir, entries)).toEqual([]);
  }, 240_000);

  it('runs, with its redis-server, under umask 077, so what PGlite writes later through fopen is private too', async () => {
    const redisPid = Number(await readFile(path.join(stateDir, 'redis.pid'), 'utf8'));
    expect(await umaskOf(sandbox!.pid!)).toBe('0077');
    expect(await umaskOf(redisPid)).toBe('0077');
  });

  it('leaves them so after it stops, PGlite’s last checkpoint included', async () => {
    const exited = new Promise<number | null>((resolve) => sandbox!.once('exit', (code) => resolve(code)));
    sandbox!.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(exposed(stateDir, await walk(stateDir))).toEqual([]);
  }, 60_000);
});

describe('a state directory holding a file sgops cannot make private', () => {
  let stateDir = '';
  let log = '';

  afterEach(async () => {
    await run('chattr', ['-i', log]).catch(() => undefined);
    await rm(path.dirname(stateDir), { recursive: true, force: true });
  });

  it('stops the sandbox before it starts anything, naming the file, in the code and on the command line', async ({
    skip,
  }) => {
    stateDir = path.join(await mkdtemp(path.join(os.tmpdir(), 'sgops-immutable-state-')), 'state');
    await mkdir(stateDir);
    log = path.join(stateDir, 'sandbox.log');
    await writeFile(log, 'an earlier run\n');
    await chmod(log, 0o644);
    // Even root cannot chmod an immutable file; where chattr is refused (no root, no
    // CAP_LINUX_IMMUTABLE, a file system without it) the injected failures in
    // test/unit/files/make-private.test.ts stand in.
    const immutable = await run('chattr', ['+i', log]).then(
      () => true,
      () => false,
    );
    if (!immutable) return skip('chattr +i is not permitted here');

    const error = await appErrorOf(
      startSandbox({ stateDir }).then(async (started) => {
        await started.stop();
        return started;
      }),
    );
    expect(error.code).toBe('FILE_NOT_PRIVATE');
    expect(error.message).toContain(`${log} cannot be made private (chmod to 0600 failed: EPERM)`);
    expect((await readdir(stateDir)).sort()).toEqual(['sandbox.log']);

    const cli = await run(process.execPath, [bin, 'sandbox', '--state-dir', stateDir], {
      timeout: 60_000,
    }).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain(`sgops: ${log} cannot be made private`);
    expect(cli.stderr).toContain('hint: Make it owned by the user sgops runs as');
  }, 90_000);
});
