import type { SQL } from 'drizzle-orm';
import type { StoreDatabase } from './store-database.ts';

/**
 * Runs one hand-written statement and returns its rows, typed by the caller. Both drivers
 * (node-postgres and PGlite) answer execute() with the rows in `rows`; int8 values may come back
 * as strings, so callers convert numbers themselves.
 */
export async function executeRows<R>(db: StoreDatabase, statement: SQL): Promise<R[]> {
  const result = (await db.execute(statement)) as { rows: R[] };
  return result.rows;
}
