import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { visibleRequests } from '../../../src/requests/visible-requests.ts';
import { createStore } from '../../../src/store/create-store.ts';
import type { RequestRow, Store } from '../../../src/store/store.ts';
import { dropSchema, testDatabaseUrl, uniqueSchema } from '../../helpers/pg.ts';
import { requestRow } from '../store/store-suite.ts';

/** A list shows the newest requests a person may see, however many newer ones they may not. */
describe('visibleRequests', () => {
  const schema = uniqueSchema('visible-requests');
  let store: Store;
  const paymentsIds: string[] = [];
  const inPayments = (row: RequestRow) => row.namespace === 'payments';

  beforeAll(async () => {
    store = await createStore({
      kind: 'pg',
      url: testDatabaseUrl,
      schema,
      auditKey: 'visible-requests-audit-key-0123456789',
    });
    // Three payments requests, then 45 newer ones elsewhere that bury them.
    for (let i = 0; i < 48; i += 1) {
      const id = `RV${String(i).padStart(3, '0')}`;
      const namespace = i < 3 ? 'payments' : 'my-namespace';
      if (namespace === 'payments') paymentsIds.unshift(id);
      await store.transaction((tx) =>
        tx.insertRequest(requestRow(id, { namespace, state: i % 2 ? 'done' : 'awaitingApproval' })),
      );
    }
  });

  afterAll(async () => {
    await store?.close();
    await dropSchema(testDatabaseUrl, schema);
  });

  it('reads past newer requests the person may not see, newest first', async () => {
    const rows = await visibleRequests(store, {}, { limit: 20, visible: inPayments, pageSize: 10 });
    expect(rows.map((r) => r.id)).toEqual(paymentsIds);
  });

  it('keeps the store filter and stops at the limit', async () => {
    const pending = await visibleRequests(
      store,
      { states: ['awaitingApproval'] },
      { limit: 20, visible: inPayments, pageSize: 10 },
    );
    expect(pending.map((r) => r.id)).toEqual(['RV002', 'RV000']);
    const everyone = await visibleRequests(store, {}, { limit: 5, visible: () => true, pageSize: 2 });
    expect(everyone.map((r) => r.id)).toEqual(['RV047', 'RV046', 'RV045', 'RV044', 'RV043']);
  });

  it('looks at no more than scanLimit rows', async () => {
    const rows = await visibleRequests(store, {}, { limit: 20, visible: inPayments, scanLimit: 45 });
    expect(rows).toEqual([]);
  });
});
