import { describe, expect, it } from 'vitest';
import { signAuditCheckpoint } from '../../../src/audit/audit-checkpoint.ts';
import { computeAuditHash, genesisHash } from '../../../src/audit/audit-hash.ts';
import { formatAuditReport } from '../../../src/audit/format-audit-report.ts';
import { verifyAuditTrail, verifyStoredAudit } from '../../../src/audit/verify-audit-trail.ts';
import type { AuditRow } from '../../../src/store/store.ts';
import { buildChain, fixtureKey, rehashWithoutKey } from './audit-chain-fixture.ts';
import { memoryAuditStore } from './memory-audit-store.ts';

const pageSize = 4;
const checkpointAt = (rows: AuditRow[], seq: number) =>
  signAuditCheckpoint(fixtureKey, {
    seq,
    hash: rows.find((r) => r.seq === seq)!.hash,
    at: '2025-01-01T00:01:00.000Z',
  });
const verify = (rows: AuditRow[], options: Parameters<typeof verifyStoredAudit>[2] = {}) =>
  verifyStoredAudit(
    memoryAuditStore(() => rows),
    fixtureKey,
    { pageSize, ...options },
  );

/** A forged row at `seq`, with every genuine row from there on renumbered one up (what an INSERT needs). */
function insertForged(rows: AuditRow[], seq: number): AuditRow[] {
  const forged: AuditRow = {
    ...rows[seq - 1]!,
    seq,
    outcome: 'ok',
    details: { forged: true },
    hash: 'f'.repeat(64),
  };
  return [
    ...rows.filter((r) => r.seq < seq),
    forged,
    ...rows.filter((r) => r.seq >= seq).map((r) => ({ ...r, seq: r.seq + 1 })),
  ];
}

describe('verifyStoredAudit', () => {
  it('accepts an untouched chain read in pages, with or without a checkpoint of its head', async () => {
    const rows = buildChain(25);
    const plain = await verify(rows);
    expect(plain).toMatchObject({
      ok: true,
      count: 25,
      head: { seq: 25, hash: rows[24]!.hash },
      broken: null,
    });
    expect(plain.checkpoint).toBeNull();
    const checked = await verify(rows, { checkpoint: checkpointAt(rows, 25) });
    expect(checked).toMatchObject({ ok: true, count: 25, checkpoint: { seq: 25, hash: rows[24]!.hash } });
  });

  it('accepts rows appended after a checkpoint that lags the head', async () => {
    const rows = buildChain(25);
    expect(await verify(rows, { checkpoint: checkpointAt(rows, 17) })).toMatchObject({ ok: true, count: 25 });
  });

  it('accepts an empty trail, and reports a checkpoint beyond it as truncated', async () => {
    expect(await verify([])).toMatchObject({ ok: true, count: 0, head: null });
    const cp = signAuditCheckpoint(fixtureKey, {
      seq: 3,
      hash: 'a'.repeat(64),
      at: '2025-01-01T00:00:00.000Z',
    });
    expect((await verify([], { checkpoint: cp })).broken).toMatchObject({ seq: 1, problem: 'truncated' });
  });

  it('names a changed row and counts the rows verified before it', async () => {
    const rows = buildChain(25);
    rows[9] = { ...rows[9]!, target: 'sg-forged/ingress' };
    const report = await verify(rows);
    expect(report).toMatchObject({ ok: false, count: 9, broken: { seq: 10, problem: 'changed' } });
  });

  it('names a removed row, also where it was the last of a page', async () => {
    for (const removed of [6, 8, 9]) {
      const rows = buildChain(25).filter((r) => r.seq !== removed);
      expect((await verify(rows)).broken, `row ${removed}`).toMatchObject({
        seq: removed,
        problem: 'removed',
      });
    }
  });

  it('names an inserted row wherever it falls relative to the page boundaries', async () => {
    for (const seq of [3, 4, 5, 8, 9]) {
      const report = await verify(insertForged(buildChain(25), seq));
      expect(report.broken, `forged at ${seq}`).toMatchObject({ seq, problem: 'inserted' });
      expect(report.count).toBe(seq - 1);
    }
  });

  it('catches a cut tail only through the checkpoint, naming the first missing row', async () => {
    const rows = buildChain(25);
    const cut = rows.filter((r) => r.seq <= 20);
    expect(await verify(cut)).toMatchObject({ ok: true, count: 20 });
    const report = await verify(cut, { checkpoint: checkpointAt(rows, 23) });
    expect(report).toMatchObject({ ok: false, count: 20, broken: { seq: 21, problem: 'truncated' } });
    expect(report.broken!.detail).toContain('reached row 23');
  });

  it('names rows rewritten with plain SHA-256 at the first row', async () => {
    const report = await verify(rehashWithoutKey(buildChain(12)));
    expect(report.broken).toMatchObject({ seq: 1, problem: 'changed' });
  });

  it('names the checkpoint row when the chain was rebuilt from before it with the key', async () => {
    const rows = buildChain(25);
    // Whoever holds the key rewrites the rows after 18 and re-signs them: only the checkpoint tells.
    const relinked = relink(rows.map((r) => (r.seq > 18 ? { ...r, target: 'sg-other/ingress' } : r)));
    expect(relinked[17]!.hash).toBe(rows[17]!.hash);
    expect(await verify(relinked)).toMatchObject({ ok: true });
    expect((await verify(relinked, { checkpoint: checkpointAt(rows, 22) })).broken).toMatchObject({
      seq: 22,
      problem: 'changed',
    });
  });

  it('says how many of one request’s rows sit at or after the break', async () => {
    const rows = relink(buildChain(20).map((r) => ({ ...r, requestId: r.seq % 2 === 0 ? 'R7K2' : 'QX9P' })));
    const ok = await verify(rows, { requestId: 'R7K2' });
    expect(ok.request).toEqual({ id: 'R7K2', count: 10, affected: 0 });
    rows[13] = { ...rows[13]!, actor: 'mallory' };
    const broken = await verify(rows, { requestId: 'R7K2' });
    expect(broken.broken).toMatchObject({ seq: 14, problem: 'changed' });
    expect(broken.request).toEqual({ id: 'R7K2', count: 10, affected: 4 });
  });

  it('verifies pages given in any order within a page', async () => {
    const rows = buildChain(6);
    const report = await verifyAuditTrail(
      [[rows[2]!, rows[0]!, rows[1]!], [], [rows[5]!, rows[3]!, rows[4]!]],
      fixtureKey,
    );
    expect(report).toMatchObject({ ok: true, count: 6 });
  });
});

