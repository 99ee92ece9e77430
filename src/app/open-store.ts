/**
 * The system of record as the app uses it: the configured database (waited for during an
 * outage), and, when a path is configured, the audit chain's head checkpointed outside it so a
 * cut tail shows.
 */
import type { Logger } from 'pino';
import type { Config } from '../config.ts';
import { createStore } from '../store/create-store.ts';
import type { CreateStoreOptions } from '../store/create-store.ts';
import type { Store } from '../store/store.ts';
import type { ChatStateStore } from '../store/chat-state-store.ts';
import { createAuditCheckpoint } from '../audit/create-audit-checkpoint.ts';
import type { AuditCheckpointer } from '../audit/create-audit-checkpoint.ts';
import { checkpointOnAppend } from '../audit/checkpoint-on-append.ts';
import type { Clock } from '../ports/clock.ts';
import type { StartupWaits } from './startup-waits.ts';

export interface OpenedStore {
  /** The store itself, with the chat platforms' shared state beside it. */
  baseStore: Store & ChatStateStore;
  /** What everything else writes through: it tells the checkpoint when rows were appended. */
  store: Store;
  checkpoint: AuditCheckpointer | null;
  /** Writes a last checkpoint, and closes the store unless the caller brought it. */
  close(): Promise<void>;
}

export async function openStore(
  config: Config,
  deps: { logger: Logger; clock: Clock; waits: StartupWaits; given?: Store & ChatStateStore },
): Promise<OpenedStore> {
  const { logger, waits, given } = deps;
  const baseStore =
    given ??
    (await createStore(storeOptionsOf(config, deps)).catch(async (error: unknown) => {
      await waits.close();
      throw error;
    }));
  waits.reached('postgres');
  const checkpoint = config.audit.checkpointPath
    ? await createAuditCheckpoint({
        store: baseStore,
        auditKey: config.audit.key,
        path: config.audit.checkpointPath,
        pollMs: 1000,
        onProblem: (problem) => logger.error({ problem }, 'audit checkpoint: the chain does not verify'),
      })
    : null;
  return {
    baseStore,
    store: checkpoint ? checkpointOnAppend(baseStore, checkpoint) : baseStore,
    checkpoint,
    async close() {
      await checkpoint?.close();
      if (!given) await baseStore.close();
    },
  };
}

function storeOptionsOf(
  config: Config,
  { logger, clock, waits }: { logger: Logger; clock: Clock; waits: StartupWaits },
): CreateStoreOptions {
  return config.database.kind === 'pg'
    ? {
        kind: 'pg',
        url: config.database.url,
        ...(config.database.schema ? { schema: config.database.schema } : {}),
        // A restart of Postgres ends every connection: said once each, and the pool opens new ones.
        onPoolError: (err: Error) =>
          logger.warn({ err }, 'a database connection was lost; work in flight on it is retried'),
        // Started during an outage: wait for Postgres rather than exit.
        onWaiting: waits.waitingFor('postgres', 'Postgres', 'DATABASE_URL'),
        auditKey: config.audit.key,
        clock,
      }
    : {
        kind: 'pglite',
        ...(config.database.path ? { path: config.database.path } : {}),
        auditKey: config.audit.key,
        clock,
      };
}
