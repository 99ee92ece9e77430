import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imageEnv, imageNodeOptions } from '../../helpers/dockerfile-instructions.ts';
import { buildCompiledApp, compiledEntry } from '../../helpers/compiled-app.ts';
import type { CompiledApp } from '../../helpers/compiled-app.ts';
import { grantedWorldProblems } from '../../helpers/granted-world-problems.ts';
import { testDatabaseUrl } from '../../helpers/pg.ts';
import { startProcessWorld } from '../../helpers/process-world.ts';
import type { ProcessWorld } from '../../helpers/process-world.ts';
import { clusterId } from '../../helpers/test-world.ts';

/**
 * The production build: `scripts/build.mjs` (what `npm run build` and the Dockerfile's build stage
 * run) into a fresh directory laid out like the image's /app — package.json, node_modules, dist —
 * then `node dist/src/cli.js start` with the image's NODE_OPTIONS, against the shared Redis and
 * Postgres. Nothing there can load TypeScript: Node 20 has no loader for it and tsx is not
 * registered, so every module that runs is the compiled JavaScript, and every file read at run
 * time (migrations, console page) is found beside it.
 */
const app = { app: 'compiled-web', namespace: 'compiled-ns' };

function run(
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      args,
      { cwd: options.cwd, env: options.env, timeout: options.timeoutMs },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
}

describe('the compiled build, run as the image runs it', () => {
  let compiled: CompiledApp | undefined;
  let appDir = '';
  let dist = '';
  let world: ProcessWorld | undefined;

  beforeAll(async () => {
    compiled = await buildCompiledApp();
    appDir = compiled.dir;
    dist = path.join(appDir, 'dist');
    world = await startProcessWorld({
      name: 'compiled-build',
      apps: [app],
      workflow: { stepBackoffMs: 50, pollDelayMs: 100, rolloutWaitMs: 10_000 },
      process: { entry: compiledEntry, cwd: appDir, nodeArgs: imageNodeOptions(), env: imageEnv() },
    });
  }, 120_000);

  afterAll(async () => {
    await world?.stop();
    await compiled?.remove();
  });

  it('builds in well under a minute into JavaScript and the files read at run time, without TypeScript', async () => {
    expect(compiled!.buildMs).toBeLessThan(60_000);
    const files = await filesUnder(dist);
    expect(files.filter((f) => f.endsWith('.ts'))).toEqual([]);
    for (const needed of [
      'src/cli.js',
      'src/main.js',
      'workflows/grant/machine.js',
      'adapters/kubernetes/index.js',
      'drizzle/meta/_journal.json',
      'drizzle/0000_init.sql',
      'src/console/console-page.html',
      'src/console/console-page.css',
      'src/console/console-page.js',
    ]) {
      expect(files, needed).toContain(needed);
    }
    // Tests and benchmarks stay out of the build.
    expect(files.some((f) => f.startsWith('test/') || f.startsWith('bench/') || f.includes('.test.'))).toBe(
      false,
    );
  });

  it('starts `sgops start` from dist with the image flags: migrated, ready, and serving the console page', async () => {
    const started = await world!.start();
    const commandLine = (await readFile(`/proc/${started.pid}/cmdline`, 'utf8')).split('\0');
    expect(commandLine).toEqual(expect.arrayContaining([...imageNodeOptions(), compiledEntry, 'start']));
    expect((await fetch(`${world!.urls[0]}/readyz`)).status).toBe(200);

    const page = await fetch(`${world!.urls[0]}/`);
    expect(page.status).toBe(200);
    const html = await page.text();
    // Every stylesheet and script the page links, and every module those scripts import.
    const pending = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    const fetched = new Set<string>();
    while (pending.length > 0) {
      const asset = pending.pop()!;
      if (fetched.has(asset)) continue;
      fetched.add(asset);
      const res = await fetch(`${world!.urls[0]}${asset}`);
      expect(res.status, asset).toBe(200);
      const body = await res.text();
      expect(body.length, asset).toBeGreaterThan(0);
      for (const [, name] of body.matchAll(/from '\.\/([^']+)'/g)) pending.push(`/assets/${name}`);
    }
    expect(fetched.size).toBeGreaterThanOrEqual(4);
  }, 90_000);

  it('carries a grant through approval to done, and `sgops audit verify` from dist verifies its trail', async () => {
    await world!.say('alice', `grant pod SG to app ${app.app} in ${app.namespace}`);
    const planned = await world!.requestsWhen(
      (rows) => rows.get(app.app)?.state === 'awaitingApproval',
      45_000,
    );
    const id = planned.get(app.app)!.id;
    await world!.say('bob', `approve ${id}`);
    await world!.requestsWhen((rows) => rows.get(app.app)?.state === 'done', 45_000);
    expect(
      grantedWorldProblems(world!.emulator.state(), world!.simulator, {
        clusterId,
        clusterGroupName: `tke-worker-security-for-${clusterId}`,
        apps: [app],
      }),
    ).toEqual([]);

    const verified = await run([compiledEntry, 'audit', 'verify', '--schema', world!.schema, '--json'], {
      cwd: appDir,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        DATABASE_URL: testDatabaseUrl,
        SGOPS_AUDIT_KEY: world!.auditKey,
      },
      timeoutMs: 60_000,
    });
    expect(verified.stderr).toBe('');
    expect(verified.code).toBe(0);
    expect(verified.stdout.trim().length).toBeGreaterThan(0);
  }, 120_000);

  it('runs `sgops sandbox` from dist, and `sgops say` from dist talks to it', async () => {
    const stateDir = await mkdtemp(path.join(tmpdir(), 'sgops-compiled-sandbox-'));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...imageEnv(),
      NODE_OPTIONS: imageNodeOptions().join(' '),
    };
    delete env.REDIS_URL; // the sandbox starts a private redis-server of its own
    let output = '';
    const sandbox: ChildProcess = spawn(
      process.execPath,
      [compiledEntry, 'sandbox', '--state-dir', stateDir],
      {
        cwd: appDir,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    sandbox.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    sandbox.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    try {
      const deadline = Date.now() + 60_000;
      while (!output.includes('sgops sandbox is running')) {
        if (Date.now() > deadline || sandbox.exitCode !== null)
          throw new Error(`sandbox did not start:\n${output}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      const said = await run(
        [compiledEntry, 'say', '--state-dir', stateDir, '--as', 'alice', '--json', 'help'],
        { cwd: appDir, env, timeoutMs: 60_000 },
      );
      expect(said.code, said.stderr).toBe(0);
      const lines = said.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { text: string });
      expect(lines.some((l) => l.text.includes('grant pod SG to app'))).toBe(true);
    } finally {
      if (sandbox.exitCode === null) {
        const exited = new Promise((r) => sandbox.once('exit', r));
        sandbox.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
        if (sandbox.exitCode === null) sandbox.kill('SIGKILL');
      }
      await rm(stateDir, { recursive: true, force: true });
    }
  }, 120_000);
});
