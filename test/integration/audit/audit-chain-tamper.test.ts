/**
 * Tampering with the stored audit log in a real PostgreSQL, behind the store's back, and
 * checking what verifyAuditChain reports for the rows read back.
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { auditPort } from '../../../src/audit/audit-port.ts';
import { cloudTargetOf } from '../../../src/audit/cloud-target-of.ts';
import { verifyAuditChain } from '../../../src/audit/verify-audit-chain.ts';
import { cloudActions, type CloudNetwork } from '../../../src/ports/cloud-network.ts';
import { createStore } from '../../../src/store/create-store.ts';
import type { AuditEntry, Store } from '../../../src/store/store.ts';
import { dropSchema, testDatabaseUrl, uniqueSchema, withSchemaClient } from '../../helpers/pg.ts';

const auditKey = 'tamper-test-audit-key-0123456789';

function entry(i: number): AuditEntry {
  return {
    requestId: 'R7K2',
    actor: 'worker',
    kind: i % 2 === 0 ? 'intent' : 'outcome',
    system: 'tencentcloud',
    action: 'CreateSecurityGroupPolicies',
    target: 'sg-cluster1/ingress',
    outcome: i % 2 === 0 ? null : 'ok',
    durationMs: i % 2 === 0 ? null : 30,
    cloudRequestId: i % 2 === 0 ? null : `req-${i}`,
    details: { step: 'allowDns', i },
    callId: `call-${Math.floor(i / 2)}`,
  };
}

describe('the stored audit chain under tampering', () => {
  let schema: string;
  let store: Store;
  const sql = <T>(fn: (client: pg.Client) => Promise<T>) => withSchemaClient(testDatabaseUrl, schema, fn);
  const tamper = (statement: string, params: unknown[] = []) =>
    sql(async (client) => {
      // The append-only trigger stops accidents; an owner (the attacker here) can switch it off.
      await client.query('alter table audit_log disable trigger user');
      await client.query(statement, params);
      await client.query('alter table audit_log enable trigger user');
    });
  const head = () =>
    sql(async (client) => {
      const { rows } = await client.query<{ last_seq: string; last_hash: string }>(
        'select * from audit_head',
      );
      return { seq: Number(rows[0]!.last_seq), hash: rows[0]!.last_hash };
    });

  beforeAll(() => {
    schema = uniqueSchema('audit_tamper');
  });
  beforeEach(async () => {
    store = await createStore({ kind: 'pg', url: testDatabaseUrl, schema, poolSize: 3, auditKey });
    await store.appendAudit(Array.from({ length: 10 }, (_, i) => entry(i)));
  });
  afterEach(async () => {
    await store.close();
    await dropSchema(testDatabaseUrl, schema);
  });
  afterAll(async () => {
    await dropSchema(testDatabaseUrl, schema);
  });

  it('verifies the untouched chain, also against the head row', async () => {
    const rows = await store.listAudit();
    expect(verifyAuditChain(rows, auditKey)).toEqual({ ok: true, count: 10 });
    expect(verifyAuditChain(rows, auditKey, { head: await head() })).toEqual({ ok: true, count: 10 });
  });

  it('refuses UPDATE, DELETE and TRUNCATE of audit rows', async () => {
    await sql(async (client) => {
      await expect(client.query("update audit_log set outcome = 'x' where seq = 2")).rejects.toThrow(
        /append-only/,
      );
      await expect(client.query('delete from audit_log where seq = 2')).rejects.toThrow(/append-only/);
      await expect(client.query('truncate audit_log')).rejects.toThrow(/append-only/);
    });
    expect(await store.listAudit()).toHaveLength(10);
  });

  it('detects a changed row', async () => {
    await tamper(`update audit_log set outcome = 'CLOUD_AUTH' where seq = 4`);
    expect(verifyAuditChain(await store.listAudit(), auditKey)).toEqual({
      ok: false,
      seq: 4,
      problem: 'changed',
    });
  });

  it('detects a changed jsonb detail', async () => {
    await tamper(
      `update audit_log set details = jsonb_set(details, '{step}', '"applyPolicy"') where seq = 7`,
    );
    expect(verifyAuditChain(await store.listAudit(), auditKey)).toEqual({
      ok: false,
      seq: 7,
      problem: 'changed',
    });
  });

  it('detects a deleted middle row', async () => {
    await tamper('delete from audit_log where seq = 5');
    expect(verifyAuditChain(await store.listAudit(), auditKey)).toEqual({
      ok: false,
      seq: 5,
      problem: 'removed',
    });
  });

  it('cannot detect a deleted tail from the chain alone, but the head row shows it', async () => {
    await tamper('delete from audit_log where seq > 8');
    const rows = await store.listAudit();
    // Documented limit: the remaining 8 rows form a valid chain. A checkpoint kept outside
    // the database (a later feature) is what proves the cut; the head row shows it when intact.
    expect(verifyAuditChain(rows, auditKey)).toEqual({ ok: true, count: 8 });
    expect(verifyAuditChain(rows, auditKey, { head: await head() })).toEqual({
      ok: false,
      seq: 9,
      problem: 'removed',
    });
  });

  it('detects rows rewritten with plain SHA-256 hashes computed without the key', async () => {
    const rows = await store.listAudit();
    let prevHash = '0'.repeat(64);
    for (const row of rows) {
      const fields = { ...row, prevHash, hash: undefined, outcome: row.seq === 3 ? 'ok' : row.outcome };
      const hash = createHash('sha256')
        .update(`${prevHash}\n${JSON.stringify(fields)}`)
        .digest('hex');
      await tamper('update audit_log set prev_hash = $1, hash = $2, outcome = $3 where seq = $4', [
        prevHash,
        hash,
        fields.outcome,
        row.seq,
      ]);
      prevHash = hash;
    }
    expect(verifyAuditChain(await store.listAudit(), auditKey)).toEqual({
      ok: false,
      seq: 1,
      problem: 'changed',
    });
  });

  it('continues the chain across a restart of the store', async () => {
    await store.close();
    store = await createStore({ kind: 'pg', url: testDatabaseUrl, schema, auditKey });
    await store.appendAudit([entry(10), entry(11)]);
    const rows = await store.listAudit();
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(verifyAuditChain(rows, auditKey)).toEqual({ ok: true, count: 12 });
  });

  it('records an audited port’s calls into a chain that verifies', async () => {
    const cloud = {
      async deleteSecurityGroup() {
        return { requestId: 'req-del-1' };
      },
    } as unknown as CloudNetwork;
    const audited = auditPort(
      cloud,
      cloudActions,
      store,
      { requestId: 'R7K2', actor: 'worker', system: 'tencentcloud' },
      {
        targetOf: cloudTargetOf,
      },
    );
    await audited.deleteSecurityGroup('sg-pod0001');
    const rows = await store.listAudit({ afterSeq: 10 });
    expect(rows.map((r) => [r.kind, r.action, r.target, r.outcome, r.cloudRequestId])).toEqual([
      ['intent', 'DeleteSecurityGroup', 'sg-pod0001', null, null],
      ['outcome', 'DeleteSecurityGroup', 'sg-pod0001', 'ok', 'req-del-1'],
    ]);
    expect(verifyAuditChain(await store.listAudit(), auditKey)).toEqual({ ok: true, count: 12 });
  });
});
