/**
 * Issue 14, outside the sandbox: `sgops start` with PGlite in a directory of its own and the audit
 * checkpoint in a file keeps both from other users, whatever the operator's umask or a restored
 * copy left behind. (There is no audit key file outside the sandbox: the key comes from
 * SGOPS_AUDIT_KEY or the config file, which the operator owns.)
 */
import { chmod, lstat, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signAuditCheckpoint } from '../../../src/audit/audit-checkpoint.ts';
import { genesisHash } from '../../../src/audit/audit-hash.ts';
import { startProcessWorld, type ProcessWorld } from '../../helpers/process-world.ts';
import type { SgopsProcess } from '../../helpers/sgops-process.ts';
import { until } from '../../helpers/until.ts';

const auditKey = 'private-files-audit-key-5d2c9e71a0b3';

/** What anyone but the owner could read or write under `root`, as `relative path mode` lines. */
async function exposed(root: string): Promise<string[]> {
  const found: string[] = [];
  const visit = async (entry: string) => {
    const stats = await lstat(entry);
    const mode = stats.mode & 0o7777;
    if (mode !== (stats.isDirectory() ? 0o700 : 0o600))
      found.push(`${path.relative(root, entry) || '.'} ${mode.toString(8)}`);
    if (stats.isDirectory()) for (const name of await readdir(entry)) await visit(path.join(entry, name));
  };
  await visit(root);
  return found;
}

const modeOf = async (file: string) => (await stat(file)).mode & 0o7777;

async function umaskOf(pid: number): Promise<string | undefined> {
  return /^Umask:\s*(\d+)$/m.exec(await readFile(`/proc/${pid}/status`, 'utf8'))?.[1];
}

describe('sgops start with PGlite and an audit checkpoint file', () => {
  let ops = '';
  let world: ProcessWorld | undefined;
  let bot: SgopsProcess;
  const dataDir = () => path.join(ops, 'var');
  const pgliteDir = () => path.join(ops, 'var', 'pglite');
  const checkpointDir = () => path.join(ops, 'audit');
  const checkpointFile = () => path.join(ops, 'audit', 'audit-checkpoint.json');
  let seededInode = 0;

  beforeAll(async () => {
    // The operator's directories, made under the usual umask 022, and a checkpoint restored with cp:
    // the chain's start, signed with the audit key, readable by all.
    ops = await mkdtemp(path.join(os.tmpdir(), 'sgops-private-start-'));
    await mkdir(dataDir());
    await mkdir(checkpointDir());
    await chmod(dataDir(), 0o755);
    await chmod(checkpointDir(), 0o755);
    const genesis = signAuditCheckpoint(auditKey, {
      seq: 0,
      hash: genesisHash,
      at: new Date().toISOString(),
    });
    await writeFile(checkpointFile(), `${JSON.stringify(genesis)}\n`);
    await chmod(checkpointFile(), 0o644);
    seededInode = (await stat(checkpointFile())).ino;

    world = await startProcessWorld({
      name: 'private-start-files',
      apps: [{ app: 'my-app', namespace: 'my-namespace' }],
      auditKey,
      workflow: { stepBackoffMs: 50, pollDelayMs: 100 },
      config: {
        database: { kind: 'pglite', path: pgliteDir() },
        audit: { key: auditKey, checkpointPath: checkpointFile() },
      },
    });
    bot = await world.start();
  }, 120_000);

  afterAll(async () => {
    await world?.stop();
    await rm(ops, { recursive: true, force: true });
  });

  it('makes the restored checkpoint private in place before it uses it, and leaves the operator’s directories alone', async () => {
    const checkpoint = await stat(checkpointFile());
    expect(checkpoint.ino).toBe(seededInode); // chmod, not a new file written over it
    expect(checkpoint.mode & 0o7777).toBe(0o600);
    expect(await modeOf(checkpointDir())).toBe(0o755);
    expect(await modeOf(dataDir())).toBe(0o755);
  });

  it('keeps the PGlite directory it unpacked 0700 throughout, with every file 0600', async () => {
    expect(await exposed(pgliteDir())).toEqual([]);
  });

  it('runs under umask 077', async () => {
    expect(await umaskOf(bot.pid)).toBe('0077');
  });

  it('keeps them private after a request is planned and the checkpoint moves on, and after it stops', async () => {
    await world!.say('alice', 'grant pod SG to app my-app in my-namespace');
    await until('the checkpoint to move past the planning calls', async () => {
      const { seq } = JSON.parse(await readFile(checkpointFile(), 'utf8')) as { seq: number };
      return seq > 0 ? seq : undefined;
    });
    expect(await modeOf(checkpointFile())).toBe(0o600);
    expect(await exposed(pgliteDir())).toEqual([]);

    const { code } = await bot.terminate(30_000);
    expect(code).toBe(0);
    expect(await modeOf(checkpointFile())).toBe(0o600);
    expect(await exposed(pgliteDir())).toEqual([]);
  }, 90_000);
});
