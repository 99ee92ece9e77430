import { createStore } from '../../../src/store/create-store.ts';
import { dropSchema, testDatabaseUrl, uniqueSchema } from '../../helpers/pg.ts';
import { chatStateAuditKey, describeChatStateSuite, movableClock } from './chat-state-suite.ts';

describeChatStateSuite('pg', async () => {
  const schema = uniqueSchema('chat_state');
  const clock = movableClock();
  const open = () =>
    createStore({
      kind: 'pg',
      url: testDatabaseUrl,
      schema,
      poolSize: 5,
      auditKey: chatStateAuditKey,
      clock,
    });
  const store = await open();
  return {
    store,
    clock,
    openSecond: open,
    async cleanup() {
      await store.close();
      await dropSchema(testDatabaseUrl, schema);
    },
  };
});