describe('formatAuditReport', () => {
  it('prints the OK line with the head and the checkpoint that matched', async () => {
    const rows = buildChain(8);
    const text = formatAuditReport(
      await verify(rows, { checkpoint: checkpointAt(rows, 8), requestId: 'R7K2' }),
    );
    expect(text).toMatch(
      new RegExp(`^audit chain OK: 8 rows, head seq 8 hash ${rows[7]!.hash.slice(0, 12)}…\n`),
    );
    expect(text).toContain('checkpoint of 2025-01-01T00:01:00.000Z (seq 8) matches the chain');
    expect(text).toContain('request R7K2: 8 rows');
  });

  it('warns that a cut tail goes unnoticed without a checkpoint', async () => {
    expect(formatAuditReport(await verify(buildChain(3)))).toContain('no checkpoint given');
  });

  it('prints the BROKEN line naming the seq and the problem', async () => {
    const rows = buildChain(8).filter((r) => r.seq !== 5);
    expect(formatAuditReport(await verify(rows))).toMatch(
      /^audit chain BROKEN at seq 5: removed \(row 5 is missing/,
    );
  });
});

/** Re-signs a row (optionally with a new prevHash) with the fixture key. */
function resign(row: AuditRow, prevHash?: string): AuditRow {
  const unsigned = { ...row, prevHash: prevHash ?? row.prevHash };
  return { ...unsigned, hash: computeAuditHash(fixtureKey, unsigned) };
}

/** Re-links and re-signs every row in order: a genuine chain of these contents. */
function relink(rows: AuditRow[]): AuditRow[] {
  let prevHash = genesisHash;
  return rows.map((row) => {
    const signed = resign(row, prevHash);
    prevHash = signed.hash;
    return signed;
  });
}
