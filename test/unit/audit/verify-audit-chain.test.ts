import { describe, expect, it } from 'vitest';
import { computeAuditHash } from '../../../src/audit/audit-hash.ts';
import { verifyAuditChain } from '../../../src/audit/verify-audit-chain.ts';
import type { AuditRow } from '../../../src/store/store.ts';
import { buildChain, fixtureKey, rehashWithoutKey } from './audit-chain-fixture.ts';

const headOf = (rows: AuditRow[]) => ({ seq: rows.at(-1)!.seq, hash: rows.at(-1)!.hash });

describe('verifyAuditChain', () => {
  it('accepts a genuine chain in any order and counts its rows', () => {
    const rows = buildChain(10);
    expect(verifyAuditChain(rows, fixtureKey)).toEqual({ ok: true, count: 10 });
    expect(verifyAuditChain([...rows].reverse(), fixtureKey)).toEqual({ ok: true, count: 10 });
    expect(verifyAuditChain([], fixtureKey)).toEqual({ ok: true, count: 0 });
  });

  it('names a row whose content was changed', () => {
    const rows = buildChain(10);
    rows[4] = { ...rows[4]!, details: { step: 'allowDns', index: 5, extra: 'forged' } };
    expect(verifyAuditChain(rows, fixtureKey)).toEqual({ ok: false, seq: 5, problem: 'changed' });
  });

  it('names a row whose outcome, time or prevHash was changed', () => {
    for (const change of [
      { outcome: 'CLOUD_AUTH' },
      { at: new Date(Date.UTC(2030, 0, 1)) },
      { prevHash: 'f'.repeat(64) },
    ] satisfies Partial<AuditRow>[]) {
      const rows = buildChain(6);
      rows[3] = { ...rows[3]!, ...change };
      expect(verifyAuditChain(rows, fixtureKey)).toEqual({ ok: false, seq: 4, problem: 'changed' });
    }
  });

  it('names the first missing seq when a middle row was removed', () => {
    const rows = buildChain(10).filter((row) => row.seq !== 6);
    expect(verifyAuditChain(rows, fixtureKey)).toEqual({ ok: false, seq: 6, problem: 'removed' });
    const several = buildChain(10).filter((row) => row.seq < 3 || row.seq > 7);
    expect(verifyAuditChain(several, fixtureKey)).toEqual({ ok: false, seq: 3, problem: 'removed' });
  });

  it('cannot see a removed tail from the chain alone, but can against a checkpoint of the head', () => {
    const rows = buildChain(10);
    const cut = rows.slice(0, 7);
    // Documented limit: a shorter chain is still a perfectly valid chain.
    expect(verifyAuditChain(cut, fixtureKey)).toEqual({ ok: true, count: 7 });
    expect(verifyAuditChain(cut, fixtureKey, { head: headOf(rows) })).toEqual({
      ok: false,
      seq: 8,
      problem: 'removed',
    });
    expect(verifyAuditChain(rows, fixtureKey, { head: headOf(rows) })).toEqual({ ok: true, count: 10 });
  });

  it('names a forged row inserted between two genuine ones', () => {
    const rows = buildChain(10);
    const forged: AuditRow = { ...rows[3]!, action: 'DeleteSecurityGroup', hash: 'a'.repeat(64) };
    // Renumber what follows, as an attacker must to keep seq unique.
    const tampered = [
      ...rows.slice(0, 4),
      { ...forged, seq: 5 },
      ...rows.slice(4).map((r) => ({ ...r, seq: r.seq + 1 })),
    ];
    expect(verifyAuditChain(tampered, fixtureKey)).toEqual({ ok: false, seq: 5, problem: 'inserted' });
  });

  it('names a replayed copy of a genuine row as inserted', () => {
    const rows = buildChain(6);
    expect(verifyAuditChain([...rows, { ...rows[2]! }], fixtureKey)).toEqual({
      ok: false,
      seq: 3,
      problem: 'inserted',
    });
  });

  it('names a forged row beyond the checkpointed head as inserted', () => {
    const rows = buildChain(6);
    const head = headOf(rows);
    const appended = buildChain(7).at(-1)!;
    expect(verifyAuditChain([...rows, { ...appended, hash: 'b'.repeat(64) }], fixtureKey, { head })).toEqual({
      ok: false,
      seq: 7,
      problem: 'inserted',
    });
  });

  it('rejects a chain rewritten with plain SHA-256 hashes made without the key', () => {
    const rows = buildChain(8);
    rows[2] = { ...rows[2]!, outcome: 'ok', target: 'sg-elsewhere' };
    const rewritten = rehashWithoutKey(rows);
    expect(verifyAuditChain(rewritten, fixtureKey)).toEqual({ ok: false, seq: 1, problem: 'changed' });
  });

  it('rejects a chain checked with the wrong key', () => {
    expect(verifyAuditChain(buildChain(3), 'not-the-key')).toEqual({ ok: false, seq: 1, problem: 'changed' });
  });

  it('names a validly signed row that does not link to its predecessor as a broken link', () => {
    const rows = buildChain(6);
    // A row signed with the key (e.g. from another chain) but linked to the wrong predecessor.
    const spliced = { ...rows[3]!, prevHash: rows[1]!.hash };
    const resigned = { ...spliced, hash: computeAuditHash(fixtureKey, spliced) };
    const tampered = [...rows.slice(0, 3), resigned, ...rows.slice(4)];
    expect(verifyAuditChain(tampered, fixtureKey)).toEqual({ ok: false, seq: 4, problem: 'broken-link' });
  });

  it('continues a chain from an anchor, so pages can be verified one at a time', () => {
    const rows = buildChain(10);
    const page = rows.slice(5);
    expect(verifyAuditChain(page, fixtureKey)).toMatchObject({ ok: false });
    expect(verifyAuditChain(page, fixtureKey, { anchor: { seq: 5, hash: rows[4]!.hash } })).toEqual({
      ok: true,
      count: 5,
    });
  });
});
