/**
 * A separate OS process that appends to the audit chain: argv = url schema key label count.
 * Used by audit-chain-processes.test.ts to prove that appenders in several processes keep one chain.
 */
import { createStore } from '../../../src/store/create-store.ts';

const [url, schema, auditKey, label, count] = process.argv.slice(2);
const store = await createStore({ kind: 'pg', url: url!, schema: schema!, auditKey: auditKey!, poolSize: 4 });
try {
  await Promise.all(
    Array.from({ length: Number(count) }, (_, i) =>
      store.appendAudit([
        {
          requestId: null,
          actor: label!,
          kind: 'decision',
          system: 'engine',
          action: 'append',
          target: `${label}-${i}`,
          outcome: 'ok',
          durationMs: null,
          cloudRequestId: null,
          details: { pid: process.pid, i },
          callId: null,
        },
      ]),
    ),
  );
} finally {
  await store.close();
}
