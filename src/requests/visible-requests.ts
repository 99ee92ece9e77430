/**
 * The newest requests matching a filter that a reader may see, up to `limit`. Read scope comes
 * from the policy (wildcards, directory groups), not from a column, so rows are read newest first
 * page by page and filtered here — a list is not emptied by newer requests elsewhere. At most
 * `scanLimit` rows are looked at, so a person who may see little never has a live view walk the
 * whole table on every look.
 */
import type { RequestFilter, RequestRow, Store } from '../store/store.ts';

export interface VisibleRequestsOptions {
  limit: number;
  /** May answer later: a row's context is read only for the few rows that need it. */
  visible: (row: RequestRow) => boolean | Promise<boolean>;
  pageSize?: number;
  scanLimit?: number;
}

export const defaultScanLimit = 2000;

export async function visibleRequests(
  store: Pick<Store, 'listRequests'>,
  filter: Omit<RequestFilter, 'limit' | 'before'>,
  options: VisibleRequestsOptions,
): Promise<RequestRow[]> {
  const pageSize = options.pageSize ?? 200;
  const scanLimit = options.scanLimit ?? defaultScanLimit;
  const shown: RequestRow[] = [];
  let before: RequestFilter['before'];
  let scanned = 0;
  while (shown.length < options.limit && scanned < scanLimit) {
    const want = Math.min(pageSize, scanLimit - scanned);
    const page = await store.listRequests({ ...filter, limit: want, ...(before ? { before } : {}) });
    const seen = await Promise.all(page.map((row) => options.visible(row)));
    shown.push(...page.filter((_, i) => seen[i]));
    scanned += page.length;
    const last = page.at(-1);
    if (last === undefined || page.length < want) break;
    before = { createdAt: last.createdAt, id: last.id };
  }
  return shown.slice(0, options.limit);
}
