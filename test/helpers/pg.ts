/**
 * Postgres for integration tests: one fresh schema per test file, dropped afterwards, so files
 * run in parallel against the one shared database.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const testDatabaseUrl: string =
  process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A fresh schema name like `t_store_3f9a1c2b4d5e`. */
export function uniqueSchema(prefix: string): string {
  const clean = prefix
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .slice(0, 40);
  return `t_${clean}_${randomBytes(6).toString('hex')}`;
}

export async function dropSchema(url: string, schema: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`refusing to drop odd schema name ${schema}`);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end();
  }
}

/** Runs raw SQL inside one schema (for tests that tamper with rows behind the store's back). */
export async function withSchemaClient<T>(
  url: string,
  schema: string,
  fn: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
