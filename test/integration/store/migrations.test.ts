import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../../src/audit/verify-audit-chain.ts';
import { createStore } from '../../../src/store/create-store.ts';
import { defaultMigrationsFolder } from '../../../src/store/open-database.ts';
import { dropSchema, testDatabaseUrl, uniqueSchema, withSchemaClient } from '../../helpers/pg.ts';

const auditKey = 'migrations-test-audit-key-0123456789';

describe('migrations', () => {
  const schemas: string[] = [];
  afterAll(async () => {
    for (const schema of schemas) await dropSchema(testDatabaseUrl, schema);
  });

  it('never qualify a table with a schema, so search_path decides where they go', () => {
    const files = readdirSync(defaultMigrationsFolder).filter((f) => f.endsWith('.sql'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files)
      expect(readFileSync(join(defaultMigrationsFolder, file), 'utf8')).not.toMatch(/"public"\./);
  });

  it('create every table and its own migrations table inside the configured schema', async () => {
    const schema = uniqueSchema('migrate');
    schemas.push(schema);
    const store = await createStore({ kind: 'pg', url: testDatabaseUrl, schema, auditKey });
    await store.close();
    const tables = await withSchemaClient(testDatabaseUrl, schema, async (client) => {
      const { rows } = await client.query<{ table_name: string }>(
        'select table_name from information_schema.tables where table_schema = $1 order by table_name',
        [schema],
      );
      return rows.map((r) => r.table_name);
    });
    expect(tables).toEqual([
      '__drizzle_migrations',
      'approvals',
      'audit_head',
      'audit_log',
      'chat_inbox',
      'console_head',
      'console_messages',
      'outbox',
      'requests',
      'slack_threads',
      'wecom_cards',
      'workflow_snapshots',
    ]);
  });

  it('let several processes start on a fresh schema at once', async () => {
    const schema = uniqueSchema('migrate_race');
    schemas.push(schema);
    const stores = await Promise.all(
      Array.from({ length: 4 }, () =>
        createStore({ kind: 'pg', url: testDatabaseUrl, schema, poolSize: 1, auditKey }),
      ),
    );
    await Promise.all(stores.map((s, i) => s.appendAudit([auditRow(i)])));
    expect(verifyAuditChain(await stores[0]!.listAudit(), auditKey)).toEqual({ ok: true, count: 4 });
    await Promise.all(stores.map((s) => s.close()));
    const applied = await withSchemaClient(testDatabaseUrl, schema, async (client) => {
      const { rows } = await client.query('select * from __drizzle_migrations');
      return rows.length;
    });
    expect(applied).toBe(readdirSync(defaultMigrationsFolder).filter((f) => f.endsWith('.sql')).length);
  });

  it('count the chat lines recorded before an upgrade as handled, so none is handled again', async () => {
    const schema = uniqueSchema('migrate_upgrade');
    schemas.push(schema);
    // The release before chat lines were marked handled: migrations up to 0002.
    const before = await mkdtemp(join(tmpdir(), 'sgops-migrations-'));
    try {
      await mkdir(join(before, 'meta'));
      const journal = JSON.parse(
        readFileSync(join(defaultMigrationsFolder, 'meta', '_journal.json'), 'utf8'),
      ) as { entries: { tag: string }[] };
      journal.entries = journal.entries.filter((e) => e.tag < '0003');
      await writeFile(join(before, 'meta', '_journal.json'), JSON.stringify(journal));
      for (const { tag } of journal.entries)
        await copyFile(join(defaultMigrationsFolder, `${tag}.sql`), join(before, `${tag}.sql`));
      const old = await createStore({
        kind: 'pg',
        url: testDatabaseUrl,
        schema,
        auditKey,
        migrationsFolder: before,
      });
      await old.close();
      // As that release recorded a line (today's store would name columns it does not have yet).
      await withSchemaClient(testDatabaseUrl, schema, (client) =>
        client.query(
          `insert into chat_inbox (platform, message_id, person_id, conversation_id, text, received_at)
           values ('slack', 'old-1', 'U1', 'C1', 'help', now() - interval '5 minutes')`,
        ),
      );
    } finally {
      await rm(before, { recursive: true, force: true });
    }

    const upgraded = await createStore({ kind: 'pg', url: testDatabaseUrl, schema, auditKey });
    await upgraded.recordChatMessages([
      { platform: 'slack', messageId: 'new-1', personId: 'U1', conversationId: 'C1', text: 'help' },
    ]);
    const unhandled = await upgraded.listUnhandledChatMessages({
      receivedBefore: new Date(Date.now() + 60_000),
      limit: 10,
    });
    await upgraded.close();
    expect(unhandled.map((r) => r.messageId)).toEqual(['new-1']);
    const old = await withSchemaClient(testDatabaseUrl, schema, async (client) => {
      const { rows } = await client.query<{ same: boolean }>(
        "select handled_at = received_at as same from chat_inbox where message_id = 'old-1'",
      );
      return rows;
    });
    expect(old).toEqual([{ same: true }]);
  });

  it('reject a schema name that is not a plain identifier', async () => {
    await expect(
      createStore({ kind: 'pg', url: testDatabaseUrl, schema: 'x"; drop table y', auditKey }),
    ).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
  });

  it('reject an empty audit key', async () => {
    await expect(createStore({ kind: 'pglite', auditKey: '' })).rejects.toMatchObject({
      code: 'CONFIG_INVALID',
    });
  });

  it('keep a PGlite directory’s data and chain across a reopen', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sgops-pglite-'));
    try {
      const first = await createStore({ kind: 'pglite', path: dir, auditKey });
      await first.recordChatMessages([
        { platform: 'slack', messageId: 'm1', personId: 'U1', conversationId: 'C1', text: 'hi' },
      ]);
      await first.appendAudit([auditRow(1)]);
      await first.close();
      const second = await createStore({ kind: 'pglite', path: dir, auditKey });
      expect(
        await second.recordChatMessages([
          { platform: 'slack', messageId: 'm1', personId: 'U1', conversationId: 'C1', text: 'hi' },
        ]),
      ).toEqual([false]);
      await second.appendAudit([auditRow(2)]);
      expect(verifyAuditChain(await second.listAudit(), auditKey)).toEqual({ ok: true, count: 2 });
      await second.close();
      // Closing is idempotent, so shutdown paths may overlap.
      await second.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

function auditRow(i: number) {
  return {
    requestId: null,
    actor: `process-${i}`,
    kind: 'decision' as const,
    system: 'engine' as const,
    action: 'start',
    target: '',
    outcome: 'ok',
    durationMs: null,
    cloudRequestId: null,
    details: {},
    callId: null,
  };
}
