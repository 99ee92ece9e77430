/**
 * A Store that tells the audit checkpointer whenever rows may have been appended: after
 * `appendAudit` and after every transaction (decision rows are appended inside them). The
 * checkpointer debounces, so this costs at most one small query a second.
 */
import type { Store } from '../store/store.ts';
import type { AuditCheckpointer } from './create-audit-checkpoint.ts';

export function checkpointOnAppend(store: Store, checkpoint: Pick<AuditCheckpointer, 'appended'>): Store {
  // Delegates explicitly (not `...store`), so a class-based Store keeps its methods.
  return {
    getRequest: (id) => store.getRequest(id),
    readRequest: (id) => store.readRequest(id),
    listRequests: (filter) => store.listRequests(filter),
    listApprovals: (requestId) => store.listApprovals(requestId),
    recordChatMessages: (rows) => store.recordChatMessages(rows),
    listUnhandledChatMessages: (filter) => store.listUnhandledChatMessages(filter),
    markChatMessagesHandled: (keys) => store.markChatMessagesHandled(keys),
    listUndispatchedOutbox: (limit) => store.listUndispatchedOutbox(limit),
    markOutboxDispatched: (ids) => store.markOutboxDispatched(ids),
    listAudit: (filter) => store.listAudit(filter),
    listOpenIntents: (requestId, step) => store.listOpenIntents(requestId, step),
    close: () => store.close(),
    async appendAudit(entries) {
      const rows = await store.appendAudit(entries);
      if (rows.length > 0) checkpoint.appended();
      return rows;
    },
    async transaction(fn) {
      const result = await store.transaction(fn);
      checkpoint.appended();
      return result;
    },
  };
}
