/** listAudit over an array, with the store's semantics (oldest first, afterSeq, requestId, limit). */
import type { AuditRow, Store } from '../../../src/store/store.ts';

export function memoryAuditStore(rows: () => readonly AuditRow[]): Pick<Store, 'listAudit'> & {
  calls: number;
} {
  const store = {
    calls: 0,
    listAudit(filter: { requestId?: string; afterSeq?: number; limit?: number } = {}) {
      store.calls += 1;
      const matching = [...rows()]
        .filter((r) => filter.requestId === undefined || r.requestId === filter.requestId)
        .filter((r) => filter.afterSeq === undefined || r.seq > filter.afterSeq)
        .sort((a, b) => a.seq - b.seq);
      return Promise.resolve(filter.limit === undefined ? matching : matching.slice(0, filter.limit));
    },
  };
  return store;
}
