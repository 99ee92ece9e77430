/** Reads the audit log oldest first in pages (by afterSeq), so a long chain never sits in memory whole. */
import type { AuditRow, Store } from '../store/store.ts';

export const defaultAuditPageSize = 1000;

export async function* auditPages(
  store: Pick<Store, 'listAudit'>,
  options: { requestId?: string; pageSize?: number } = {},
): AsyncGenerator<AuditRow[]> {
  const limit = options.pageSize ?? defaultAuditPageSize;
  let afterSeq = 0;
  for (;;) {
    const page = await store.listAudit({
      ...(options.requestId === undefined ? {} : { requestId: options.requestId }),
      afterSeq,
      limit,
    });
    if (page.length > 0) yield page;
    if (page.length < limit) return;
    afterSeq = page.at(-1)!.seq;
  }
}
