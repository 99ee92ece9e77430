import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  parseAuditCheckpoint,
  readAuditCheckpoint,
  signAuditCheckpoint,
  writeAuditCheckpoint,
} from '../../../src/audit/audit-checkpoint.ts';
import { checkpointOnAppend } from '../../../src/audit/checkpoint-on-append.ts';
import {
  createAuditCheckpoint,
  type AuditCheckpointProblem,
} from '../../../src/audit/create-audit-checkpoint.ts';
import type { AuditRow, Store } from '../../../src/store/store.ts';
import { buildChain, fixtureKey } from './audit-chain-fixture.ts';
import { memoryAuditStore } from './memory-audit-store.ts';

const clock = { now: () => new Date('2025-02-03T04:05:06.000Z') };

describe('the audit checkpoint file', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sgops-checkpoint-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('round-trips through a file and checks its MAC', async () => {
    const file = path.join(dir, 'nested', 'audit-checkpoint.json');
    const cp = signAuditCheckpoint(fixtureKey, {
      seq: 7,
      hash: 'ab'.repeat(32),
      at: '2025-01-01T00:00:00.000Z',
    });
    await writeAuditCheckpoint(file, cp);
    expect(await readAuditCheckpoint(file, fixtureKey)).toEqual(cp);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({
      seq: 7,
      hash: cp.hash,
      at: cp.at,
      mac: cp.mac,
    });
  });

  it('is written for its owner only, in a directory it makes 0700', async () => {
    const file = path.join(dir, 'nested', 'audit-checkpoint.json');
    await writeAuditCheckpoint(
      file,
      signAuditCheckpoint(fixtureKey, { seq: 1, hash: 'ab'.repeat(32), at: 'now' }),
    );
    expect((await stat(file)).mode & 0o7777).toBe(0o600);
    expect((await stat(path.dirname(file))).mode & 0o7777).toBe(0o700);
  });

  it('is read as it is: a verifier leaves the copy it was handed alone', async () => {
    const file = path.join(dir, 'copy.json');
    const cp = signAuditCheckpoint(fixtureKey, { seq: 1, hash: 'ab'.repeat(32), at: 'now' });
    await writeFile(file, JSON.stringify(cp));
    await chmod(file, 0o644);
    expect(await readAuditCheckpoint(file, fixtureKey)).toEqual(cp);
    expect((await stat(file)).mode & 0o7777).toBe(0o644);
  });

  it('reads a missing file as no checkpoint', async () => {
    expect(await readAuditCheckpoint(path.join(dir, 'none.json'), fixtureKey)).toBeNull();
  });

  it('refuses a checkpoint whose seq, hash or time was edited, or that was signed with another key', () => {
    const cp = signAuditCheckpoint(fixtureKey, {
      seq: 7,
      hash: 'ab'.repeat(32),
      at: '2025-01-01T00:00:00.000Z',
    });
    for (const forged of [
      { ...cp, seq: 9 },
      { ...cp, hash: 'cd'.repeat(32) },
      { ...cp, at: '2026-01-01T00:00:00.000Z' },
    ]) {
      expect(() => parseAuditCheckpoint(JSON.stringify(forged), fixtureKey, 'test')).toThrow(/valid MAC/);
    }
    const other = signAuditCheckpoint('another-key-entirely-0123456789', {
      seq: 7,
      hash: cp.hash,
      at: cp.at,
    });
    expect(() => parseAuditCheckpoint(other, fixtureKey, 'test')).toThrow(/valid MAC/);
    expect(() => parseAuditCheckpoint('{"seq":1}', fixtureKey, 'test')).toThrow(/lacks/);
    expect(() => parseAuditCheckpoint('not json', fixtureKey, 'test')).toThrow(/not JSON/);
  });
});

