/**
 * Opens a drizzle database over pg (a pool, optionally confined to one Postgres schema via
 * search_path) or PGlite (a directory, or memory), and applies the migrations in ./drizzle.
 * Each Postgres schema keeps its own migrations table, so schemas migrate independently.
 */
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { AppError } from '../errors.ts';
import { makePrivate } from '../files/make-private.ts';
import { isConnectionLoss } from './map-database-error.ts';
import { waitUntilReachable } from '../startup/wait-until-reachable.ts';
import type { Waiting } from '../startup/wait-until-reachable.ts';
import type { StoreDatabase } from './store-database.ts';

export type StoreDriverOptions =
  | {
      kind: 'pg';
      url: string;
      /** Created if missing; every pooled connection gets it as search_path. */
      schema?: string;
      poolSize?: number;
      /**
       * Errors of pooled connections, idle or checked out (a restart of Postgres ends them all);
       * the query in flight fails, the pool opens new ones. Ignored by default.
       */
      onPoolError?: (error: Error) => void;
      /**
       * Postgres could not be reached at start (still starting, restarting, failing over): sgops
       * waits, trying again with backoff, and says so here before each wait; without it, quietly.
       */
      onWaiting?: (wait: Waiting) => void;
    }
  | {
      kind: 'pglite';
      /** A data directory; in memory when absent. */
      path?: string;
    };

export interface OpenedDatabase {
  db: StoreDatabase;
  close(): Promise<void>;
}

export const defaultMigrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url));
const migrationsTable = '__drizzle_migrations';
const schemaNamePattern = /^[a-z_][a-z0-9_]{0,62}$/;

export async function openDatabase(
  options: StoreDriverOptions,
  migrationsFolder: string = defaultMigrationsFolder,
): Promise<OpenedDatabase> {
  return options.kind === 'pg' ? openPg(options, migrationsFolder) : openPglite(options, migrationsFolder);
}

async function openPg(
  options: Extract<StoreDriverOptions, { kind: 'pg' }>,
  migrationsFolder: string,
): Promise<OpenedDatabase> {
  const { schema } = options;
  if (schema !== undefined && !schemaNamePattern.test(schema)) {
    throw new AppError(
      'CONFIG_INVALID',
      `Postgres schema name "${schema}" is not a plain lower-case identifier`,
    );
  }
  const searchPath = schema === undefined ? {} : { options: `-c search_path=${schema}` };
  // A separate connection holds an advisory lock while migrating, so replicas starting
  // together do not race on CREATE SCHEMA / CREATE TABLE (and a pool of 1 cannot deadlock).
  const lockClient = await connectWhenReachable(
    () => new pg.Client({ connectionString: options.url, ...searchPath }),
    options.onWaiting,
  );
  let pool: pg.Pool | undefined;
  try {
    const { rows } = await lockClient.query<{ schema: string | null }>('select current_schema() as schema');
    const target = schema ?? rows[0]?.schema ?? 'public';
    await lockClient.query('select pg_advisory_lock(hashtext($1))', [`sgops.migrate:${target}`]);
    try {
      if (schema !== undefined) await lockClient.query(`create schema if not exists "${schema}"`);
      pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 10, ...searchPath });
      const onError = options.onPoolError ?? (() => undefined);
      pool.on('error', onError);
      // pg-pool listens for a client's errors only while it is idle in the pool: a connection the
      // server ends while a transaction holds it would otherwise be an unhandled 'error' event,
      // which ends the process. Every client keeps a listener of its own for its whole life.
      pool.on('connect', (client) => client.on('error', onError));
      const db = drizzlePg({ client: pool });
      await migratePg(db, { migrationsFolder, migrationsSchema: target, migrationsTable });
      const opened = pool;
      return { db, close: () => opened.end() };
    } finally {
      await lockClient.query('select pg_advisory_unlock(hashtext($1))', [`sgops.migrate:${target}`]);
    }
  } catch (error) {
    await pool?.end();
    throw error;
  } finally {
    await lockClient.end();
  }
}

async function openPglite(
  options: Extract<StoreDriverOptions, { kind: 'pglite' }>,
  migrationsFolder: string,
): Promise<OpenedDatabase> {
  const client = options.path === undefined ? new PGlite() : new PGlite(options.path);
  try {
    const db = drizzlePglite({ client });
    await migratePglite(db, { migrationsFolder, migrationsSchema: 'public', migrationsTable });
    // PGlite unpacks a new data directory with 0666 files whatever the umask, and writes its
    // pg_internal.init files with the umask at start. Data files Postgres makes later are 0600;
    // the few it writes through fopen follow the umask, which `sgops start` and `sandbox` set to 077.
    if (options.path !== undefined) await makePrivate(options.path);
    return { db, close: () => client.close() };
  } catch (error) {
    await client.close();
    throw error;
  }
}

/**
 * Connects, waiting for as long as Postgres cannot be reached (see wait-until-reachable.ts): a
 * replica started during an outage comes up when it ends instead of exiting.
 */
function connectWhenReachable(
  makeClient: () => pg.Client,
  onWaiting: Extract<StoreDriverOptions, { kind: 'pg' }>['onWaiting'],
): Promise<pg.Client> {
  return waitUntilReachable(
    async () => {
      const client = makeClient();
      // A failed connect may still emit 'error' on the client it leaves behind.
      client.on('error', () => undefined);
      try {
        await client.connect();
        return client;
      } catch (error) {
        await client.end().catch(() => undefined);
        throw error;
      }
    },
    { isOutage: isConnectionLoss, ...(onWaiting ? { onWaiting } : {}) },
  );
}
