import { createStore } from '../../../src/store/create-store.ts';
import { chatStateAuditKey, describeChatStateSuite, movableClock } from './chat-state-suite.ts';

describeChatStateSuite('PGlite (in memory)', async () => {
  const clock = movableClock();
  const store = await createStore({ kind: 'pglite', auditKey: chatStateAuditKey, clock });
  // An in-memory PGlite belongs to one process, so there is no second handle to open.
  return { store, clock, openSecond: null, cleanup: () => store.close() };
});
