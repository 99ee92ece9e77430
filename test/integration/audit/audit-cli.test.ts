/**
 * Issue 7's audit acceptance, end to end: a realistic run of rows in a real Postgres schema, a
 * checkpoint of the head written outside the database, then `node bin/sgops.js audit …` as a
 * real process — it must name where each kind of tampering happened, and never print a secret.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { createAuditCheckpoint } from '../../../src/audit/create-audit-checkpoint.ts';
import { runAudit, type AuditArgs } from '../../../src/cli/run-audit.ts';
import { createStore } from '../../../src/store/create-store.ts';
import type { AuditRow, Store } from '../../../src/store/store.ts';
import { dropSchema, testDatabaseUrl, uniqueSchema, withSchemaClient } from '../../helpers/pg.ts';
import { appendRealisticRun } from './audit-run.ts';

const bin = path.resolve('bin/sgops.js');
const auditKey = 'cli-acceptance-audit-key-6f1c0b7e2d9a4e38';
const cloudSecret = 'TCsecretKey-3b7e91d0c2f84a6c9e1d';
const rowsPerRun = 15;

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

function sgops(args: string[], env: Record<string, string | undefined>): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** runAudit in this process, for the cases that need no real process (spawning costs seconds). */
async function inProcess(
  args: Omit<AuditArgs, 'out' | 'err' | 'json' | 'stateDir'> & { json?: boolean },
): Promise<Ran> {
  const out = new PassThrough();
  const err = new PassThrough();
  const text = (stream: PassThrough) => {
    let collected = '';
    stream.on('data', (chunk: Buffer) => (collected += chunk.toString()));
    return () => collected;
  };
  const stdout = text(out);
  const stderr = text(err);
  const code = await runAudit({ json: false, stateDir: os.tmpdir(), out, err, ...args });
  return { code, stdout: stdout(), stderr: stderr() };
}

