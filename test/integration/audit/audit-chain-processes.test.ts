import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../../src/audit/verify-audit-chain.ts';
import { createStore } from '../../../src/store/create-store.ts';
import { dropSchema, testDatabaseUrl, uniqueSchema } from '../../helpers/pg.ts';

const auditKey = 'multi-process-audit-key-0123456789';
const worker = fileURLToPath(new URL('./append-audit-process.ts', import.meta.url));

function runProcess(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', worker, ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`appender exited ${code}: ${stderr}`)),
    );
  });
}

describe('audit appenders in several processes', () => {
  const schema = uniqueSchema('audit_procs');
  afterAll(() => dropSchema(testDatabaseUrl, schema));

  it('keep one gapless, valid chain', async () => {
    // Migrate first, so the processes race on appends rather than only on start-up.
    const store = await createStore({ kind: 'pg', url: testDatabaseUrl, schema, auditKey });
    try {
      await Promise.all(
        ['a', 'b', 'c'].map((label) => runProcess([testDatabaseUrl, schema, auditKey, label, '15'])),
      );
      const rows = await store.listAudit();
      expect(rows).toHaveLength(45);
      expect(new Set(rows.map((r) => r.actor))).toEqual(new Set(['a', 'b', 'c']));
      expect(new Set(rows.map((r) => r.details['pid'])).size).toBe(3);
      expect(verifyAuditChain(rows, auditKey)).toEqual({ ok: true, count: 45 });
    } finally {
      await store.close();
    }
  });
});