describe('createAuditCheckpoint', () => {
  let dir: string;
  let file: string;
  let rows: AuditRow[];
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sgops-checkpointer-'));
    file = path.join(dir, 'audit-checkpoint.json');
    rows = buildChain(10);
  });
  afterEach(async () => {
    vi.useRealTimers();
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the verified head on flush and moves forward as rows are appended', async () => {
    const shipped: number[] = [];
    const checkpointer = await createAuditCheckpoint({
      store: memoryAuditStore(() => rows),
      auditKey: fixtureKey,
      path: file,
      clock,
      pageSize: 3,
      onCheckpoint: async (cp) => {
        shipped.push(cp.seq);
      },
    });
    expect(checkpointer.current()).toBeNull();
    const first = await checkpointer.flush();
    expect(first).toMatchObject({ seq: 10, hash: rows[9]!.hash, at: '2025-02-03T04:05:06.000Z' });
    expect(await readAuditCheckpoint(file, fixtureKey)).toEqual(first);

    rows = buildChain(14);
    expect(await checkpointer.flush()).toMatchObject({ seq: 14, hash: rows[13]!.hash });
    // Nothing new: no new file, no new shipment.
    await checkpointer.flush();
    expect(shipped).toEqual([10, 14]);
    await checkpointer.close();
  });

  it('continues from the checkpoint already on disk, reading only the rows after it', async () => {
    const store = memoryAuditStore(() => rows);
    const first = await createAuditCheckpoint({ store, auditKey: fixtureKey, path: file, clock });
    await first.close();
    rows = buildChain(12);
    const second = await createAuditCheckpoint({ store, auditKey: fixtureKey, path: file, clock });
    expect(second.current()).toMatchObject({ seq: 10 });
    expect(await second.flush()).toMatchObject({ seq: 12 });
    await second.close();
  });

  it('makes the checkpoint file it will write private before it uses it', async () => {
    await writeAuditCheckpoint(
      file,
      signAuditCheckpoint(fixtureKey, { seq: 10, hash: rows[9]!.hash, at: 'then' }),
    );
    await chmod(file, 0o644); // restored with cp under umask 022
    const checkpointer = await createAuditCheckpoint({
      store: memoryAuditStore(() => rows),
      auditKey: fixtureKey,
      path: file,
      clock,
    });
    expect((await stat(file)).mode & 0o7777).toBe(0o600);
    expect(checkpointer.current()).toMatchObject({ seq: 10 });
    await checkpointer.close();
  });

  it('never vouches for rows past a break in the chain, and reports the problem once', async () => {
    const problems: AuditCheckpointProblem[] = [];
    const checkpointer = await createAuditCheckpoint({
      store: memoryAuditStore(() => rows),
      auditKey: fixtureKey,
      path: file,
      clock,
      onProblem: (p) => problems.push(p),
    });
    rows[6] = { ...rows[6]!, outcome: 'CLOUD_AUTH' };
    expect(await checkpointer.flush()).toMatchObject({ seq: 6, hash: rows[5]!.hash });
    await checkpointer.flush();
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ seq: 7, problem: 'changed' });
    await checkpointer.close();
  });

  it('does not move when the tail was cut after the checkpoint', async () => {
    const checkpointer = await createAuditCheckpoint({
      store: memoryAuditStore(() => rows),
      auditKey: fixtureKey,
      path: file,
      clock,
    });
    await checkpointer.flush();
    rows = rows.filter((r) => r.seq <= 7);
    expect(await checkpointer.flush()).toMatchObject({ seq: 10 });
    expect(await readAuditCheckpoint(file, fixtureKey)).toMatchObject({ seq: 10 });
    await checkpointer.close();
  });

  it('refuses to start over a checkpoint file with a bad MAC rather than overwrite the evidence', async () => {
    const cp = signAuditCheckpoint(fixtureKey, {
      seq: 3,
      hash: rows[2]!.hash,
      at: '2025-01-01T00:00:00.000Z',
    });
    await writeFile(file, JSON.stringify({ ...cp, seq: 2 }));
    await expect(
      createAuditCheckpoint({ store: memoryAuditStore(() => rows), auditKey: fixtureKey, path: file }),
    ).rejects.toThrow(/valid MAC/);
  });

  it('reports a failing onCheckpoint hook without losing the checkpoint', async () => {
    const problems: AuditCheckpointProblem[] = [];
    const checkpointer = await createAuditCheckpoint({
      store: memoryAuditStore(() => rows),
      auditKey: fixtureKey,
      path: file,
      onCheckpoint: () => Promise.reject(new Error('COS is down')),
      onProblem: (p) => problems.push(p),
    });
    expect(await checkpointer.flush()).toMatchObject({ seq: 10 });
    expect(problems[0]?.message).toMatch(/onCheckpoint failed/);
    await checkpointer.close();
  });

  it('debounces appends to at most one advance per interval and flushes on close', async () => {
    vi.useFakeTimers();
    const store = memoryAuditStore(() => rows);
    const checkpointer = await createAuditCheckpoint({
      store,
      auditKey: fixtureKey,
      path: file,
      clock,
      minIntervalMs: 1000,
    });
    const wrapped = checkpointOnAppend(
      { ...store, appendAudit: () => Promise.resolve([rows[0]!]) } as unknown as Store,
      checkpointer,
    );
    for (let i = 0; i < 5; i++) await wrapped.appendAudit([]);
    await vi.advanceTimersByTimeAsync(0);
    await vi.waitFor(() => expect(checkpointer.current()).toMatchObject({ seq: 10 }));
    const callsAfterFirst = store.calls;

    rows = buildChain(11);
    for (let i = 0; i < 5; i++) checkpointer.appended();
    await vi.advanceTimersByTimeAsync(500);
    expect(store.calls).toBe(callsAfterFirst);
    await vi.advanceTimersByTimeAsync(600);
    await vi.waitFor(() => expect(checkpointer.current()).toMatchObject({ seq: 11 }));
    expect(store.calls).toBe(callsAfterFirst + 1);

    rows = buildChain(12);
    checkpointer.appended();
    await checkpointer.close();
    expect(await readAuditCheckpoint(file, fixtureKey)).toMatchObject({ seq: 12 });
  });
});