describe('sgops audit against Postgres', () => {
  let schema: string;
  let store: Store;
  let dir: string;
  let checkpointFile: string;
  let env: Record<string, string>;
  let rows: AuditRow[];
  const sql = <T>(fn: (client: pg.Client) => Promise<T>) => withSchemaClient(testDatabaseUrl, schema, fn);
  /** What an attacker with database rights does: switch the append-only triggers off, then edit. */
  const tamper = (...statements: [string, unknown[]?][]) =>
    sql(async (client) => {
      await client.query('alter table audit_log disable trigger user');
      for (const [statement, params] of statements) await client.query(statement, params ?? []);
      await client.query('alter table audit_log enable trigger user');
    });
  const verify = (...flags: string[]) =>
    sgops(['audit', 'verify', '--schema', schema, '--checkpoint', checkpointFile, ...flags], env);

  beforeEach(async () => {
    schema = uniqueSchema('audit_cli');
    dir = await mkdtemp(path.join(os.tmpdir(), 'sgops-audit-cli-'));
    checkpointFile = path.join(dir, 'audit-checkpoint.json');
    store = await createStore({ kind: 'pg', url: testDatabaseUrl, schema, poolSize: 3, auditKey });
    const secrets = [auditKey, cloudSecret];
    await appendRealisticRun(store, 'R7K2', secrets, cloudSecret);
    await appendRealisticRun(store, 'QX9P', secrets, cloudSecret);
    const checkpointer = await createAuditCheckpoint({ store, auditKey, path: checkpointFile });
    await checkpointer.close();
    rows = await store.listAudit();
    env = {
      DATABASE_URL: testDatabaseUrl,
      SGOPS_AUDIT_KEY: auditKey,
      TENCENTCLOUD_SECRET_KEY: cloudSecret,
    };
  });
  afterEach(async () => {
    await store.close();
    await dropSchema(testDatabaseUrl, schema);
    await rm(dir, { recursive: true, force: true });
  });

  it('appends a realistic run and checkpoints its head outside the database', async () => {
    expect(rows).toHaveLength(2 * rowsPerRun);
    const checkpoint = JSON.parse(await readFile(checkpointFile, 'utf8')) as Record<string, unknown>;
    expect(checkpoint).toMatchObject({ seq: rows.length, hash: rows.at(-1)!.hash });
    expect(Object.keys(checkpoint).sort()).toEqual(['at', 'hash', 'mac', 'seq']);
  });

  it('passes the untouched chain', async () => {
    const ran = await verify();
    expect(ran.stderr).toBe('');
    expect(ran.code).toBe(0);
    expect(ran.stdout).toMatch(
      new RegExp(
        `^audit chain OK: ${rows.length} rows, head seq ${rows.length} hash ${rows.at(-1)!.hash.slice(0, 12)}…`,
      ),
    );
    expect(ran.stdout).toContain(`(seq ${rows.length}) matches the chain`);
  });

  it('names a changed row', async () => {
    await tamper([`update audit_log set outcome = 'ok', cloud_request_id = 'req-forged' where seq = 11`]);
    const ran = await verify();
    expect(ran.code).toBe(1);
    expect(ran.stdout).toMatch(/^audit chain BROKEN at seq 11: changed \(/);
  });

  it('names a deleted row', async () => {
    await tamper(['delete from audit_log where seq = 9']);
    const ran = await verify();
    expect(ran.code).toBe(1);
    expect(ran.stdout).toMatch(/^audit chain BROKEN at seq 9: removed \(/);
  });

  it('names an inserted row', async () => {
    const before = rows[5]!;
    await tamper(
      // Make room at seq 7 (negating first, so the primary key never sees two rows with one seq).
      ['update audit_log set seq = -(seq + 1) where seq >= 7'],
      ['update audit_log set seq = -seq where seq < 0'],
      [
        `insert into audit_log (seq, at, request_id, actor, kind, system, action, target, outcome, details, prev_hash, hash)
         values (7, now(), 'R7K2', 'bob', 'decision', 'chat', 'approve', 'R7K2', 'accepted', '{}'::jsonb, $1, $2)`,
        [before.hash, createHash('sha256').update('forged').digest('hex')],
      ],
    );
    const ran = await verify();
    expect(ran.code).toBe(1);
    expect(ran.stdout).toMatch(/^audit chain BROKEN at seq 7: inserted \(/);
  });

  it('names the first missing row when the last rows were deleted, through the checkpoint', async () => {
    await tamper([`delete from audit_log where seq > $1`, [rows.length - 3]]);
    const ran = await verify();
    expect(ran.code).toBe(1);
    expect(ran.stdout).toMatch(new RegExp(`^audit chain BROKEN at seq ${rows.length - 2}: truncated \\(`));
    // Without the checkpoint the shorter chain is valid: the reason the checkpoint exists.
    const blind = await inProcess({ subcommand: 'verify', schema, env });
    expect(blind.code).toBe(0);
    expect(blind.stdout).toContain('no checkpoint given');
  });

  it('names the first row when rows were rewritten with recomputed plain SHA-256 hashes', async () => {
    let prevHash = '0'.repeat(64);
    const statements: [string, unknown[]][] = [];
    for (const row of rows) {
      const outcome = row.seq === 10 ? 'ok' : row.outcome;
      const hash = createHash('sha256')
        .update(`${prevHash}\n${JSON.stringify({ ...row, outcome, prevHash, hash: undefined })}`)
        .digest('hex');
      statements.push([
        'update audit_log set prev_hash = $1, hash = $2, outcome = $3 where seq = $4',
        [prevHash, hash, outcome, row.seq],
      ]);
      prevHash = hash;
    }
    await tamper(...statements);
    const ran = await verify();
    expect(ran.code).toBe(1);
    expect(ran.stdout).toMatch(/^audit chain BROKEN at seq 1: changed \(/);
  });

  it('refuses a checkpoint file that was edited', async () => {
    const checkpoint = JSON.parse(await readFile(checkpointFile, 'utf8')) as { seq: number };
    await import('node:fs/promises').then((fs) =>
      fs.writeFile(checkpointFile, JSON.stringify({ ...checkpoint, seq: checkpoint.seq - 3 })),
    );
    await expect(inProcess({ subcommand: 'verify', schema, env, checkpointFile })).rejects.toThrow(
      /does not carry a valid MAC/,
    );
  });

  it('prints the report as JSON with --json, with the request’s share', async () => {
    await tamper(['delete from audit_log where seq = 20']);
    const ran = await inProcess({
      subcommand: 'verify',
      schema,
      env,
      checkpointFile,
      json: true,
      requestId: 'QX9P',
    });
    expect(ran.code).toBe(1);
    expect(JSON.parse(ran.stdout)).toMatchObject({
      ok: false,
      count: 19,
      broken: { seq: 20, problem: 'removed' },
      // QX9P holds seq 16–30: 14 rows remain, 10 of them (21–30) after the break.
      request: { id: 'QX9P', count: 14, affected: 10 },
    });
  });

  it('says verify needs SGOPS_AUDIT_KEY when it is missing', async () => {
    await expect(
      inProcess({ subcommand: 'verify', schema, env: { DATABASE_URL: testDatabaseUrl } }),
    ).rejects.toThrow(/set SGOPS_AUDIT_KEY/);
  });

  it('exports valid JSON lines, oldest first, one per row, for all or one request', async () => {
    const all = await sgops(['audit', 'export', '--schema', schema], env);
    expect(all.code).toBe(0);
    const lines = all.stdout.trim().split('\n');
    expect(lines).toHaveLength(rows.length);
    const parsed = lines.map((line) => JSON.parse(line) as { seq: number; hash: string; at: string });
    expect(parsed.map((r) => r.seq)).toEqual(rows.map((r) => r.seq));
    expect(parsed[0]).toMatchObject({ hash: rows[0]!.hash, at: rows[0]!.at.toISOString() });

    const out = path.join(dir, 'r7k2.jsonl');
    const one = await inProcess({ subcommand: 'export', schema, env, requestId: 'R7K2', outFile: out });
    expect(one.code).toBe(0);
    expect(one.stdout).toBe(`exported ${rowsPerRun} audit rows to ${out}\n`);
    const written = (await readFile(out, 'utf8')).trim().split('\n');
    expect(written).toHaveLength(rowsPerRun);
    expect(written.every((line) => (JSON.parse(line) as { requestId: string }).requestId === 'R7K2')).toBe(
      true,
    );
  });

  it('never shows the audit key or a configured secret, in exported rows or in its output', async () => {
    const stored = JSON.stringify(rows);
    expect(stored).toContain('[REDACTED]');
    const runs = [
      await inProcess({ subcommand: 'export', schema, env }),
      await verify(),
      await inProcess({ subcommand: 'verify', schema, env, checkpointFile, json: true }),
      await inProcess({ subcommand: 'export', schema, env, requestId: 'R7K2' }),
    ];
    const everything = [stored, ...runs.flatMap((r) => [r.stdout, r.stderr])].join('\n');
    expect(runs[0]!.stdout).toContain('RequestLimitExceeded for key [REDACTED]');
    for (const secret of [auditKey, cloudSecret]) expect(everything).not.toContain(secret);
  });
});
