/**
 * `sgops audit … --state-dir`: PGlite is single-process, so the CLI goes through the running
 * bot's HTTP API (auditRoutes), found through `<stateDir>/sandbox.json`.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signAuditCheckpoint, writeAuditCheckpoint } from '../../../src/audit/audit-checkpoint.ts';
import { auditRoutes } from '../../../src/audit/audit-routes.ts';
import { createAuditCheckpoint } from '../../../src/audit/create-audit-checkpoint.ts';
import { runAudit, type AuditArgs } from '../../../src/cli/run-audit.ts';
import { sandboxFileName, type SandboxInfo } from '../../../src/sandbox/sandbox-file.ts';
import { createStore } from '../../../src/store/create-store.ts';
import type { AuditRow, Store } from '../../../src/store/store.ts';
import { buildChain, fixtureKey } from '../../unit/audit/audit-chain-fixture.ts';
import { memoryAuditStore } from '../../unit/audit/memory-audit-store.ts';
import { appendRealisticRun } from './audit-run.ts';

const bin = path.resolve('bin/sgops.js');
const auditKey = 'sandbox-audit-key-1e8f3c5a7b9d2f40';
const cloudSecret = 'sandboxSecretKey-77aa01bc9e3f';

async function serve(
  options: Parameters<typeof auditRoutes>[1],
): Promise<{ app: FastifyInstance; url: string }> {
  const app = Fastify();
  await app.register(auditRoutes, options);
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, url };
}

async function writeSandboxFile(stateDir: string, url: string): Promise<void> {
  // Only what the audit CLI reads, plus the secrets it must never print; the rest of the file varies.
  const info: Pick<SandboxInfo, 'console' | 'tencentcloud'> & Record<string, unknown> = {
    pid: process.pid,
    startedAt: new Date().toISOString(),
    console: { url },
    tencentcloud: {
      endpoint: 'http://127.0.0.1:1',
      secretId: 'AKIDsandbox',
      secretKey: cloudSecret,
      region: 'ap-guangzhou',
      adminUrl: 'http://127.0.0.1:1',
      tccli: { envFile: path.join(stateDir, 'tccli.env'), endpoint: 'http://127.0.0.1:1', example: '' },
    },
    kubernetes: { server: 'http://127.0.0.1:2', kubeconfig: path.join(stateDir, 'kubeconfig'), adminUrl: '' },
    redis: { url: 'redis://127.0.0.1:6379', private: false },
    database: { kind: 'pglite', path: path.join(stateDir, 'pglite') },
    wecom: {
      token: 'wecomCallbackToken-9d1e',
      encodingAESKey: 'aesKey0123456789abcdefghijklmnopqrstuvwxyzA',
    },
    logFile: path.join(stateDir, 'sandbox.log'),
  };
  await writeFile(path.join(stateDir, sandboxFileName), JSON.stringify(info));
}

async function inProcess(args: Omit<AuditArgs, 'out' | 'err' | 'json'> & { json?: boolean }) {
  const out = new PassThrough();
  let stdout = '';
  out.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const code = await runAudit({ json: false, out, err: new PassThrough(), ...args });
  return { code, stdout };
}

describe('sgops audit against a running sandbox', () => {
  let stateDir: string;
  let store: Store;
  let server: { app: FastifyInstance; url: string };
  let rows: AuditRow[];

  beforeAll(async () => {
    stateDir = await mkdtemp(path.join(os.tmpdir(), 'sgops-audit-sandbox-'));
    store = await createStore({ kind: 'pglite', auditKey });
    await appendRealisticRun(store, 'R7K2', [auditKey, cloudSecret], cloudSecret);
    await appendRealisticRun(store, 'RQX9P', [auditKey, cloudSecret], cloudSecret);
    const checkpoint = await createAuditCheckpoint({
      store,
      auditKey,
      path: path.join(stateDir, 'audit-checkpoint.json'),
    });
    await checkpoint.close();
    rows = await store.listAudit();
    server = await serve({ store, auditKey, checkpoint, secrets: [cloudSecret] });
    await writeSandboxFile(stateDir, server.url);
  });
  afterAll(async () => {
    await server.app.close();
    await store.close();
    await rm(stateDir, { recursive: true, force: true });
  });

  it('verifies through the bot as a real process, without the audit key on its side', async () => {
    const env = { PATH: process.env.PATH, HOME: process.env.HOME };
    const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) =>
      execFile(
        process.execPath,
        [bin, 'audit', 'verify', '--state-dir', stateDir],
        { env, timeout: 60_000 },
        (error, out, err) =>
          error ? reject(new Error(`${error.message}\n${err}`)) : resolve({ stdout: out, stderr: err }),
      ),
    );
    expect(stderr).toBe('');
    expect(stdout).toMatch(new RegExp(`^audit chain OK: ${rows.length} rows, head seq ${rows.length} `));
    expect(stdout).toContain(`(seq ${rows.length}) matches the chain`);
    expect(`${stdout}${stderr}`).not.toContain(cloudSecret);
  });

  it('exports one request as JSON lines through the bot, secrets masked', async () => {
    const { code, stdout } = await inProcess({ subcommand: 'export', stateDir, requestId: 'RQX9P', env: {} });
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    const expected = rows.filter((r) => r.requestId === 'RQX9P');
    expect(lines.map((l) => (JSON.parse(l) as { seq: number }).seq)).toEqual(expected.map((r) => r.seq));
    expect(stdout).not.toContain(cloudSecret);
    expect(stdout).not.toContain(auditKey);
  });

  it('reports a cut tail through the bot’s checkpoint, or one passed with --checkpoint', async () => {
    const genuine = buildChain(12);
    const cut = genuine.slice(0, 9);
    const head = signAuditCheckpoint(fixtureKey, {
      seq: 12,
      hash: genuine[11]!.hash,
      at: '2025-01-01T00:00:00.000Z',
    });
    const dir = await mkdtemp(path.join(os.tmpdir(), 'sgops-audit-sandbox-cut-'));
    const other = await serve({
      store: memoryAuditStore(() => cut),
      auditKey: fixtureKey,
      checkpoint: { read: () => Promise.resolve(head) },
    });
    try {
      await writeSandboxFile(dir, other.url);
      const viaBot = await inProcess({ subcommand: 'verify', stateDir: dir, env: {} });
      expect(viaBot.code).toBe(1);
      expect(viaBot.stdout).toMatch(/^audit chain BROKEN at seq 10: truncated \(/);

      const file = path.join(dir, 'from-cos.json');
      await writeAuditCheckpoint(
        file,
        signAuditCheckpoint(fixtureKey, { seq: 11, hash: genuine[10]!.hash, at: '2025-01-01T00:00:00.000Z' }),
      );
      const viaFile = await inProcess({
        subcommand: 'verify',
        stateDir: dir,
        env: {},
        checkpointFile: file,
        json: true,
      });
      expect(JSON.parse(viaFile.stdout)).toMatchObject({
        ok: false,
        checkpoint: { seq: 11 },
        broken: { seq: 10 },
      });
    } finally {
      await other.app.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('says no sandbox is running when the state directory has none', async () => {
    await expect(
      inProcess({ subcommand: 'verify', stateDir: path.join(stateDir, 'nothing'), env: {} }),
    ).rejects.toThrow(/No sandbox is running/);
  });
});
