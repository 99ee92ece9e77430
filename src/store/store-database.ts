/** The one drizzle database type both drivers are used through (a transaction is one too). */
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';

export type StoreDatabase = PgDatabase<PgQueryResultHKT>;
