import { createStore } from '../../../src/store/create-store.ts';
import { describeStoreSuite, suiteAuditKey } from './store-suite.ts';

describeStoreSuite('PGlite (in memory)', async () => {
  const store = await createStore({ kind: 'pglite', auditKey: suiteAuditKey });
  // An in-memory PGlite belongs to one process, so there is no second handle to open.
  return { store, openSecond: null, cleanup: () => store.close() };
});
