/** The requests a filter lists, newest first: one query for the Store and for a transaction's own reads. */
import { and, desc, eq, inArray, lt, or, type SQL } from 'drizzle-orm';
import { requests } from './schema.ts';
import type { RequestFilter, RequestRow } from './store.ts';
import type { StoreDatabase } from './store-database.ts';

const defaultRequestListLimit = 100;

export function selectRequests(db: StoreDatabase, filter: RequestFilter = {}): Promise<RequestRow[]> {
  if (filter.states?.length === 0) return Promise.resolve([]);
  return db
    .select()
    .from(requests)
    .where(and(...requestConditions(filter)))
    .orderBy(desc(requests.createdAt), desc(requests.id))
    .limit(filter.limit ?? defaultRequestListLimit);
}

/** The filter's conditions on requests, combined with AND (`before`: strictly older, then by id). */
function requestConditions(filter: RequestFilter): SQL[] {
  const conditions: SQL[] = [];
  if (filter.states !== undefined) conditions.push(inArray(requests.state, filter.states));
  if (filter.requester !== undefined) conditions.push(eq(requests.requester, filter.requester));
  if (filter.workflow !== undefined) conditions.push(eq(requests.workflow, filter.workflow));
  if (filter.clusterId !== undefined) conditions.push(eq(requests.clusterId, filter.clusterId));
  if (filter.namespace !== undefined) conditions.push(eq(requests.namespace, filter.namespace));
  const { before } = filter;
  if (before !== undefined)
    conditions.push(
      or(
        lt(requests.createdAt, before.createdAt),
        and(eq(requests.createdAt, before.createdAt), lt(requests.id, before.id)),
      )!,
    );
  return conditions;
}
